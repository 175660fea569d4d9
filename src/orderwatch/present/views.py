"""What each page shows, as plain dicts of rows and SVG strings, shared by pages and reports.

A view takes an :class:`~orderwatch.observatory.Observatory` and returns the context a
template renders (the country view is :mod:`orderwatch.present.country`). Keeping them apart from the routes lets ``orderwatch report`` print exactly the
charts and tables that the dashboard shows. Any part whose table is absent becomes
``{"not_computed": "..."}`` rather than an error, so a page is always readable.
"""

from __future__ import annotations

from typing import Any, Callable

from orderwatch.observatory import AXIS_LABELS as AXES
from orderwatch.observatory import GROUPS, SOURCE_LABELS as STREAM_LABELS, SOURCES as STREAMS
from orderwatch.observatory import NotComputed, Observatory, records
from orderwatch.present import charts, mapsvg
from orderwatch.present.country import country  # noqa: F401  (the country view, re-exported)


def guarded(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except NotComputed as exc:
        return {"not_computed": str(exc)}


def overview(d: Observatory, year: int | None, axis: str, stream: str, group: str | None) -> dict[str, Any]:
    """The map page: the chosen year, the rankings and the list of years for the slider."""
    present = d.streams_present()
    ctx: dict[str, Any] = {"axis": axis, "stream": stream, "group": group, "present": present,
                           "year": year, "years": [], "rows": [], "n_with_position": 0}
    if stream not in present:
        ctx["not_computed"] = f"{STREAMS[stream]} not yet computed; run `orderwatch build`"
        return ctx
    ctx["years"] = d.years(stream)
    y = year if year is not None else d.default_year(stream, axis)
    if y is None:
        ctx["not_computed"] = f"no positions for axis {axis} in {STREAMS[stream]}"
        return ctx
    ctx["year"] = y
    ctx["rows"] = d.rankings(y, axis, stream, group)
    ctx["n_with_position"] = sum(r.get("position") is not None for r in ctx["rows"])
    return ctx


def region_map(d: Observatory, year: int, axis: str, stream: str, group: str | None = None, width: int = 760) -> str:
    """Static SVG choropleth (reports); the dashboard draws the same data with d3."""
    rows = d.map_values(year, axis, stream, group)
    values = {r["iso_numeric"]: r.get("position") for r in rows if r.get("iso_numeric")}
    labels = {r["iso_numeric"]: f"{r.get('name_en', r['iso3'])}: "
              + ("no evidence" if r.get("position") is None else f"{r['position']:+.2f}")
              for r in rows if r.get("iso_numeric")}
    return mapsvg.choropleth(values, width=width, labels=labels)


def compare(d: Observatory, codes: list[str], axis: str, stream: str, width: int = 760) -> dict[str, Any]:
    palette = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]
    infos = [d.country(c) for c in codes]
    ctx: dict[str, Any] = {"countries": infos, "axis": axis, "stream": stream, "codes": [i["iso3"] for i in infos]}
    if stream not in d.streams_present():
        ctx["not_computed"] = f"{STREAMS[stream]} not yet computed; run `orderwatch build`"
        return ctx
    series = d.compare(ctx["codes"], axis, stream)
    lines = [{"label": i["iso3"], "colour": palette[k % len(palette)], "rows": series[i["iso3"]]} for k, i in enumerate(infos)]
    ctx["chart"] = charts.timeseries(lines, width=width, title=f"{AXES[axis]} · {STREAM_LABELS[stream]}") if lines else ""
    # The latest figure per stream and axis for each state, side by side.
    until = d.default_year("combined")
    ctx["table"] = [{"iso3": i["iso3"], "name": i.get("name_en"),
                     "cells": {(s, a): d.figure(i["iso3"], s, a, until=until) for s in d.streams_present()
                               for a in AXES}}
                    for i in infos]
    ctx["present"] = d.streams_present()
    return ctx


def region(d: Observatory, group: str | None, axis: str = "overall", stream: str = "combined") -> dict[str, Any]:
    """The regional report: map, rankings and each state's series on one axis."""
    ctx = overview(d, None, axis, stream, group)
    ctx["title"] = GROUPS.get(group, "Asia") if group else "Asia"
    if ctx.get("not_computed"):
        return ctx
    ctx["map"] = region_map(d, ctx["year"], axis, stream, None)
    ctx["legend"] = charts.legend()
    ctx["multiples"] = small_multiples(d, [r for r in ctx["rows"] if r.get("position") is not None], axis, stream)
    return ctx


def small_multiples(d: Observatory, rows: list[dict], axis: str, stream: str, width: int = 250) -> list[dict]:
    """One small chart per state (ranked order), all on the same year and [−1, 1] axes."""
    if not rows:
        return []
    series = d.compare([r["iso3"] for r in rows], axis, stream)
    years = [int(x["year"]) for rows_ in series.values() for x in rows_ if x.get("position") is not None]
    span = (min(years), max(years)) if years else None
    out = []
    for r in rows:
        label = r.get("name_en") or r["iso3"]
        line = {"label": label, "colour": charts.STREAM_COLOURS.get(stream, "#222"), "rows": series.get(r["iso3"], [])}
        out.append({"iso3": r["iso3"], "name": label,
                    "svg": charts.timeseries([line], width=width, height=130, years=span, title=label, legend=False)})
    return out


#: The movers page's default windows: "since 2016" as a window, not a single year.
MOVERS_DEFAULT = ((2015, 2017), (2023, 2024))


def movers(d: Observatory, group: str | None, start: tuple[int, int], end: tuple[int, int],
           axis: str = "overall") -> dict[str, Any]:
    """Who moved most between two windows of years, with the streams' contributions (the why)."""
    from orderwatch.synthesis.movers import largest_contribution, movers as compute
    from orderwatch.synthesis.weights import STREAMS as SYNTH_STREAMS

    ctx: dict[str, Any] = {"axis": axis, "group": group, "start": start, "end": end, "rows": []}
    if not d.has("positions"):
        ctx["not_computed"] = "positions (the synthesis) not yet computed; run `orderwatch build`"
        return ctx

    def build() -> list[dict]:
        states = list(d.asian(group)["iso3"])
        table = compute(d.table("positions"), start, end, axis=axis, states=states)
        names = d.names()
        table["name"] = table["iso3"].map(names)
        table["driven_by"] = [largest_contribution(r) for r in table.to_dict("records")]
        return records(table)

    rows = d.memo(("movers", group, start, end, axis), build)
    streams = [s for s in SYNTH_STREAMS if any(f"contrib_{s}" in r for r in rows)]
    if any(abs(r.get("contrib_model") or 0) > 0.005 for r in rows):
        streams.append("model")  # a latent model's own part (smoothing, rescaling)
    ctx.update(rows=rows, streams=streams, chart=charts.movers(rows, streams))
    moved = [r for r in rows if r.get("change") is not None]
    if moved:
        top, bottom = moved[0], moved[-1]
        n_sig = sum(bool(r.get("significant")) for r in moved)
        ctx["summary"] = (
            f"From {start[0]}–{start[1]} to {end[0]}–{end[1]}, {top['name']} moved most towards the US pole "
            f"({top['change']:+.2f}, mostly {top['driven_by'] or 'no single stream'}); {bottom['name']} moved most "
            f"towards China's GSI pole ({bottom['change']:+.2f}, mostly {bottom['driven_by'] or 'no single stream'}). "
            f"{n_sig} of {len(moved)} changes {'has' if n_sig == 1 else 'have'} a 95% interval that excludes 0.")
    return ctx
