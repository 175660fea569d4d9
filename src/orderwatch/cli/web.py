"""`orderwatch serve` (the dashboard) and `orderwatch report` (static HTML/PDF)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from orderwatch.cli.common import COUNTRY_HELP, DbOption, JsonOption, country_code, emit_json, fail, open_store


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("report")(report)


def serve(
    port: int = typer.Option(8765, "--port", "-p", help="TCP port."),
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to bind; the default is loopback only."),
    allow_host: list[str] = typer.Option([], "--allow-host",
                                         help="Host name clients may use besides loopback and --host (repeatable; "
                                              "also $ORDERWATCH_ALLOWED_HOSTS, comma-separated), e.g. a reverse "
                                              "proxy's public name."),
    db: Optional[Path] = DbOption,
) -> None:
    """Serve the dashboard (map, rankings, country pages, scorer, claims, API) read-only.

    Example: orderwatch serve --port 8765   then open http://127.0.0.1:8765/
    """
    import uvicorn

    from orderwatch.web import create_app

    store = open_store(db)
    if host not in ("127.0.0.1", "localhost", "::1"):
        typer.echo(f"warning: binding {host} exposes the dashboard beyond this machine", err=True)
    typer.echo(f"orderwatch dashboard on http://{host}:{port}/ (API docs at /docs); Ctrl-C to stop", err=True)
    hosts = [*allow_host] + ([] if host in ("0.0.0.0", "::") else [host])  # a wildcard bind is not a name
    uvicorn.run(create_app(store, allowed_hosts=hosts), host=host, port=port, log_level="warning")


def report(
    out: Path = typer.Option(..., "--out", "-o", help="Output file: .html (self-contained) or .pdf (needs Chromium)."),
    country: Optional[str] = typer.Option(None, "--country", "-c", help="For a country report: " + COUNTRY_HELP),
    region: Optional[str] = typer.Option(None, "--region", "-r",
                                         help="asia, northeast, southeast, south, central or west (default asia)."),
    axis: str = typer.Option("overall", "--axis", help="Axis for a regional report: overall, A1, A2, A3."),
    stream: str = typer.Option("combined", "--stream", help="combined, words, votes or institutions."),
    paper: str = typer.Option("a4", "--paper", help="PDF page size: a4 or letter."),
    db: Optional[Path] = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Write a static report with the dashboard's charts (country or region).

    Example: orderwatch report --country Philippines --out report.pdf   (A4; --paper letter)
    Example: orderwatch report --region southeast --out southeast.html
    """
    from orderwatch.reports import write_report
    from orderwatch.observatory import AXIS_LABELS as AXES
    from orderwatch.observatory import SOURCES as STREAMS

    if country and region:
        fail("give --country or --region, not both", code=2)
    if axis not in AXES:
        fail(f"unknown axis {axis!r}; use one of {', '.join(AXES)}", code=2)
    if stream not in STREAMS:
        fail(f"unknown stream {stream!r}; use one of {', '.join(STREAMS)}", code=2)
    if paper.lower() not in ("a4", "letter"):
        fail(f"unknown paper {paper!r}; use a4 or letter", code=2)
    iso3 = country_code(country) if country else None
    store = open_store(db)
    path = write_report(store, out, country=iso3, region=region, axis=axis, stream=stream, paper=paper.lower())
    if as_json:
        emit_json({"out": str(path), "bytes": path.stat().st_size, "country": country, "region": region or (None if country else "asia")})
    else:
        typer.echo(f"wrote {path} ({path.stat().st_size:,} bytes)")
