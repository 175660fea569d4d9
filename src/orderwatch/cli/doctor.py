"""`orderwatch doctor`: what is wrong with a store, and what to do about it."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from orderwatch.cli.common import DbOption, JsonOption, emit_json

MARK = {"ok": "ok", "note": "note", "problem": "PROBLEM"}


def doctor(db: Optional[Path] = DbOption, json_out: bool = JsonOption) -> None:
    """Check the store: readable in full? meta, base and stream tables, user rows, locks,
    left-over temp files, bundled files' hashes. Exit code 1 when something is wrong.

    Example: orderwatch doctor --db /tmp/ow.duckdb
    """
    from orderwatch.health import diagnose
    from orderwatch.store import default_db_path

    path = Path(db) if db else default_db_path()
    findings = diagnose(path)
    bad = [f for f in findings if f.level == "problem"]
    if json_out:
        emit_json({"path": str(path), "ok": not bad, "findings": [f.to_dict() for f in findings]})
    else:
        for f in findings:
            typer.echo(f"{MARK[f.level]:8s} {f.check:20s} {f.detail}")
        typer.echo(f"{len(bad)} problem(s)" if bad else "no problems found")
    if bad:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)
