"""Options and helpers shared by every command: --db, --json, --quiet, --years, a country, errors, output.

Commands are thin: parse, make one library call (most often on the read side,
:mod:`orderwatch.observatory`), render. One exit-code rule: 0 success, 1 a data or domain
error (one line naming what was wrong: :func:`fail`, or an ``OrderwatchError`` that
``orderwatch.cli.main`` turns into one line), 2 a usage error (typer's own, or
``fail(..., code=2)`` for a malformed value such as ``--years abc``).
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any, NoReturn, Optional

import typer

from orderwatch.errors import OrderwatchError

DbOption = typer.Option(
    None, "--db", help="Path of the DuckDB store (default: $ORDERWATCH_DB or the user data dir).",
    show_default=False,
)
JsonOption = typer.Option(False, "--json", help="Print exactly one JSON document on stdout.")
QuietOption = typer.Option(False, "--quiet", "-q", help="Print nothing on success.")
COUNTRY_HELP = "A state: ISO3, ISO2, COW code or name in English or Chinese (PHL, PH, Philippines, 菲律宾)."
CountryArgument = typer.Argument(..., help=COUNTRY_HELP, show_default=False)
CountryOption = typer.Option(..., "--country", "-c", help=COUNTRY_HELP, show_default=False)


def YearsOption(default: Optional[str], help: str = "Year or inclusive range, e.g. 2019 or 2000-2024."):  # noqa: N802
    """``--years`` with its default; parse the value with :func:`parse_years` (exit 2 when malformed)."""
    return typer.Option(default, "--years", help=help, show_default=default is not None)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a one-line error on stderr and exit (1 data/domain error, 2 usage)."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def parse_years(text: Optional[str], option: str = "--years") -> Optional[tuple[int, int]]:
    """Parse a year or an inclusive range ("2019", "2000-2024"); None passes through.

    A malformed value is a usage error: one line naming the option, exit 2.
    """
    if text is None:
        return None
    m = re.fullmatch(r"\s*(\d{4})\s*(?:-\s*(\d{4}))?\s*", text)
    if not m:
        fail(f"{option} must look like 2019 or 2000-2024, got {text!r}", code=2)
    first, last = int(m.group(1)), int(m.group(2) or m.group(1))
    if first > last:
        fail(f"{option}: first year {first} is after last year {last}, got {text!r}", code=2)
    return first, last


def country_code(query: str) -> str:
    """ISO3 of a state the user named, through the registry's resolver (the one the read side's
    :func:`orderwatch.observatory.resolve` wraps); an unknown name is one line and exit 1."""
    from orderwatch.countries import to_iso3
    from orderwatch.errors import UnknownCountryError

    try:
        return to_iso3(query)
    except UnknownCountryError as exc:
        fail(str(exc))


def observe(db: Optional[Path]):
    """The read side (:class:`orderwatch.observatory.Observatory`) over the store at ``db``."""
    from orderwatch.observatory import Observatory

    return Observatory(open_store(db))


def select(store, table: str, where: dict, order=(), limit: Optional[int] = None):
    """Rows of one table (:func:`orderwatch.observatory.queries.select`); absent table: exit 1."""
    from orderwatch.observatory import NotComputed, queries

    try:
        return queries.select(store, table, where, order, limit)
    except NotComputed:
        fail(f"the store has no table {table}; run `orderwatch build` (with the streams)")


def open_store(db: Optional[Path]):
    """Open the store read-only, or fail with a hint to run `orderwatch build`."""
    from orderwatch.store import Store, default_db_path

    path = Path(db) if db else default_db_path()
    if not path.exists():
        fail(f"no store at {path}; run `orderwatch build` first (or pass --db)")
    try:
        return Store(path)
    except OrderwatchError as exc:
        fail(str(exc))


def emit_json(obj: Any) -> None:
    """Write one JSON document to stdout."""
    from orderwatch.evidence import json_safe  # numpy: only for commands that print JSON

    sys.stdout.write(json.dumps(json_safe(obj), ensure_ascii=False, indent=2) + "\n")


def is_debug() -> bool:
    return os.environ.get("ORDERWATCH_DEBUG") == "1"


# -- exports (shared by every listing command) -----------------------------------------
CsvOption = typer.Option(False, "--csv", help="Print the rows as CSV on stdout (figures rounded to 3 decimals).")
FormatOption = typer.Option(
    None, "--format", help="csv (= --csv) or parquet (full precision, binary: redirect stdout to a file, "
    "e.g. > rows.parquet).", show_default=False)
CSV_DIGITS = 3


def emit_table(rows: Any, csv: bool = False, fmt: Optional[str] = None) -> bool:
    """Write ``rows`` (a DataFrame or a list of flat dicts) as CSV or Parquet when asked.

    Returns True when something was written (the caller then prints nothing else).
    Nested values (lists, dicts) are flattened to ``key_subkey`` columns so that a CSV
    cell never holds a Python dump.
    """
    if fmt is None and not csv:
        return False
    if fmt is not None and fmt not in ("csv", "parquet"):
        fail(f"--format must be csv or parquet, got {fmt!r}", code=2)
    from orderwatch.readable import flat_frame

    df = flat_frame(rows)
    if fmt == "parquet":
        if sys.stdout.isatty():
            fail("--format parquet writes binary: redirect stdout to a file (> rows.parquet)", code=2)
        import io

        buf = io.BytesIO()
        df.to_parquet(buf, index=False)
        sys.stdout.buffer.write(buf.getvalue())
        sys.stdout.flush()
        return True
    numeric = df.select_dtypes("floating").columns
    df[numeric] = df[numeric].round(CSV_DIGITS) + 0.0  # + 0.0 turns -0.0 into 0.0
    sys.stdout.write(df.to_csv(index=False))
    return True
