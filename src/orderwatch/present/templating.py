"""The one Jinja2 environment of the dashboard and the reports: templates, filters, globals.

>>> env = environment()
>>> env.filters["signed"](-0.0001), env.filters["signed"](0.25), env.filters["signed"](None)
('+0.00', '+0.25', '—')
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from orderwatch import __version__, readable
from orderwatch.observatory.names import AXIS_LABELS, GROUPS, SOURCE_LABELS, SOURCES
from orderwatch.present import charts

#: The package folder that holds ``templates/`` and ``static/``.
HERE = Path(str(resources.files("orderwatch.present")))
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


def signed(v: Any, digits: int = 2) -> str:
    """A position as ``+0.25``; "—" for no evidence; never "-0.00"."""
    if readable.is_missing(v):
        return "—"
    text = f"{float(v):+.{digits}f}"
    return "+" + text[1:] if text.strip("+-0.") == "" else text


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The environment every page and report renders with (built once)."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             autoescape=True)  # as Starlette's Jinja2Templates
    env.globals.update(
        AXES=AXIS_LABELS, GROUPS=GROUPS, STREAM_LABELS=SOURCE_LABELS, STREAM_TABLES=SOURCES,
        colour=charts.colour, chip=charts.chip_style, version=__version__,
    )
    env.filters["signed"] = signed
    env.filters["readable"] = readable.value
    env.filters["evidence_line"] = readable.line
    env.filters["claim_evidence"] = readable.evidence_line
    env.filters["figures_line"] = readable.figures_line
    return env


def stylesheet() -> str:
    """The dashboard's style sheet, inlined by the reports."""
    return (STATIC / "app.css").read_text("utf-8")


def provenance() -> list[dict[str, Any]]:
    """The bundled data's provenance records (source, version, licence, sha256)."""
    try:
        raw = resources.files("orderwatch.bundled").joinpath("provenance.json").read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        return []
    data = json.loads(raw)
    if isinstance(data, dict):
        items = data.get("tables") or data.get("sources") or data
        if isinstance(items, dict):
            return [{"name": k, **(v if isinstance(v, dict) else {"value": v})} for k, v in items.items()]
        return list(items)
    return list(data)
