"""Pages for analysts: movers between two windows of years, and charts and the map as files.

Kept apart from ``pages.py`` so each page family stays small. GET pages are cached per URL
by ``guard.Guard`` like the others.
"""

from __future__ import annotations

import re
from typing import Annotated, Optional

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from orderwatch.observatory import AXIS_LABELS as AXES
from orderwatch.observatory import GROUPS, SOURCE_LABELS as STREAM_LABELS
from orderwatch.present import charts, views
from orderwatch.web.api import Axis, Stream
from orderwatch.web.pages import _render, cached

router = APIRouter(include_in_schema=False)


_WINDOW = re.compile(r"\s*(\d{4})(?:\s*[-–]\s*(\d{4}))?\s*")


def _window(text: str | None, default: tuple[int, int]) -> tuple[int, int] | None:
    """``"2015-2017"`` or ``"2016"`` as an inclusive window; empty is the default; None if unreadable."""
    if not text or not text.strip():
        return default
    m = _WINDOW.fullmatch(text)
    if not m:
        return None
    return int(m.group(1)), int(m.group(2) or m.group(1))


@router.get("/movers", response_class=HTMLResponse)
def movers(request: Request, group: Optional[str] = None, axis: Axis = "overall",
           start: Annotated[Optional[str], Query(max_length=20)] = None,
           end: Annotated[Optional[str], Query(max_length=20)] = None):
    d = request.app.state.data
    g = _group(group)
    w0, w1 = _window(start, views.MOVERS_DEFAULT[0]), _window(end, views.MOVERS_DEFAULT[1])
    problem = None
    if w0 is None or w1 is None:
        problem = f"years must look like 2015-2017 or 2016; got {start if w0 is None else end!r}"
    elif w0[0] > w0[1] or w1[0] > w1[1] or w1[0] <= w0[1]:
        problem = (f"the end window {w1[0]}–{w1[1]} must follow the start window {w0[0]}–{w0[1]} "
                   "(and each must run forwards)")
    if problem:
        ctx = {"axis": axis, "group": g, "start": w0 or views.MOVERS_DEFAULT[0], "end": w1 or views.MOVERS_DEFAULT[1],
               "rows": [], "error": problem}
        return _render(request, "movers.html", ctx, status=400)
    return cached(request, lambda: _render(request, "movers.html", views.movers(d, g, w0, w1, axis)))


def _group(group: Optional[str]) -> Optional[str]:
    """A subregion key, or None for all of Asia; an empty value (the form's "All Asia") is all."""
    if group is None or not group.strip():
        return None
    if group not in GROUPS:
        raise HTTPException(400, f"unknown subregion {group!r}; use one of {', '.join(GROUPS)} or leave it empty")
    return group


SVG = "image/svg+xml"


@router.get("/export/map.svg")
def map_svg(request: Request, year: Annotated[Optional[int], Query(ge=1900, le=2100)] = None,
            axis: Axis = "overall", stream: Stream = "combined", group: Optional[str] = None) -> Response:
    """The map as it is drawn in the reports (SVG), with its colour scale and a title."""
    from orderwatch.web.api import resolve_year

    d = request.app.state.data
    g = _group(group)
    y = resolve_year(d, stream, axis, year)
    title = f"{AXES[axis]}, {STREAM_LABELS[stream]}, {y} (−1 China's GSI pole, +1 US pole; grey: no evidence)"
    body = (f'<svg xmlns="http://www.w3.org/2000/svg" width="760" height="560" font-family="sans-serif">'
            f'<title>{title}</title><text x="8" y="16" font-size="13">{title}</text>'
            f'<g transform="translate(0,24)">{views.region_map(d, y, axis, stream, g)}</g>'
            f'<g transform="translate(8,530)">{charts.legend()}</g></svg>')
    return Response(body, media_type=SVG, headers={"Content-Disposition": f'attachment; filename="map_{axis}_{y}.svg"'})


@router.get("/export/country/{iso3}.{fmt}")
def country_chart(request: Request, iso3: str, fmt: str, axis: Axis = "overall") -> Response:
    """A country's chart as a file: one axis as SVG (as on the page), or every axis as PNG."""
    d = request.app.state.data
    code = d.country(iso3)["iso3"]
    if fmt == "svg":
        ctx = views.country(d, code)
        if axis not in ctx["charts"]:
            raise HTTPException(404, f"no positions for {code}")
        return Response(ctx["charts"][axis], media_type=SVG,
                        headers={"Content-Disposition": f'attachment; filename="{code}_{axis}.svg"'})
    if fmt == "png":
        if d.store is None or not d.has("positions"):
            raise HTTPException(404, "positions not yet computed; run `orderwatch build`")
        import io

        from orderwatch import plot

        def build() -> bytes:
            fig = plot.country(_TableStore(d), code)
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=110)
            import matplotlib.pyplot as plt

            plt.close(fig)
            return buf.getvalue()

        return Response(d.memo(("png", code), build), media_type="image/png",
                        headers={"Content-Disposition": f'attachment; filename="{code}.png"'})
    raise HTTPException(404, f"unknown format {fmt!r}; use svg or png")


class _TableStore:
    """The two store methods ``plot.country`` needs, served from the app's cached tables."""

    def __init__(self, d):
        self.d = d

    def has_table(self, name: str) -> bool:
        return self.d.has(name)

    def table(self, name: str):
        return self.d.table(name)
