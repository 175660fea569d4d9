"""What the claim evaluator reads: positions per stream, the registry, base tables.

:class:`ClaimData` wraps a ``read(name) -> DataFrame`` callable (the same contract as
the streams' ``derive``), caches what it reads and resolves country groups. Combined
positions come from the read side (:func:`orderwatch.observatory.load_positions`): the
store's ``positions`` table for the default settings, else computed from the stream
tables (the index model, with the claim's weights).
"""

from __future__ import annotations

from typing import Callable, Mapping

import pandas as pd

from orderwatch.errors import OrderwatchError
from orderwatch.observatory.positions import load_positions
from orderwatch.synthesis import STREAM_TABLES, try_read
from orderwatch.synthesis.combine import pick_method


class ClaimData:
    """Cached access to the tables claims are tested on.

    Parameters
    ----------
    read : callable
        ``read(name)`` returns a table as a DataFrame (raises if it does not exist).
    weights : stream weights for the combined positions (None = the stored default)
    """

    def __init__(self, read: Callable[[str], pd.DataFrame], weights: Mapping[str, float] | None = None):
        self.read = read
        self.weights = weights
        self._cache: dict[str, pd.DataFrame | None] = {}

    def table(self, name: str) -> pd.DataFrame | None:
        if name not in self._cache:
            self._cache[name] = try_read(self.read, name)
        return self._cache[name]

    def positions(self, stream: str = "combined") -> pd.DataFrame | None:
        """Positions (iso3, year, axis, position, lo, hi, ...) of one stream or combined."""
        key = f"__positions_{stream}"
        if key in self._cache:
            return self._cache[key]
        if stream == "combined":
            try:
                # The index model whenever positions are computed here, as before the read side.
                model = None if self.weights is not None or self.table("positions") is not None else "index"
                out = load_positions(self.read, self.weights, model=model)
            except OrderwatchError:  # no stream positions at all: the claims are not testable
                out = None
        else:
            t = self.table(STREAM_TABLES[stream])
            out = None if t is None or len(t) == 0 else pick_method(t)
        self._cache[key] = out
        return out

    def registry(self) -> pd.DataFrame | None:
        reg = self.table("countries")
        if reg is None:
            try:
                from orderwatch import countries

                reg = countries.registry()
            except Exception:  # noqa: BLE001 - registry unavailable: groups cannot resolve
                reg = None
            self._cache["countries"] = reg
        return reg

    def members(self, spec: Mapping) -> list[str]:
        """The ISO3 codes a claim is about: ``countries`` or ``group``, minus ``exclude``."""
        out: list[str] = list(spec.get("countries") or [])
        group = spec.get("group")
        if group:
            reg = self.registry()
            if reg is None:
                return out
            live = ~reg["historical"].fillna(False).astype(bool) if "historical" in reg.columns \
                else pd.Series(True, index=reg.index)
            if group == "asian":
                mask = reg["is_asian"].fillna(False).astype(bool) & live
            else:
                mask = (reg["group"] == group) & live
            out += sorted(reg.loc[mask, "iso3"])
        exclude = set(spec.get("exclude") or [])
        seen, result = set(), []
        for iso in out:
            if iso not in exclude and iso not in seen:
                seen.add(iso)
                result.append(iso)
        return result
