"""Render reports to HTML (self-contained) and PDF (headless Chromium's --print-to-pdf).

A report uses the same views and templates as the dashboard (:mod:`orderwatch.present`),
with charts and the map as inline SVG and the style sheet inlined, so the HTML file
opens anywhere without a server or the internet, and prints the same as it displays.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from orderwatch.errors import OrderwatchError
from orderwatch.observatory import GROUPS, Observatory
from orderwatch.present import templating, views
from orderwatch.present.templating import provenance

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
#: Paper sizes for the PDF (CSS @page names); A4 by default.
PAPERS = {"a4": "A4", "letter": "letter"}
# Links to the dashboard's own routes (/country/..., /api/..., /download/...) lead nowhere in a
# file on disk (file:///api/...): the report keeps their text and drops the link.
_SERVER_LINK = re.compile(r'<a href="/[^"]*"[^>]*>(.*?)</a>', re.S)


def _render(ctx: dict[str, Any], paper: str = "a4") -> str:
    env = templating.environment()
    if paper not in PAPERS:
        raise OrderwatchError(f"unknown paper {paper!r}; use a4 or letter")
    base = {"css": templating.stylesheet(), "generated": _dt.date.today().isoformat(), "provenance": provenance(),
            "paper": PAPERS[paper]}
    html = env.get_template("report.html").render(**base, **ctx)
    return _SERVER_LINK.sub(r"\1", html)


def _movers(d: Observatory, states: list[str] | None, axis: str = "overall") -> list[dict]:
    """Movers rows (default windows) for the findings; [] when the synthesis is absent."""
    if not d.has("positions"):
        return []
    group_rows = views.movers(d, None, *views.MOVERS_DEFAULT, axis=axis).get("rows", [])
    return [r for r in group_rows if states is None or r["iso3"] in states]


def _data(store_or_data: Any) -> Observatory:
    return store_or_data if isinstance(store_or_data, Observatory) else Observatory(store_or_data)


def country_report(store: Any, iso3: str, paper: str = "a4") -> str:
    """HTML of a country report (same sections as /country/{iso3}), key findings first."""
    from orderwatch.reports.findings import country_findings

    d = _data(store)
    ctx = views.country(d, iso3)  # the country profile drawn; an unknown name is a one-line error
    c = ctx["c"]
    ctx.update(movers_start=views.MOVERS_DEFAULT[0], movers_end=views.MOVERS_DEFAULT[1])
    findings = country_findings(ctx, _movers(d, [c["iso3"]]))
    zh = f" {c['name_zh']}" if c.get("name_zh") else ""
    return _render({**ctx, "kind": "country", "findings": findings,
                    "title": f"{c['name_en']}{zh} ({c['iso3']})"}, paper)


def region_report(store: Any, group: str | None = None, axis: str = "overall", stream: str = "combined",
                  paper: str = "a4") -> str:
    """HTML of a regional report: map, rankings and the states' series.

    ``group`` is a subregion key (northeast, southeast, south, central, west) or None for
    all of Asia.
    """
    if group is not None and group not in GROUPS:
        raise OrderwatchError(f"unknown region {group!r}; use one of {', '.join(GROUPS)}")
    d = _data(store)
    if stream == "combined" and "combined" not in d.streams_present() and d.streams_present():
        stream = d.streams_present()[0]
    from orderwatch.reports.findings import region_findings

    ctx = views.region(d, group, axis, stream)
    ctx.update(movers_start=views.MOVERS_DEFAULT[0], movers_end=views.MOVERS_DEFAULT[1])
    states = [r["iso3"] for r in ctx.get("rows", [])]
    findings = region_findings(ctx, _movers(d, states, axis) if stream == "combined" else [])
    return _render({**ctx, "kind": "region", "findings": findings,
                    "title": f"The security order in {ctx['title']}"}, paper)


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
                 axis: str = "overall", stream: str = "combined", paper: str = "a4") -> Path:
    """Write a country or regional report; the suffix (.html or .pdf) picks the format.

    ``paper`` is ``a4`` (default) or ``letter`` (the PDF's page size, via CSS ``@page``).
    """
    out = Path(out)
    if out.suffix.lower() not in (".html", ".htm", ".pdf"):
        raise OrderwatchError(f"{out}: the report must end in .html or .pdf")
    if country:
        html = country_report(store, country, paper=paper)
    else:
        html = region_report(store, None if region in (None, "asia", "all") else region, axis, stream, paper=paper)
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
