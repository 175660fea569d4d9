"""Server-side SVG charts shared by the country pages and the static reports.

Charts are plain SVG strings built here, so that a page, an HTML report and a PDF printed
by headless Chromium show exactly the same figure without any JavaScript. Colours follow
one diverging scale: red for China's GSI pole (−1), blue for the US rules-based-order
pole (+1), near-white in between (the same stops as ``static/app.js``).
"""

from __future__ import annotations

import math
from html import escape
from typing import Any, Sequence

#: Diverging stops (position, RGB) shared with static/app.js: GSI red, neutral, US blue.
STOPS = [(-1.0, (178, 24, 43)), (0.0, (247, 247, 247)), (1.0, (33, 102, 172))]
NO_DATA = "#d9d9d9"
STREAM_COLOURS = {
    "combined": "#222222",
    "words": "#7b3294",
    "votes": "#e08214",
    "institutions": "#1b7837",
}


def colour(position: float | None) -> str:
    """Hex colour of a position on the diverging scale (grey where there is no evidence)."""
    if position is None or (isinstance(position, float) and math.isnan(position)):
        return NO_DATA
    p = max(-1.0, min(1.0, float(position)))
    for (x0, c0), (x1, c1) in zip(STOPS, STOPS[1:]):
        if p <= x1:
            t = (p - x0) / (x1 - x0)
            rgb = [round(a + (b - a) * t) for a, b in zip(c0, c1)]
            return "#{:02x}{:02x}{:02x}".format(*rgb)
    return "#{:02x}{:02x}{:02x}".format(*STOPS[-1][1])


def _f(x: float) -> str:
    return f"{x:.1f}"


def timeseries(
    series: Sequence[dict[str, Any]],
    width: int = 640,
    height: int = 220,
    years: tuple[int, int] | None = None,
    title: str = "",
) -> str:
    """Lines with interval bands on the [−1, 1] scale.

    Parameters
    ----------
    series : list of dict
        Each ``{"label", "colour", "rows"}``, rows being dicts with ``year``,
        ``position``, ``lo``, ``hi`` (None where there is no evidence: the line breaks
        there instead of drawing a zero).
    years : (int, int), optional
        The x range; default the span of all rows.
    """
    pad_l, pad_r, pad_t, pad_b = 46, 12, 22 if title else 10, 26
    all_years = [r["year"] for s in series for r in s["rows"] if r.get("position") is not None]
    if not all_years:
        return (f'<svg class="chart" role="img" viewBox="0 0 {width} 60" width="{width}" height="60">'
                f'<text x="10" y="35" class="nodata">no positions with evidence</text></svg>')
    y0, y1 = years or (min(all_years), max(all_years))
    if y0 == y1:
        y0, y1 = y0 - 1, y1 + 1
    iw, ih = width - pad_l - pad_r, height - pad_t - pad_b

    def X(y: float) -> float:
        return pad_l + (y - y0) / (y1 - y0) * iw

    def Y(v: float) -> float:
        return pad_t + (1 - (max(-1.0, min(1.0, v)) + 1) / 2) * ih

    out = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="11">']
    if title:
        out.append(f'<text x="{pad_l}" y="14" font-weight="bold">{escape(title)}</text>')
    for v, lab in ((1, "+1 US"), (0.5, ""), (0, "0"), (-0.5, ""), (-1, "−1 GSI")):
        out.append(f'<line x1="{pad_l}" x2="{width - pad_r}" y1="{_f(Y(v))}" y2="{_f(Y(v))}" '
                   f'stroke="{"#999" if v == 0 else "#eee"}"/>')
        if lab:
            out.append(f'<text x="{pad_l - 4}" y="{_f(Y(v) + 4)}" text-anchor="end" fill="#555">{lab}</text>')
    step = max(1, math.ceil((y1 - y0) / 8))
    for y in range(int(y0), int(y1) + 1, step):
        out.append(f'<text x="{_f(X(y))}" y="{height - 8}" text-anchor="middle" fill="#555">{y}</text>')
    for s in series:
        rows = sorted((r for r in s["rows"] if r.get("year") is not None), key=lambda r: r["year"])
        col = escape(s.get("colour", "#333"))
        # Break lines and bands at years without evidence: no evidence is not zero.
        runs: list[list[dict]] = [[]]
        for r in rows:
            if r.get("position") is None:
                runs.append([])
            else:
                runs[-1].append(r)
        for run in (r for r in runs if r):
            band = [r for r in run if r.get("lo") is not None and r.get("hi") is not None]
            if len(band) >= 2:
                pts = [f"{_f(X(r['year']))},{_f(Y(r['hi']))}" for r in band]
                pts += [f"{_f(X(r['year']))},{_f(Y(r['lo']))}" for r in reversed(band)]
                out.append(f'<polygon points="{" ".join(pts)}" fill="{col}" fill-opacity="0.15" stroke="none"/>')
            elif len(band) == 1:
                r = band[0]
                out.append(f'<line x1="{_f(X(r["year"]))}" x2="{_f(X(r["year"]))}" y1="{_f(Y(r["lo"]))}" '
                           f'y2="{_f(Y(r["hi"]))}" stroke="{col}" stroke-opacity="0.4" stroke-width="3"/>')
            if len(run) >= 2:
                d = " ".join(f"{'M' if i == 0 else 'L'}{_f(X(r['year']))},{_f(Y(r['position']))}" for i, r in enumerate(run))
                out.append(f'<path d="{d}" fill="none" stroke="{col}" stroke-width="1.8"/>')
            for r in run:
                out.append(f'<circle cx="{_f(X(r["year"]))}" cy="{_f(Y(r["position"]))}" r="2" fill="{col}">'
                           f'<title>{escape(s.get("label", ""))} {r["year"]}: {r["position"]:+.2f}</title></circle>')
    # Legend along the top right.
    lx = width - pad_r
    for s in reversed(series):
        lab = escape(s.get("label", ""))
        lx -= 8 + 6.5 * len(lab)
        out.append(f'<rect x="{_f(lx)}" y="{pad_t - 9 if title else 2}" width="8" height="8" fill="{escape(s.get("colour", "#333"))}"/>'
                   f'<text x="{_f(lx + 11)}" y="{pad_t - 1 if title else 10}" fill="#333">{lab}</text>')
        lx -= 8
    out.append("</svg>")
    return "".join(out)


