"""A choropleth of Asia as static SVG, drawn from the bundled TopoJSON without JavaScript.

Used by the reports (HTML and PDF) so that they show the same map as the dashboard, whose
interactive map draws the same file with d3 and topojson-client in the browser.

TopoJSON stores quantised, delta-encoded arcs; a polygon ring lists arc indices, a
negative index ``~i`` meaning arc ``i`` reversed (Bostock, *TopoJSON Format
Specification* 1.0, https://github.com/topojson/topojson-specification, 2013). The
projection is equirectangular with the x axis shrunk by cos(latitude at the map's
centre), which keeps shapes recognisable over Asia's latitude span.
"""

from __future__ import annotations

import functools
import json
import math
from html import escape
from typing import Any

from orderwatch.present.charts import NO_DATA, colour

#: Longitude and latitude box of the map (West Asia to Japan, Kazakhstan to Indonesia).
BOX = (25.0, -12.0, 150.0, 56.0)


@functools.lru_cache(maxsize=1)
def topology_bytes() -> bytes:
    """The bundled world map (world-atlas 2.0.2, 50m), as raw bytes."""
    from orderwatch import bundled

    return bundled.read_bytes("world_atlas_50m")  # checked against its provenance sha256


@functools.lru_cache(maxsize=1)
def _decoded() -> tuple[list[list[tuple[float, float]]], list[dict[str, Any]]]:
    topo = json.loads(topology_bytes())
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs, topo["objects"]["countries"]["geometries"]


def _ring(arcs: list, idx: list[int]) -> list[tuple[float, float]]:
    pts: list[tuple[float, float]] = []
    for i in idx:
        a = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(a[1:] if pts else a)  # consecutive arcs share their end points
    return pts


def _polygons(geom: dict) -> list[list[list[int]]]:
    if geom.get("type") == "Polygon":
        return [geom["arcs"]]
    if geom.get("type") == "MultiPolygon":
        return geom["arcs"]
    return []


def choropleth(values: dict[str, float | None], width: int = 760, labels: dict[str, str] | None = None) -> str:
    """SVG map of Asia coloured by position.

    Parameters
    ----------
    values : dict
        ISO numeric id (zero-padded string, as in the TopoJSON) -> position or None.
        States not in ``values`` are drawn as pale context.
    labels : dict, optional
        id -> tooltip text.
    """
    arcs, geoms = _decoded()
    lon0, lat0, lon1, lat1 = BOX
    k = math.cos(math.radians((lat0 + lat1) / 2))
    scale = width / ((lon1 - lon0) * k)
    height = int((lat1 - lat0) * scale)

    def P(lon: float, lat: float) -> str:
        return f"{(lon - lon0) * k * scale:.1f},{(lat1 - lat) * scale:.1f}"

    out = [f'<svg class="map" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'xmlns="http://www.w3.org/2000/svg"><rect width="{width}" height="{height}" fill="#eef4f8"/>']
    for g in geoms:
        gid = str(g.get("id", ""))
        parts = []
        for poly in _polygons(g):
            for ring_idx in poly:
                ring = _ring(arcs, ring_idx)
                if not ring:
                    continue
                xs = [p[0] for p in ring]
                ys = [p[1] for p in ring]
                # Skip rings wholly outside the box, and rings that wrap the antimeridian.
                if max(xs) < lon0 or min(xs) > lon1 or max(ys) < lat0 or min(ys) > lat1 or max(xs) - min(xs) > 180:
                    continue
                parts.append("M" + "L".join(P(x, y) for x, y in ring) + "Z")
        if not parts:
            continue
        focus = gid in values
        fill = colour(values[gid]) if focus else "#f4f4f0"
        if focus and values[gid] is None:
            fill = NO_DATA
        title = escape(labels.get(gid, gid)) if labels else escape(gid)
        out.append(f'<path d="{"".join(parts)}" fill="{fill}" stroke="{"#555" if focus else "#bbb"}" '
                   f'stroke-width="{0.5 if focus else 0.3}" data-id="{escape(gid)}"><title>{title}</title></path>')
    out.append("</svg>")
    return "".join(out)
