"""Listings and profiles built from the synthesis tables (what the CLI and web print).

These functions choose and shape rows; they hold no estimation of their own.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np
import pandas as pd

from orderwatch.synthesis import load_streams, try_read
from orderwatch.synthesis.disputes import disputes_table
from orderwatch.synthesis.gap import gap_evidence, say_do_gap
from orderwatch.synthesis.positions import combined_positions
from orderwatch.synthesis.combine import stream_wide
from orderwatch.synthesis.scenario import year_on_year
from orderwatch.synthesis.weights import AXES, STREAMS, validate_weights


def _num(x) -> float | None:
    return None if x is None or (isinstance(x, float) and np.isnan(x)) or pd.isna(x) else float(x)


def load_positions(read: Callable[[str], pd.DataFrame], weights: Mapping[str, float] | None = None,
                   years: tuple[int, int] | None = None, streams=None, overall_axes=None,
                   model: str | None = None) -> pd.DataFrame:
    """Combined positions: the stored table for default settings, else recomputed.

    ``model`` is ``index`` or ``latent``; None means the stored default model, or the
    ``index`` when weights are given (user weights are the index's; the latent model
    learns its own and reads weights only as which streams count).

    Raises
    ------
    orderwatch.errors.OrderwatchError
        When no stream has written positions (run ``orderwatch build``).
    """
    from orderwatch.errors import OrderwatchError

    from orderwatch.synthesis.positions import DEFAULT_MODEL

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
        from orderwatch.synthesis.weights import WeightsError

        raise WeightsError(f"axis must be one of {', '.join(AXES)}, got {axis!r}")
    sub = positions[positions["year"] == year]
    out = []
    for iso3, g in sub.groupby("iso3"):
        by_axis = g.set_index("axis")
        rec: dict[str, Any] = {"iso3": iso3, "year": int(year)}
        for a in AXES:
            rec[a] = _num(by_axis["position"].get(a)) if a in by_axis.index else None
        row = by_axis.loc[axis] if axis in by_axis.index else None
        rec["interval"] = None if row is None or _num(row["lo"]) is None else [_num(row["lo"]), _num(row["hi"])]
        rec["streams"] = {s: (None if row is None else _num(row.get(s))) for s in STREAMS}
        rec["n_streams"] = 0 if row is None else int(row["n_streams"])
        rec["notes"] = None if row is None else (row.get("notes") or None)
        # Publication rules (synthesis.publish): why a figure is withheld; thin years.
        rec["publication"] = None if row is None else (row.get("publication") or None)
        rec["provisional"] = None if row is None or "provisional" not in row else bool(row["provisional"])
        out.append(rec)
    out.sort(key=lambda r: (r[axis] is None, -(r[axis] or 0.0), r["iso3"]))
    return out


def country_profile(read: Callable[[str], pd.DataFrame], iso3: str,
                    weights: Mapping[str, float] | None = None) -> dict[str, Any]:
    """Everything the synthesis knows about one state.

    Returns a dict with ``iso3, name, weights, positions`` (per year: the four axes with
    interval and per-stream figures), ``latest`` (the last year with an overall
    position), ``say_do_gap`` (rows where the gap is significant), ``moves`` (largest
    year-on-year changes), ``territorial_disputes`` (cited rows) and ``missing`` (years
    without any evidence).
    """
    pos = load_positions(read, weights)
    mine = pos[pos["iso3"] == iso3].sort_values(["year", "axis"])
    reg = try_read(read, "countries")
    name = None
    if reg is not None and iso3 in set(reg["iso3"]):
        name = str(reg.loc[reg["iso3"] == iso3, "name_en"].iloc[0])
    years = []
    for year, g in mine.groupby("year"):
        by = g.set_index("axis")
        entry: dict[str, Any] = {"year": int(year)}
        for a in AXES:
            if a not in by.index:
                entry[a] = None
                continue
            r = by.loc[a]
            entry[a] = {"position": _num(r["position"]),
                        "interval": None if _num(r["lo"]) is None else [_num(r["lo"]), _num(r["hi"])],
                        "streams": {s: _num(r.get(s)) for s in STREAMS},
                        "n_streams": int(r["n_streams"]), "notes": r.get("notes") or None}
        years.append(entry)
    overall = mine[(mine["axis"] == "overall") & mine["position"].notna()]
    if "provisional" in overall.columns and (~overall["provisional"].astype(bool)).any():
        overall = overall[~overall["provisional"].astype(bool)]   # a thin year is never "latest"
    latest = None if overall.empty else overall.iloc[-1]
    gap = try_read(read, "say_do_gap") if weights is None else None
    if gap is None:
        gap = say_do_gap(stream_wide(load_streams(read)))
    gap = gap[(gap["iso3"] == iso3) & gap["significant"].astype(bool)]
    moves = year_on_year(mine).dropna(subset=["change"])
    moves = moves.reindex(moves["change"].abs().sort_values(ascending=False).index).head(5)
    disputes = disputes_table()
    return {
        "iso3": iso3, "name": name,
        "weights": validate_weights(weights),
        "latest": None if latest is None else {"year": int(latest["year"]), "overall": _num(latest["position"]),
                                               "interval": [_num(latest["lo"]), _num(latest["hi"])]},
        "positions": years,
        "say_do_gap": [{"year": int(r["year"]), "axis": r["axis"], "gap": _num(r["gap"]),
                        "interval": [_num(r["gap_lo"]), _num(r["gap_hi"])], "direction": r["direction"],
                        "evidence": gap_evidence(r)} for r in gap.to_dict("records")],
        "moves": [{"year": int(r["year"]), "position": _num(r["position"]), "change": _num(r["change"])}
                  for r in moves.to_dict("records")],
        "territorial_disputes": disputes[disputes["iso3"] == iso3].to_dict("records"),
        "missing_years": [int(y) for y, g in mine[mine["axis"] == "overall"].groupby("year")
                          if g["position"].isna().all()],
    }
