"""Render reports to HTML (self-contained) and PDF (headless Chromium's --print-to-pdf).

A report uses the same views and templates as the dashboard (``orderwatch.web.views``),
with charts and the map as inline SVG and the style sheet inlined, so the HTML file
opens anywhere without a server or the internet, and prints the same as it displays.
"""

from __future__ import annotations

import datetime as _dt
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from orderwatch.errors import OrderwatchError
from orderwatch.web import services, views
from orderwatch.web.app import HERE, _templates
from orderwatch.web.data import GROUPS, Data

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def _render(ctx: dict[str, Any]) -> str:
    env = _templates().env
    css = (HERE / "static" / "app.css").read_text("utf-8")
    base = {"css": css, "generated": _dt.date.today().isoformat(), "provenance": services.provenance()}
    return env.get_template("report.html").render(**base, **ctx)


def _data(store_or_data: Any) -> Data:
    return store_or_data if isinstance(store_or_data, Data) else Data(store_or_data)


def country_report(store: Any, iso3: str) -> str:
    """HTML of a country report (same sections as /country/{iso3})."""
    d = _data(store)
    try:
        ctx = views.country(d, iso3)
    except LookupError as exc:
        raise OrderwatchError(f"unknown country {iso3!r}; use an ISO3 code such as PHL") from exc
    return _render({**ctx, "kind": "country", "title": f"{ctx['c']['name_en']} ({ctx['c']['iso3']})"})


def region_report(store: Any, group: str | None = None, axis: str = "overall", stream: str = "combined") -> str:
    """HTML of a regional report: map, rankings and the states' series.

    ``group`` is a subregion key (northeast, southeast, south, central, west) or None for
    all of Asia.
    """
    if group is not None and group not in GROUPS:
        raise OrderwatchError(f"unknown region {group!r}; use one of {', '.join(GROUPS)}")
    d = _data(store)
    if stream == "combined" and "combined" not in d.streams_present() and d.streams_present():
        stream = d.streams_present()[0]
    ctx = views.region(d, group, axis, stream)
    return _render({**ctx, "kind": "region", "title": f"The security order in {ctx['title']}"})


def find_chromium() -> str | None:
    """Path of a Chromium-family browser ($ORDERWATCH_CHROMIUM first), or None."""
    env = os.environ.get("ORDERWATCH_CHROMIUM")
    if env and Path(env).exists():
        return env
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def html_to_pdf(html: str, out: Path, timeout: float = 120) -> None:
    """Print HTML to PDF with headless Chromium (no network: the HTML is self-contained)."""
    exe = find_chromium()
    if exe is None:
        raise OrderwatchError("PDF needs Chromium (apt-get install chromium) or set $ORDERWATCH_CHROMIUM; "
                              "or write .html instead")
    with tempfile.TemporaryDirectory(prefix="orderwatch-report-") as tmp:
        src = Path(tmp) / "report.html"
        src.write_text(html, "utf-8")
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--no-pdf-header-footer", f"--user-data-dir={tmp}/profile",
               f"--print-to-pdf={out.resolve()}", src.as_uri()]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0 or not out.exists() or out.stat().st_size == 0:
            last = (proc.stderr or "").strip().splitlines()[-1:] or ["no output"]
            raise OrderwatchError(f"Chromium failed to print {out}: {last[0]}")


def write_report(store: Any, out: str | Path, country: str | None = None, region: str | None = None,
                 axis: str = "overall", stream: str = "combined") -> Path:
    """Write a country or regional report; the suffix (.html or .pdf) picks the format."""
    out = Path(out)
    if out.suffix.lower() not in (".html", ".htm", ".pdf"):
        raise OrderwatchError(f"{out}: the report must end in .html or .pdf")
    if country:
        html = country_report(store, country)
    else:
        html = region_report(store, None if region in (None, "asia", "all") else region, axis, stream)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".pdf":
        html_to_pdf(html, out)
    else:
        out.write_text(html, "utf-8")
    return out


def write_region_report(store: Any, region: str | None, out: str | Path, axis: str = "overall",
                        stream: str = "combined") -> Path:
    """Write a regional report (``region`` 'asia' or a subregion key); used by `orderwatch run`."""
    return write_report(store, out, region=region or "asia", axis=axis, stream=stream)
