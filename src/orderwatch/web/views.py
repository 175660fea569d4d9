"""What each page shows, as plain dicts of rows and SVG strings, shared by pages and reports.

A view takes a :class:`~orderwatch.web.data.Data` and returns the context a template
renders. Keeping them apart from the routes lets ``orderwatch report`` print exactly the
charts and tables that the dashboard shows. Any part whose table is absent becomes
``{"not_computed": "..."}`` rather than an error, so a page is always readable.
"""

from __future__ import annotations

from typing import Any, Callable

from orderwatch.web import charts, mapsvg, services
from orderwatch.web.data import AXES, GROUPS, STREAM_LABELS, STREAMS, Data, NotComputed


#: Colour of an arrangement's bar by its lead (institutions' ``pole`` labels).
POLE_SIGN = {"US-led": 1.0, "China-led": -1.0, "Russia-led": -0.6, "ASEAN/inclusive": 0.0}


def _year(value: Any) -> int | None:
    if value is None:
        return None
    text = str(value)
    return int(text[:4]) if text[:4].isdigit() else None


def guarded(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except NotComputed as exc:
        return {"not_computed": str(exc)}


def _stream_series(series: dict[str, list[dict]], axis: str) -> list[dict]:
    return [{"label": STREAM_LABELS[s].split(" (")[0], "colour": charts.STREAM_COLOURS[s],
             "rows": [r for r in rows if r.get("axis") == axis]} for s, rows in series.items()]


def overview(d: Data, year: int | None, axis: str, stream: str, group: str | None) -> dict[str, Any]:
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


def region_map(d: Data, year: int, axis: str, stream: str, group: str | None = None, width: int = 760) -> str:
    """Static SVG choropleth (reports); the dashboard draws the same data with d3."""
    rows = d.map_values(year, axis, stream, group)
    values = {r["iso_numeric"]: r.get("position") for r in rows if r.get("iso_numeric")}
    labels = {r["iso_numeric"]: f"{r.get('name_en', r['iso3'])}: "
              + ("no evidence" if r.get("position") is None else f"{r['position']:+.2f}")
              for r in rows if r.get("iso_numeric")}
    return mapsvg.choropleth(values, width=width, labels=labels)


def country(d: Data, iso3: str, year: int | None = None, width: int = 640) -> dict[str, Any]:
    """The country page: per-axis time series, institutions, say–do gap, evidence."""
    info = d.country(iso3)
    code = info["iso3"]
    series = d.series(code)
    ctx: dict[str, Any] = {"c": info, "present": list(series), "charts": {}, "latest": {}, "year": year}
    # One year range for every chart of the page, so their axes line up.
    with_data = sorted({int(r["year"]) for rows in series.values() for r in rows if r.get("position") is not None})
    span = (with_data[0], with_data[-1]) if with_data else None
    ctx["years"] = with_data
    ctx["span"] = span
    for axis, label in AXES.items():
        if series:
            ctx["charts"][axis] = charts.timeseries(_stream_series(series, axis), width=width, title=label, years=span)
    for s in series:
        ctx["latest"][s] = {a: d.latest(code, s, a) for a in AXES}
    if year is not None:
        # The figures of the chosen year, per stream and axis (None where no evidence).
        ctx["at_year"] = {s: {a: next((r for r in series[s] if r.get("axis") == a and r.get("year") == year
                                       and r.get("position") is not None), None) for a in AXES} for s in series}
    gap = guarded(lambda: d.say_do_gap(code))
    if "rows" in gap:
        rows = [r for r in gap["rows"] if r.get("axis", "overall") == "overall"]
        gap["rows"] = rows
        # The synthesis' table names the sides say/do (with intervals); the fallback words/deeds.
        say, do = ("say", "do") if any("say" in r for r in rows) else ("words", "deeds")
        words = [{"year": r["year"], "position": r.get(say), "lo": r.get(f"{say}_lo"), "hi": r.get(f"{say}_hi")}
                 for r in rows if say in r]
        deeds = [{"year": r["year"], "position": r.get(do), "lo": r.get(f"{do}_lo"), "hi": r.get(f"{do}_hi")}
                 for r in rows if do in r]
        gap["latest"] = next((r for r in reversed(rows) if r.get("gap") is not None), None)
        lines = [s for s in ({"label": "Say (words)", "colour": charts.STREAM_COLOURS["words"], "rows": words},
                             {"label": "Do (votes, institutions)", "colour": charts.STREAM_COLOURS["institutions"], "rows": deeds}) if s["rows"]]
        if not lines and any("gap" in r for r in rows):
            lines = [{"label": "Gap", "colour": "#444", "rows": [{"year": r["year"], "position": r.get("gap")} for r in rows]}]
        gap["chart"] = charts.timeseries(lines, width=width, title="Say–do gap", years=span) if lines else ""
    ctx["gap"] = gap
    ev_year = year
    if ev_year is None and ctx["latest"]:
        yrs = [v["overall"]["year"] for v in ctx["latest"].values() if v.get("overall")]
        ev_year = max(yrs) if yrs else None
    ctx["evidence_year"] = ev_year
    passages = guarded(lambda: d.text_evidence(code, ev_year, limit=40))
    if isinstance(passages, list):
        passages = services.group_passages(passages)[:12]
        for p in passages:
            p["html"] = services.passage_html(p)
            p["frames"] = ", ".join(sorted({str(m["frame"]) for m in p["matches"] if m.get("frame")}))
    ctx["passages"] = passages
    splits = guarded(lambda: d.vote_splits(code, ev_year))
    if "not_computed" not in splits:
        # One row per roll call, whichever pole the state split from.
        seen: dict[int, dict] = {}
        for key in ("split_from_CHN", "split_from_USA"):
            for r in splits.get(key, []):
                seen.setdefault(r["rcid"], r)
        splits = {**splits, "rows": sorted(seen.values(), key=lambda r: str(r.get("date") or ""))}
    ctx["splits"] = splits
    arr = guarded(lambda: d.arrangements(code))
    if isinstance(arr, list):
        for r in arr:
            r["start"] = _year(r.get("joined", r.get("start")))
            r["end"] = _year(r.get("left", r.get("end")))
            r["sign"] = POLE_SIGN.get(str(r.get("pole")), None)
        bars = [{"label": r.get("name") or r.get("arrangement_id"), "start": r["start"], "end": r["end"],
                 "pole": r["sign"]} for r in arr]
        ctx["arrangements_chart"] = charts.spans(bars, width=width, years=(span[0], span[1]) if span else None)
    ctx["arrangements"] = arr
    ctx["ties"] = _ties(d, code, year or ev_year)
    return ctx


def _ties(d: Data, code: str, year: int | None) -> dict | None:
    """Which ties drive the institutions figure that year (``institutions.why``), where it exists."""
    try:
        from orderwatch.institutions import why
    except ImportError:  # an institutions stream without the evidence function
        return None
    if year is None or not d.has("institutions_ties"):
        return None
    try:
        return d.memo(("why", code, int(year)), lambda: why(d.table("institutions_ties"), code, int(year), "overall"))
    except Exception:  # noqa: BLE001 - evidence is optional on the page; never break it
        return None


def compare(d: Data, codes: list[str], axis: str, stream: str, width: int = 760) -> dict[str, Any]:
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
    ctx["table"] = [{"iso3": i["iso3"], "name": i.get("name_en"),
                     "cells": {(s, a): d.latest(i["iso3"], s, a) for s in d.streams_present() for a in AXES}}
                    for i in infos]
    ctx["present"] = d.streams_present()
    return ctx


def region(d: Data, group: str | None, axis: str = "overall", stream: str = "combined") -> dict[str, Any]:
    """The regional report: map, rankings and each state's series on one axis."""
    ctx = overview(d, None, axis, stream, group)
    ctx["title"] = GROUPS.get(group, "Asia") if group else "Asia"
    if ctx.get("not_computed"):
        return ctx
    ctx["map"] = region_map(d, ctx["year"], axis, stream, None)
    ctx["legend"] = charts.legend()
    ctx["multiples"] = small_multiples(d, [r for r in ctx["rows"] if r.get("position") is not None], axis, stream)
    return ctx


def small_multiples(d: Data, rows: list[dict], axis: str, stream: str, width: int = 250) -> list[dict]:
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


def movers(d: Data, group: str | None, start: tuple[int, int], end: tuple[int, int],
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

    from orderwatch.web.data import records

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
