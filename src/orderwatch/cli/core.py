"""Core commands: build, overview, sources, countries, ingest."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from orderwatch.cli.common import DbOption, JsonOption, QuietOption, country_code, emit_json, fail, observe, open_store
from orderwatch.cli.common import CsvOption, FormatOption, emit_table  # exports

WaitOption = typer.Option(None, "--wait", metavar="SECONDS", show_default=False,
                          help="How long to wait for another process writing the store (default "
                          "$ORDERWATCH_LOCK_WAIT or 60).")

ingest_app = typer.Typer(help="Add your own documents or UN Digital Library vote exports to the store.",
                         no_args_is_help=True)


def _progress_printer(with_streams: bool = True):
    """A progress bar over the build's stages on a terminal; silence otherwise."""
    if not sys.stderr.isatty():
        return None, None
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from orderwatch.build import STAGES, stream_steps

    prog = Progress(TextColumn("{task.description:<40}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                    TimeElapsedColumn(), transient=True)
    task = prog.add_task("build", total=len(STAGES) + (len(stream_steps()) if with_streams else 0))

    def say(stage: str) -> None:
        prog.update(task, description=stage, advance=1)

    return prog, say


def build(
    db: Optional[Path] = DbOption,
    force: bool = typer.Option(False, "--force", help="Rebuild even when inputs and code are unchanged."),
    base_only: bool = typer.Option(False, "--base-only", help="Load the data only; skip the streams."),
    quiet: bool = QuietOption,
    json_out: bool = JsonOption,
    wait: Optional[float] = WaitOption,
) -> None:
    """Build (or refresh) the store from the bundled data, atomically.

    Example: orderwatch build --db /tmp/ow.duckdb
    """
    from orderwatch import build as builder

    prog, say = (None, None) if (quiet or json_out) else _progress_printer(not base_only)
    if prog:
        prog.start()
    try:
        report = builder.build(db, force=force, with_streams=not base_only, progress=say, wait=wait)
    finally:
        if prog:
            prog.stop()
    for note in report.notes:  # a store moved aside: said even with --quiet
        typer.echo(note, err=True)
    if json_out:
        emit_json({"path": str(report.path), "skipped": report.skipped, "seconds": round(report.seconds, 2),
                   "rows": report.rows, "streams": report.streams, "notes": report.notes})
    elif not quiet:
        what = "unchanged, nothing to do" if report.skipped else f"built ({', '.join(report.streams) or 'base only'})"
        typer.echo(f"store {report.path}: {what} in {report.seconds:.1f} s", err=True)


def sources(db: Optional[Path] = DbOption, json_out: bool = JsonOption) -> None:
    """List the bundled data sources with origin, version, licence, citation and sha256.

    Example: orderwatch sources --json
    """
    from orderwatch import bundled

    recs = list(bundled.provenance())
    if json_out:
        emit_json(recs)
        return
    for r in recs:
        rows = f"{r['rows']:,} rows" if r.get("rows") is not None else "file"
        typer.echo(f"{r['name']:24s} {rows:>16s}  {r['title']}")
        typer.echo(f"{'':24s} {'':>16s}  {r['version']} | {r['licence']} | sha256 {r['sha256'][:12]}…")


def countries(
    query: Optional[str] = typer.Argument(None, help="A code or name to look up (ISO3/ISO2/COW/EN/ZH)."),
    group: Optional[str] = typer.Option(None, "--group", help="northeast, southeast, south, central, west, oceania_partner"),
    json_out: bool = JsonOption,
) -> None:
    """Look up the country registry.

    Example: orderwatch countries 菲律宾 ; orderwatch countries --group southeast
    """
    from orderwatch import countries as reg

    df = reg.registry()
    if query:
        df = df[df.iso3 == country_code(query)]
    if group:
        df = df[df.iso3.isin(reg.group(group))]
    if json_out:
        emit_json(df.to_dict("records"))
    else:
        typer.echo(df[["iso3", "iso2", "cow", "name_en", "name_zh", "m49_subregion", "group",
                       "un_member_from", "un_member_to"]].to_string(index=False))


def overview(db: Optional[Path] = DbOption, json_out: bool = JsonOption, csv: bool = CsvOption,
             fmt: Optional[str] = FormatOption) -> None:
    """Summarise the store: sources, coverage and (once computed) the latest positions.

    Example: orderwatch overview   (--csv: the latest positions as CSV)
    """
    summary = observe(db).summary()
    if json_out:
        emit_json(summary)
        return
    latest = summary.get("latest_positions") or {"year": None, "rows": []}
    if emit_table([{"year": latest["year"], **r} for r in latest["rows"]], csv, fmt):
        return
    from orderwatch.cli.render import overview_text

    typer.echo(overview_text(summary))


def run(
    db: Optional[Path] = DbOption,
    report: Path = typer.Option(Path("orderwatch-asia.html"), "--report",
                                help="Where to write the Asia overview report."),
) -> None:
    """The main job: build the store (if needed), print the overview, write the Asia report.

    Example: orderwatch run
    """
    build(db=db, force=False, base_only=False, quiet=False, json_out=False, wait=None)
    overview(db=db, json_out=False, csv=False, fmt=None)
    try:
        from orderwatch.reports import write_region_report
    except ImportError:
        return
    with open_store(db) as st:
        out = write_region_report(st, "asia", report)
    typer.echo(f"\nAsia overview report: {out}")
    typer.echo("Dashboard: orderwatch serve   (then open http://127.0.0.1:8765/)")


def _append(path: Path, tables: dict) -> None:
    """Write validated rows; a full disk or a read-only folder is one line, not a traceback."""
    from orderwatch import store

    try:
        store.append_user_rows(path, tables)
    except OSError as exc:
        fail(f"{path}: cannot write the store ({exc.strerror or exc}); nothing was added")


def ingest_documents(
    folder: Path = typer.Argument(..., help="Folder of .txt/.md files with manifest.csv or manifest.yaml."),
    db: Optional[Path] = DbOption,
    wait: Optional[float] = WaitOption,
) -> None:
    """Add official texts: manifest columns file, country, date, title, source_url, language [, id, doc_type].

    Example: orderwatch ingest documents ./statements/
    """
    from orderwatch import ingest, lock
    from orderwatch.observatory import queries

    with open_store(db) as st:
        path = st.path
    with lock.writer_lock(path, wait):  # the duplicate check and the append see the same store
        with open_store(path) as st:
            existing = queries.user_document_ids(st)
        rows = ingest.documents(folder, existing)
        _append(path, {"documents": rows})
    typer.echo(f"added {len(rows)} document(s) to {path}; run `orderwatch build` to rescore", err=True)


def ingest_votes(
    file: Path = typer.Argument(..., help="UN Digital Library voting export (CSV)."),
    db: Optional[Path] = DbOption,
    wait: Optional[float] = WaitOption,
) -> None:
    """Add recorded votes: CSV columns undl_id, ms_code, ms_vote (Y/N/A/X), date, resolution, title.

    Optional: session (derived from the date when absent), year, ms_name, meeting, agenda,
    undl_link, session_symbol. Rules and limits: docs/ingest.md.

    Example: orderwatch ingest votes ./undl_export.csv
    """
    from orderwatch import ingest, lock
    from orderwatch.observatory import queries

    with open_store(db) as st:
        path = st.path
    with lock.writer_lock(path, wait):  # the duplicate check and the append see the same store
        with open_store(path) as st:
            existing = queries.roll_call_ids(st)
        tables = ingest.votes(file, existing)
        _append(path, tables)
    typer.echo(f"added {len(tables['votes'])} vote(s) on {len(tables['roll_calls'])} roll call(s) to {path}",
               err=True)


def register(app: typer.Typer) -> None:
    app.command("run")(run)
    app.command("build")(build)
    app.command("overview")(overview)
    app.command("sources")(sources)
    app.command("countries")(countries)
    ingest_app.command("documents")(ingest_documents)
    ingest_app.command("votes")(ingest_votes)
    app.add_typer(ingest_app, name="ingest")
