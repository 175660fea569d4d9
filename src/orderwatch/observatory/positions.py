"""Positions as every surface reads them: stored by the build, or computed on demand.

:func:`load_positions` returns the synthesis' stored ``positions`` table for the default
settings and recomputes it from the stream tables for any other (user weights, a model,
years, streams, the axes that make up 'overall'). :func:`positions_listing` shapes one
year of it into the records ``orderwatch positions`` prints. Nothing here estimates:
the numbers are the synthesis'.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from orderwatch.errors import OrderwatchError
from orderwatch.schema import AXES, STREAMS
from orderwatch.synthesis import combined_positions, load_streams, try_read
from orderwatch.synthesis.positions import DEFAULT_MODEL
from orderwatch.synthesis.weights import WeightsError


def num(x: Any) -> float | None:
    """A float, or None for missing (NaN, None, pandas NA).

    >>> num(0.5), num(float("nan")), num(None)
    (0.5, None, None)
    """
    if x is None:
        return None
    try:
        if pd.isna(x):
            return None
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if np.isnan(f) else f


def load_positions(read: Callable[[str], pd.DataFrame], weights: Mapping[str, float] | None = None,
                   years: tuple[int, int] | None = None, streams: Sequence[str] | None = None,
                   overall_axes: Sequence[str] | None = None, model: str | None = None) -> pd.DataFrame:
    """Combined positions: the stored table for default settings, else recomputed.

    ``model`` is ``index`` or ``latent``; None means the stored default model, or the
    ``index`` when weights are given (user weights are the index's; the latent model
    learns its own and reads weights only as which streams count).

    Raises
    ------
    orderwatch.errors.OrderwatchError
        When no stream has written positions (run ``orderwatch build``).
    """
    default = weights is None and years is None and streams is None and overall_axes is None \
        and model in (None, DEFAULT_MODEL)
    if model is None:
        model = DEFAULT_MODEL if weights is None else "index"
    if default:
        stored = try_read(read, "positions")
        if stored is not None and len(stored):
            return stored
    tables = load_streams(read)
    if all(t is None or len(t) == 0 for t in tables.values()):
        raise OrderwatchError("no stream positions in the store (votes_positions, text_positions, "
                              "institutions_positions); run `orderwatch build`")
    kwargs = {"years": years} if years else {}
    return combined_positions(tables, try_read(read, "countries"), weights=weights, streams=streams,
                              overall_axes=overall_axes, model=model, **kwargs)


def positions_listing(positions: pd.DataFrame, year: int, axis: str = "overall") -> list[dict[str, Any]]:
    """One record per state for ``year``: ``iso3, year, overall, A1, A2, A3, interval, streams``.

    ``interval`` and ``streams`` refer to ``axis``; unknown values are None. Sorted by
    the ``axis`` position, US pole first, states without data last.
    """
    if axis not in AXES:
        raise WeightsError(f"axis must be one of {', '.join(AXES)}, got {axis!r}")
    sub = positions[positions["year"] == year]
    out = []
    for iso3, g in sub.groupby("iso3"):
        by_axis = g.set_index("axis")
        rec: dict[str, Any] = {"iso3": iso3, "year": int(year)}
        for a in AXES:
            rec[a] = num(by_axis["position"].get(a)) if a in by_axis.index else None
        row = by_axis.loc[axis] if axis in by_axis.index else None
        rec["interval"] = None if row is None or num(row["lo"]) is None else [num(row["lo"]), num(row["hi"])]
        rec["streams"] = {s: (None if row is None else num(row.get(s))) for s in STREAMS}
        rec["n_streams"] = 0 if row is None else int(row["n_streams"])
        rec["notes"] = None if row is None else (row.get("notes") or None)
        # Publication rules (synthesis.publish): why a figure is withheld; thin years.
        rec["publication"] = None if row is None else (row.get("publication") or None)
        rec["provisional"] = None if row is None or "provisional" not in row else bool(row["provisional"])
        out.append(rec)
    out.sort(key=lambda r: (r[axis] is None, -(r[axis] or 0.0), r["iso3"]))
    return out
