"""`orderwatch update`: bring the store up to date with newer votes, speeches and arms data."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from orderwatch.cli.common import DbOption, JsonOption, emit_json, open_store

update_app = typer.Typer(help="Add newer data: UNGA recorded votes, a General Debate release, SIPRI arms transfers.",
                         no_args_is_help=True)


def _store_path(db: Optional[Path]) -> Path:
    with open_store(db) as st:
        return st.path


def _report(report, json_out: bool) -> None:
    if json_out:
        emit_json({"path": str(report.path), "kind": report.kind, "added": report.added, "batches": report.batches,
                   "since": report.since, "stale_streams": list(report.stale_streams),
                   "seconds": round(report.seconds, 2)})
        return
    added = ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in report.added.items())
    if not any(report.added.values()):
        typer.echo(f"{report.kind}: nothing new ({report.batches} batch(es) checked); {report.path} unchanged",
                   err=True)
        return
    typer.echo(f"{report.kind}: added {added} to {report.path} in {report.seconds:.1f} s", err=True)
    typer.echo(f"stale streams: {', '.join(report.stale_streams)}; run `orderwatch build` to recompute them",
               err=True)


def update_votes(db: Optional[Path] = DbOption, json_out: bool = JsonOption) -> None:
    """Fetch UNGA recorded votes newer than the store's latest from the UN Digital Library.

    Example: orderwatch update votes --db /tmp/ow.duckdb
    """
    from orderwatch.update import undl, votes

    report = votes.update_votes(_store_path(db), fetch=undl.http_fetch)
    _report(report, json_out)


def update_speeches(
    source: str = typer.Argument(..., help="A General Debate Corpus release: a .parquet or .csv file, or a URL."),
    db: Optional[Path] = DbOption,
    json_out: bool = JsonOption,
) -> None:
    """Add speeches from a new General Debate Corpus release (checked against the bundled one).

    Example: orderwatch update speeches ./ungdc_2025.csv
    """
    from orderwatch.update import releases

    report = releases.update_speeches(_store_path(db), source)
    _report(report, json_out)


def update_arms(
    file: Path = typer.Argument(..., help="A SIPRI trade-register CSV (Arms Transfers Database export)."),
    db: Optional[Path] = DbOption,
    json_out: bool = JsonOption,
) -> None:
    """Add SIPRI arms transfers from a trade-register CSV you downloaded (header checked).

    Example: orderwatch update arms ./trade-register.csv
    """
    from orderwatch.update import releases

    report = releases.update_arms(_store_path(db), file)
    _report(report, json_out)


def register(app: typer.Typer) -> None:
    update_app.command("votes")(update_votes)
    update_app.command("speeches")(update_speeches)
    update_app.command("arms")(update_arms)
    app.add_typer(update_app, name="update")