def spans(rows: Sequence[dict[str, Any]], width: int = 640, row_h: int = 16, years: tuple[int, int] | None = None) -> str:
    """Institutions over time: one bar per arrangement from its start to its end year."""
    items = [r for r in rows if r.get("start") is not None]
    if not items:
        return ""
    y0 = years[0] if years else min(int(r["start"]) for r in items)
    y1 = years[1] if years else max(int(r.get("end") or r["start"]) for r in items)
    if y1 <= y0:
        y1 = y0 + 1
    pad_l, pad_r = 220, 12
    height = row_h * len(items) + 24
    iw = width - pad_l - pad_r

    def X(y: float) -> float:
        return pad_l + (min(max(y, y0), y1) - y0) / (y1 - y0) * iw

    out = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="11">']
    for i, r in enumerate(items):
        y = 4 + i * row_h
        end = r.get("end") or y1
        out.append(f'<text x="{pad_l - 6}" y="{y + 11}" text-anchor="end">{escape(str(r.get("label", ""))[:36])}</text>')
        out.append(f'<rect x="{_f(X(int(r["start"])))}" y="{y + 2}" width="{_f(max(2.0, X(int(end)) - X(int(r["start"]))))}" '
                   f'height="{row_h - 5}" fill="{colour(r.get("pole"))}" stroke="#666" stroke-width="0.5">'
                   f'<title>{escape(str(r.get("label", "")))}: {r["start"]}–{r.get("end") or "now"}</title></rect>')
    base = height - 8
    step = max(1, math.ceil((y1 - y0) / 8))
    for yy in range(int(y0), int(y1) + 1, step):
        out.append(f'<text x="{_f(X(yy))}" y="{base}" text-anchor="middle" fill="#555">{yy}</text>')
    out.append("</svg>")
    return "".join(out)


def legend(width: int = 300) -> str:
    """The colour scale from −1 (GSI) to +1 (US), with the no-evidence swatch."""
    n = 20
    w = (width - 90) / n
    cells = "".join(
        f'<rect x="{_f(i * w)}" y="0" width="{_f(w + 0.5)}" height="10" fill="{colour(-1 + 2 * (i + 0.5) / n)}"/>'
        for i in range(n)
    )
    return (f'<svg class="legend" viewBox="0 0 {width} 26" width="{width}" height="26" font-family="sans-serif" font-size="10" '
            f'xmlns="http://www.w3.org/2000/svg">{cells}'
            f'<text x="0" y="22">−1 GSI</text><text x="{_f((width - 90) / 2)}" y="22" text-anchor="middle">0</text>'
            f'<text x="{_f(width - 90)}" y="22" text-anchor="end">+1 US</text>'
            f'<rect x="{width - 80}" y="0" width="10" height="10" fill="{NO_DATA}"/><text x="{width - 66}" y="9">no evidence</text></svg>')
