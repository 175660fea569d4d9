"""Reading stores that may be damaged: meta, user rows table by table, a full probe.

A build carries user rows into the new store; when some cannot be read the caller is told
which (``salvage_user_rows``) instead of their being dropped silently.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from orderwatch.errors import OrderwatchError
from orderwatch.store.layout import (CARRIED_TABLES, USER_ROW_TABLES, USER_SOURCE, USER_TABLES, first_line,
                                     read_only)


def table_names(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                      "WHERE table_catalog = current_database()").fetchall()}


def meta_of(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    if "meta" not in table_names(con):
        return {}
    return {k: json.loads(v) for k, v in con.execute("SELECT key, value FROM meta").fetchall()}


def read_meta(target: Path) -> dict[str, Any] | None:
    """The meta table of an existing store, or None when absent or unreadable."""
    if not target.exists():
        return None
    try:
        with read_only(target) as con:
            rows = con.execute("SELECT key, value FROM meta").fetchall()
        return {k: json.loads(v) for k, v in rows}
    except (duckdb.Error, ValueError):
        return None


def salvage_user_rows(target: Path) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Every user row that can be read from ``target`` (source = 'user' rows of the base
    tables, the user and cache tables), and ``{table: reason}`` for those that cannot be
    read (``{"*": reason}`` when the file does not open). An absent table is not an error."""
    if not Path(target).exists():
        return {}, {}
    out: dict[str, pd.DataFrame] = {}
    bad: dict[str, str] = {}
    try:
        con = read_only(target)
    except duckdb.Error as exc:
        return {}, {"*": first_line(exc)}
    try:
        try:
            have = table_names(con)
        except duckdb.Error as exc:
            return {}, {"*": first_line(exc)}
        for name in USER_ROW_TABLES + CARRIED_TABLES + USER_TABLES:
            if name not in have:
                continue
            where = " WHERE source = ?" if name in USER_ROW_TABLES else ""
            try:
                out[name] = con.execute(f'SELECT * FROM "{name}"{where}',
                                        [USER_SOURCE] if where else []).df()
            except duckdb.Error as exc:
                bad[name] = first_line(exc)
    finally:
        con.close()
    return {k: v for k, v in out.items() if len(v)}, bad


def read_user_rows(target: Path) -> dict[str, pd.DataFrame]:
    """Rows that users ingested (source = 'user') in an existing store, to carry into a
    rebuild; raises when some cannot be read (``orderwatch build --force`` salvages)."""
    rows, bad = salvage_user_rows(target)
    if bad:
        raise OrderwatchError(f"cannot read the user rows of {target} ("
                              + "; ".join(f"{k}: {v}" for k, v in bad.items()) + ")")
    return rows


def probe(target: Path) -> dict[str, Any]:
    """What `orderwatch doctor` needs to know: opens? tables (with row counts, or the error
    met reading every row of each), meta. Reads the whole file: seconds on a full store."""
    out: dict[str, Any] = {"opens": False, "error": None, "tables": {}, "errors": {}, "meta": None}
    try:
        con = read_only(target)
    except duckdb.Error as exc:
        out["error"] = first_line(exc)
        return out
    try:
        out["opens"] = True
        for name in sorted(table_names(con)):
            try:  # hashing every row reads every column's data blocks, which count(*) skips
                out["tables"][name] = int(con.execute(f'SELECT count(*), sum(hash(t)) FROM "{name}" t')
                                          .fetchone()[0])
            except duckdb.Error as exc:
                out["errors"][name] = first_line(exc)
        if "meta" in out["tables"]:
            try:
                out["meta"] = meta_of(con)
                if "table_provenance" in out["tables"]:  # which stream made which table
                    out["meta"]["_lineage"] = con.execute('SELECT "table", stream FROM table_provenance').fetchall()
            except (duckdb.Error, ValueError) as exc:
                out["errors"]["meta"] = first_line(exc)
    finally:
        con.close()
    return out
