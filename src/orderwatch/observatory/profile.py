"""The country profile: everything orderwatch shows about one state, made in one place.

``orderwatch country X`` (text and ``--json``), the dashboard's ``/country/X`` and
``/api/country/X``, and ``orderwatch report --country X`` all render the dict
:func:`country_profile` returns, so they show the same figure, year and evidence:

- ``year``: the year asked for, else the state's figure year under the one default-year
  rule (:func:`orderwatch.observatory.years.default_year`; its newest figure up to the
  default year, non-provisional first);
- ``headline``: the combined overall figure of that year (with interval and streams);
- ``evidence``: that year's passages, roll calls and institutional ties, each from its
  stream's own evidence function (:mod:`orderwatch.observatory.evidence`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Mapping

import pandas as pd

from orderwatch.observatory.names import resolve
from orderwatch.observatory.positions import load_positions, num
from orderwatch.observatory.tables import NotComputed, records
from orderwatch.observatory.years import default_year, figure_year
from orderwatch.schema import AXES, STREAMS
from orderwatch.synthesis.disputes import disputes_table
from orderwatch.synthesis.gap import gap_evidence
from orderwatch.synthesis.scenario import year_on_year
from orderwatch.synthesis.weights import validate_weights

if TYPE_CHECKING:
    from orderwatch.observatory.core import Observatory


def _guarded(fn) -> Any:
    try:
        return fn()
    except NotComputed as exc:
        return {"not_computed": str(exc)}


def _by_year(mine: pd.DataFrame) -> list[dict[str, Any]]:
    """Per year, the four axes with interval and per-stream figures (None without evidence)."""
    years = []
    for year, g in mine.groupby("year"):
        by = g.set_index("axis")
        entry: dict[str, Any] = {"year": int(year)}
        for a in AXES:
            if a not in by.index:
                entry[a] = None
                continue
            r = by.loc[a]
            entry[a] = {"position": num(r["position"]),
                        "interval": None if num(r["lo"]) is None else [num(r["lo"]), num(r["hi"])],
                        "streams": {s: num(r.get(s)) for s in STREAMS},
                        "n_streams": int(num(r.get("n_streams")) or 0), "notes": r.get("notes") or None}
        years.append(entry)
    return years


def _evidence(obs: "Observatory", iso3: str, year: int | None) -> dict[str, Any]:
    """The year's evidence from every stream (``not_computed`` where a table is absent)."""
    if year is None:
        return {"year": None, "passages": [], "roll_calls": {"not_computed": "no year with a figure"},
                "ties": None, "arrangements": _guarded(lambda: obs.arrangements(iso3))}
    ties = None
    try:
        ties = obs.ties(iso3, year)
    except Exception:  # noqa: BLE001 - an institutions table of another shape: no ties, never a crash
        ties = None
    return {"year": int(year),
            "passages": _guarded(lambda: obs.passages(iso3, year)),
            "roll_calls": _guarded(lambda: obs.roll_calls(iso3, year)),
            "ties": ties,
            "arrangements": _guarded(lambda: obs.arrangements(iso3))}


def country_profile(obs: "Observatory", country: str, year: int | None = None,
                    weights: Mapping[str, float] | None = None) -> dict[str, Any]:
    """Everything orderwatch shows about one state.

    Parameters
    ----------
    obs : Observatory
    country : ISO3, ISO2, COW code or an English or Chinese name
    year : the year to show; None applies the default-year rule
    weights : stream weights for recomputed combined positions (None: the stored ones)

    Returns
    -------
    dict
        ``iso3, name, country`` (registry row), ``weights``, ``year``, ``headline`` (the
        combined overall figure of ``year``), ``latest`` (``{year, overall, interval}`` of
        the headline), ``series`` (per source, yearly rows on every axis), ``at_year`` (per
        source and axis, the figure of ``year``), ``latest_by_source`` (per source and
        axis, the newest figure up to ``year``), ``positions`` (per year the four axes),
        ``evidence`` (of ``year``), ``gap`` (``source`` and the say–do gap rows),
        ``say_do_gap`` (the significant ones, with evidence), ``moves``,
        ``territorial_disputes`` and ``missing_years``.
    """
    iso3 = resolve(country)
    info = obs.country(iso3)
    series = obs.series(iso3)
    has_combined = "combined" in series or weights is not None
    if weights is not None:
        pos = load_positions(obs.read, weights)
        series["combined"] = records(pos.loc[pos["iso3"] == iso3, [c for c in pos.columns if c in (
            "year", "axis", "position", "lo", "hi", "n_streams", "streams", "provisional", *STREAMS)]]
            .sort_values(["axis", "year"]))
        until = default_year(pos)
    elif has_combined:
        pos = obs.positions("combined")
        until = obs.default_year("combined")
    else:
        pos, until = None, max((obs.default_year(s) or 0 for s in series), default=0) or None
    mine = pos[pos["iso3"] == iso3].sort_values(["year", "axis"]) if pos is not None else None
    if year is None:
        source = "combined" if has_combined else next(iter(series), None)
        rows = mine if mine is not None else (obs.positions(source)[lambda d: d["iso3"] == iso3]
                                              if source else None)
        if rows is not None:
            year = figure_year(rows[rows["axis"] == "overall"], until, obs.provisional())
    headline = None
    if mine is not None and year is not None:
        hit = mine[(mine["year"] == year) & (mine["axis"] == "overall") & mine["position"].notna()]
        headline = records(hit.head(1))[0] if len(hit) else None
    gap = _guarded(lambda: obs.say_do_gap(iso3))
    significant = [r for r in gap.get("rows", []) if r.get("significant")]
    moves = pd.DataFrame()
    if mine is not None:
        moves = year_on_year(mine).dropna(subset=["change"])
        moves = moves.reindex(moves["change"].abs().sort_values(ascending=False).index).head(5)
    disputes = disputes_table()
    return {
        "iso3": iso3, "name": info.get("name_en"), "country": info,
        "weights": validate_weights(weights),
        "year": year, "default_year": until, "headline": headline,
        "latest": None if headline is None else {"year": headline["year"], "overall": headline["position"],
                                                 "interval": [headline.get("lo"), headline.get("hi")]},
        "series": series,
        "at_year": {s: {a: obs.figure(iso3, s, a, year=year) if s != "combined" or weights is None
                        else next((r for r in series["combined"] if r["axis"] == a and r["year"] == year
                                   and r.get("position") is not None), None)
                        for a in AXES} for s in series} if year is not None else {},
        "latest_by_source": {s: {a: obs.figure(iso3, s, a, until=year) for a in AXES} for s in series},
        "positions": _by_year(mine) if mine is not None else [],
        "evidence": _evidence(obs, iso3, year),
        "gap": gap,
        "say_do_gap": [{"year": int(r["year"]), "axis": r["axis"], "gap": num(r["gap"]),
                        "interval": [num(r["gap_lo"]), num(r["gap_hi"])], "direction": r["direction"],
                        "evidence": gap_evidence(r)} for r in significant],
        "moves": [{"year": int(r["year"]), "position": num(r["position"]), "change": num(r["change"])}
                  for r in moves.to_dict("records")],
        "territorial_disputes": records(disputes[disputes["iso3"] == iso3]),
        "missing_years": [int(y) for y, g in mine[mine["axis"] == "overall"].groupby("year")
                          if g["position"].isna().all()] if mine is not None else [],
    }
