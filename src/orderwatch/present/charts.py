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
    "practice": "#2b8cbe",
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


def _luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of ``#rrggbb``."""
    rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour(position: float | None) -> str:
    """Black or white, whichever reads better on the position's colour (always >= 4.5:1)."""
    bg = colour(position)
    return "#000000" if contrast(bg, "#000000") >= contrast(bg, "#ffffff") else "#ffffff"


def chip_style(position: float | None) -> str:
    """Inline style of a position chip: its colour and a text colour with WCAG AA contrast."""
    return f"background: {colour(position)}; color: {text_colour(position)}"


def _f(x: float) -> str:
    return f"{x:.1f}"


def timeseries(
    series: Sequence[dict[str, Any]],
    width: int = 640,
    height: int = 220,
    years: tuple[int, int] | None = None,
    title: str = "",
    alt: str = "",
    legend: bool = True,
) -> str:
    """Lines with interval bands on the [−1, 1] scale.

    Parameters
    ----------
    series : list of dict
        Each ``{"label", "colour", "rows"}``, rows being dicts with ``year``,
        ``position``, ``lo``, ``hi`` (None where there is no evidence: the line breaks
        there instead of drawing a zero).
    years : (int, int), optional
        The x range; default the span of all rows. Pass the same range to every chart of
        a page so that their year axes line up.
    alt : str
        Text alternative (the chart's ``<title>``); default a summary of the series.
    """
    pad_l, pad_r, pad_t, pad_b = 46, 12, 22 if title else 10, 26
    all_years = [r["year"] for s in series for r in s["rows"] if r.get("position") is not None]
    if not all_years:
        return (f'<svg class="chart" role="img" viewBox="0 0 {width} 60" width="{width}" height="60">'
                f'<title>{escape(title or "chart")}: no positions with evidence</title>'
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
           f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="11">'
           f'<title>{escape(alt or series_alt(title, series))}</title>']
    if title:
        out.append(f'<text x="{pad_l}" y="14" font-weight="bold">{escape(title)}</text>')
    for v, lab in ((1, "+1 US"), (0.5, ""), (0, "0"), (-0.5, ""), (-1, "−1 GSI")):
        out.append(f'<line x1="{pad_l}" x2="{width - pad_r}" y1="{_f(Y(v))}" y2="{_f(Y(v))}" '
                   f'stroke="{"#999" if v == 0 else "#eee"}"/>')
        if lab:
            out.append(f'<text x="{pad_l - 4}" y="{_f(Y(v) + 4)}" text-anchor="end" fill="#555">{lab}</text>')
    # About one year label per 45 px, so small multiples stay legible.
    step = max(1, math.ceil((y1 - y0) / max(2, min(8, iw // 45))))
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
    for s in (reversed(series) if legend else ()):
        lab = escape(s.get("label", ""))
        lx -= 8 + 6.5 * len(lab)
        out.append(f'<rect x="{_f(lx)}" y="{pad_t - 9 if title else 2}" width="8" height="8" fill="{escape(s.get("colour", "#333"))}"/>'
                   f'<text x="{_f(lx + 11)}" y="{pad_t - 1 if title else 10}" fill="#333">{lab}</text>')
        lx -= 8
    out.append("</svg>")
    return "".join(out)


#: Legend of the institutions chart: bar colour by who leads the arrangement. Russia-led bars
#: get a colour of their own; the institutions score counts them with neither pole by default.
LEAD_LEGEND = (("US-led or US-aligned", 1.0), ("China-led", -1.0), ("Russia-led", -0.6), ("ASEAN/inclusive", 0.0))


def spans(rows: Sequence[dict[str, Any]], width: int = 640, row_h: int = 16, years: tuple[int, int] | None = None,
          now: int | None = None, alt: str = "") -> str:
    """Institutions over time: one bar per arrangement from its start to its end year.

    An arrangement still in force runs to ``now`` (default the current year), and so
    does the time axis, so a state whose last accession was years ago still shows its
    memberships up to today. Bars are coloured by lead (legend on top).
    """
    import datetime as _dt

    items = [r for r in rows if r.get("start") is not None]
    if not items:
        return ""
    now = now or _dt.date.today().year
    y0 = years[0] if years else min(int(r["start"]) for r in items)
    y1 = max(years[1] if years else now, max(int(r.get("end") or now) for r in items))
    if y1 <= y0:
        y1 = y0 + 1
    longest = max(len(str(r.get("label", ""))) for r in items)
    pad_l, pad_r, pad_t = min(320, max(120, 6 * min(longest, 52) + 12)), 12, 22
    height = row_h * len(items) + 24 + pad_t
    iw = width - pad_l - pad_r

    def X(y: float) -> float:
        return pad_l + (min(max(y, y0), y1) - y0) / (y1 - y0) * iw

    n_open = sum(1 for r in items if not r.get("end"))
    summary = alt or (f"Institutions over time, {y0}–{y1}: {len(items)} arrangements, {n_open} still in force. "
                      + "; ".join(f"{r.get('label')} {r['start']}–{r.get('end') or 'now'}" for r in items[:12]))
    out = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="11"><title>{escape(summary)}</title>']
    lx = pad_l
    for lab, sign in LEAD_LEGEND:
        out.append(f'<rect x="{_f(lx)}" y="4" width="10" height="10" fill="{colour(sign)}" stroke="#666" stroke-width="0.5"/>'
                   f'<text x="{_f(lx + 14)}" y="13" fill="#333">{escape(lab)}</text>')
        lx += 28 + 6.2 * len(lab)
    for i, r in enumerate(items):
        y = pad_t + 4 + i * row_h
        end = r.get("end") or y1
        label = str(r.get("label", ""))
        short = label if len(label) <= 52 else label[:51] + "…"
        out.append(f'<text x="{pad_l - 6}" y="{y + 11}" text-anchor="end">{escape(short)}</text>')
        out.append(f'<rect x="{_f(X(int(r["start"])))}" y="{y + 2}" width="{_f(max(2.0, X(int(end)) - X(int(r["start"]))))}" '
                   f'height="{row_h - 5}" fill="{colour(r.get("pole"))}" stroke="#666" stroke-width="0.5">'
                   f'<title>{escape(str(r.get("label", "")))}: {r["start"]}–{r.get("end") or "now"}</title></rect>')
    base = height - 8
    step = max(1, math.ceil((y1 - y0) / 8))
    ticks = sorted(range(int(y1), int(y0) - 1, -step))  # counted back from the last year, which is labelled
    for yy in ticks:
        out.append(f'<text x="{_f(X(yy))}" y="{base}" text-anchor="middle" fill="#555">{yy}</text>')
    out.append("</svg>")
    return "".join(out)


def series_alt(title: str, series: Sequence[dict[str, Any]]) -> str:
    """A text alternative for a time-series chart: span and the latest figure of each line."""
    parts = []
    for s in series:
        rows = [r for r in s.get("rows", []) if r.get("position") is not None and r.get("year") is not None]
        if not rows:
            continue
        last = max(rows, key=lambda r: r["year"])
        first = min(r["year"] for r in rows)
        parts.append(f"{s.get('label', '')} {first}–{last['year']}, latest {last['year']} {last['position']:+.2f}")
    head = f"{title}: " if title else ""
    return head + ("; ".join(parts) if parts else "no positions with evidence") + " (−1 China's GSI pole, +1 US pole)"


def legend(width: int = 300) -> str:
    """The colour scale from −1 (GSI) to +1 (US), with the no-evidence swatch."""
    n = 20
    w = (width - 90) / n
    cells = "".join(
        f'<rect x="{_f(i * w)}" y="0" width="{_f(w + 0.5)}" height="10" fill="{colour(-1 + 2 * (i + 0.5) / n)}"/>'
        for i in range(n)
    )
    return (f'<svg class="legend" role="img" viewBox="0 0 {width} 26" width="{width}" height="26" font-family="sans-serif" '
            f'font-size="10" xmlns="http://www.w3.org/2000/svg"><title>Colour scale: red −1 (China\'s GSI pole), white 0, '
            f'blue +1 (US pole); grey no evidence</title>{cells}'
            f'<text x="0" y="22">−1 GSI</text><text x="{_f((width - 90) / 2)}" y="22" text-anchor="middle">0</text>'
            f'<text x="{_f(width - 90)}" y="22" text-anchor="end">+1 US</text>'
            f'<rect x="{width - 80}" y="0" width="10" height="10" fill="{NO_DATA}"/><text x="{width - 66}" y="9">no evidence</text></svg>')


def movers(rows: Sequence[dict[str, Any]], streams: Sequence[str], width: int = 640, row_h: int = 22,
           scale: float | None = None) -> str:
    """Movers: per state, the change (dot) with its interval (whisker) over the stream contributions.

    The contributions are drawn as stacked segments from 0 (positive to the right,
    negative to the left), each in its stream's colour, so the reader sees which stream
    made the move; the dot is their sum, the change. States without a change are left out.
    """
    items = [r for r in rows if r.get("change") is not None]
    if not items:
        return ""
    ext = scale or max(0.1, max(max(abs(r.get("change_lo") or 0), abs(r.get("change_hi") or 0),
                                    sum(abs(r.get(f"contrib_{s}") or 0) for s in streams)) for r in items))
    ext = math.ceil(ext * 10) / 10
    pad_l, pad_r, pad_t = 150, 16, 34
    height = pad_t + row_h * len(items) + 28
    iw = width - pad_l - pad_r

    def X(v: float) -> float:
        return pad_l + (max(-ext, min(ext, v)) + ext) / (2 * ext) * iw

    summary = "Change per state with its 95% interval and the streams' contributions: " + "; ".join(
        f"{r.get('name') or r.get('iso3')} {r['change']:+.2f}" for r in items)
    out = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="11"><title>{escape(summary)}</title>']
    # Legend: the streams' colours and the change marker.
    lx = pad_l
    for s in streams:
        out.append(f'<rect x="{_f(lx)}" y="6" width="10" height="10" fill="{STREAM_COLOURS.get(s, "#888")}"/>'
                   f'<text x="{_f(lx + 14)}" y="15" fill="#333">{escape(s)}</text>')
        lx += 24 + 6.5 * len(s)
    out.append(f'<circle cx="{_f(lx + 5)}" cy="11" r="4" fill="#000"/><text x="{_f(lx + 14)}" y="15" fill="#333">'
               f'change, 95% interval</text>')
    for tick in (-ext, -ext / 2, 0.0, ext / 2, ext):
        x = X(tick)
        out.append(f'<line x1="{_f(x)}" x2="{_f(x)}" y1="{pad_t - 4}" y2="{height - 24}" '
                   f'stroke="{"#888" if tick == 0 else "#eee"}"/>'
                   f'<text x="{_f(x)}" y="{height - 10}" text-anchor="middle" fill="#555">{tick:+.2f}</text>')
    out.append(f'<text x="{_f(X(-ext))}" y="{height - 0.5}" fill="#555" font-size="9">← towards GSI</text>'
               f'<text x="{_f(X(ext))}" y="{height - 0.5}" text-anchor="end" fill="#555" font-size="9">towards US →</text>')
    for i, r in enumerate(items):
        y = pad_t + i * row_h
        name = str(r.get("name") or r.get("iso3"))
        out.append(f'<text x="{pad_l - 6}" y="{y + 14}" text-anchor="end">{escape(name[:22])}</text>')
        pos_edge, neg_edge = 0.0, 0.0
        for s in streams:
            v = r.get(f"contrib_{s}")
            if v is None or v == 0:
                continue
            a, b = (pos_edge, pos_edge + v) if v > 0 else (neg_edge + v, neg_edge)
            if v > 0:
                pos_edge += v
            else:
                neg_edge += v
            out.append(f'<rect x="{_f(X(a))}" y="{y + 5}" width="{_f(max(0.5, X(b) - X(a)))}" height="{row_h - 10}" '
                       f'fill="{STREAM_COLOURS.get(s, "#888")}" fill-opacity="0.75">'
                       f'<title>{escape(name)}: {escape(s)} contributed {v:+.2f}</title></rect>')
        c, lo, hi = r["change"], r.get("change_lo"), r.get("change_hi")
        if lo is not None and hi is not None:
            out.append(f'<line x1="{_f(X(lo))}" x2="{_f(X(hi))}" y1="{y + row_h / 2}" y2="{y + row_h / 2}" stroke="#000"/>')
        iv = "" if lo is None or hi is None else f" [{lo:+.2f}, {hi:+.2f}]"
        out.append(f'<circle cx="{_f(X(c))}" cy="{y + row_h / 2}" r="4" fill="#000">'
                   f'<title>{escape(name)}: change {c:+.2f}{iv}</title></circle>')
    out.append("</svg>")
    return "".join(out)
