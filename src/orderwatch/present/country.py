"""The country view: the profile (:func:`orderwatch.observatory.country_profile`) drawn.

The dashboard's ``/country/X`` and ``orderwatch report --country X`` render this context;
``orderwatch country X`` prints the same profile as text or JSON. Nothing here selects a
figure, a year or evidence: it draws the profile's time series, the say–do gap and the
arrangements, and highlights the passages.
"""

from __future__ import annotations

from typing import Any

from orderwatch.observatory import AXIS_LABELS, Observatory
from orderwatch.present import charts
from orderwatch.present.passages import group_passages, passage_html

#: Colour of an arrangement's bar by its lead (institutions' ``pole`` labels).
POLE_SIGN = {"US-led": 1.0, "US-aligned": 1.0, "China-led": -1.0, "Russia-led": -0.6, "ASEAN/inclusive": 0.0}
#: How many split roll calls the page lists (all of them are in the JSON API and the CLI).
SPLIT_ROWS = 30
STREAM_NAMES = {"combined": "Combined", "words": "Words", "votes": "Votes", "institutions": "Institutions",
                "practice": "Practice"}


def _year(value: Any) -> int | None:
    if value is None:
        return None
    text = str(value)
    return int(text[:4]) if text[:4].isdigit() else None


def _stream_series(series: dict[str, list[dict]], axis: str) -> list[dict]:
    return [{"label": STREAM_NAMES[s], "colour": charts.STREAM_COLOURS[s],
             "rows": [r for r in rows if r.get("axis") == axis]} for s, rows in series.items()]


def _gap(gap: dict, span, width: int) -> dict:
    if "rows" not in gap:
        return gap
    rows = [r for r in gap["rows"] if r.get("axis", "overall") == "overall"]
    side = [{"label": label, "colour": charts.STREAM_COLOURS[colour],
             "rows": [{"year": r["year"], "position": r.get(k), "lo": r.get(f"{k}_lo"), "hi": r.get(f"{k}_hi")}
                      for r in rows if k in r]}
            for k, label, colour in (("say", "Say (words)", "words"), ("do", "Do (votes, institutions)", "institutions"))]
    lines = [s for s in side if s["rows"]]
    return {**gap, "rows": rows, "latest": next((r for r in reversed(rows) if r.get("gap") is not None), None),
            "chart": charts.timeseries(lines, width=width, title="Say–do gap", years=span) if lines else ""}


def country(obs: Observatory, iso3: str, year: int | None = None, width: int = 640) -> dict[str, Any]:
    """The country page's context: the profile plus its charts and highlighted evidence."""
    prof = obs.memo(("profile", iso3, year), lambda: obs.profile(iso3, year=year))
    series, ev = prof["series"], prof["evidence"]
    with_data = sorted({int(r["year"]) for rows in series.values() for r in rows if r.get("position") is not None})
    span = (with_data[0], with_data[-1]) if with_data else None
    ctx: dict[str, Any] = {"c": prof["country"], "profile": prof, "present": list(series), "years": with_data,
                           "span": span, "year": prof["year"], "asked_year": year, "headline": prof["headline"],
                           "at_year": prof["at_year"], "latest": prof["latest_by_source"],
                           "evidence_year": ev["year"], "ties": ev["ties"], "charts": {}}
    # One year range for every chart of the page, so their axes line up.
    for axis, label in AXIS_LABELS.items():
        if series:
            ctx["charts"][axis] = charts.timeseries(_stream_series(series, axis), width=width, title=label, years=span)
    ctx["gap"] = _gap(prof["gap"], span, width)
    passages = ev["passages"]
    if isinstance(passages, list):
        passages = group_passages(passages)[:12]
        for p in passages:
            p["html"] = passage_html(p)
            p["frames"] = ", ".join(sorted({str(m["frame"]) for m in p["matches"] if m.get("frame")}))
    ctx["passages"] = passages
    splits = ev["roll_calls"]
    if "rows" in splits:
        # The figure's roll calls in the stream's order (the poles' splits first); the page
        # lists those where the state voted otherwise than China or the United States.
        split = [r for r in splits["rows"] if r["vote"] != r["CHN"] or r["vote"] != r["USA"]]
        splits = {**splits, "rows": split[:SPLIT_ROWS]}
    ctx["splits"] = splits
    arr = ev["arrangements"]
    if isinstance(arr, list):
        arr = [dict(r, start=_year(r.get("joined", r.get("start"))), end=_year(r.get("left", r.get("end"))),
                    sign=POLE_SIGN.get(str(r.get("pole")), None)) for r in arr]
        bars = [{"label": r.get("name") or r.get("arrangement_id"), "start": r["start"], "end": r["end"],
                 "pole": r["sign"]} for r in arr]
        ctx["arrangements_chart"] = charts.spans(bars, width=width, years=span)
    ctx["arrangements"] = arr
    return ctx
