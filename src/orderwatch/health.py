"""Store health: what is wrong with a store (`orderwatch doctor`) and how a build recovers.

A store that cannot be rebuilt in place (a file DuckDB cannot open, a missing or damaged
meta table, user rows that cannot be read) is refused by ``orderwatch build``; with
``--force`` it is moved aside (``s.duckdb.corrupt-YYYYmmddTHHMMSS``, never deleted) and
the build says how many user rows it carried over and which it could not read, with the
count the store's own meta recorded when that is readable.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from orderwatch import bundled, lock, store
from orderwatch.errors import OrderwatchError

CORRUPT_INFIX = ".corrupt-"


# -- recovery (build) ---------------------------------------------------------------------------
def _problem(target: Path, meta: dict | None, unreadable: dict[str, str]) -> str | None:
    if "*" in unreadable:
        return f"DuckDB cannot open it ({unreadable['*']})"
    if meta is None:
        return "it has no readable meta table (not an orderwatch store, or damaged)"
    if unreadable:
        return f"user rows cannot be read ({errors_text(unreadable)})"
    return None


def errors_text(errors: dict[str, str], show: int = 4) -> str:
    """``{table: error}`` as one short line, tables with the same error grouped."""
    by_error: dict[str, tuple[str, list[str]]] = {}
    for table, err in errors.items():  # errors that differ only in offsets are one error
        by_error.setdefault(re.sub(r"\d+", "#", err), (err, []))[1].append(table)
    parts = []
    for err, tables in by_error.values():
        names = ", ".join(tables[:show]) + (f" and {len(tables) - show} more" if len(tables) > show else "")
        parts.append(f"{names}: {err[:160]}")
    return "; ".join(parts)


def user_rows_for_rebuild(target: Path, force: bool, meta: dict | None) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """The user rows a full rebuild of ``target`` carries over, and notes for the user.

    A healthy store gives its rows and no notes. A damaged or foreign file raises (one
    line, with the hint) unless ``force``; with ``force`` it is moved aside and the notes
    say where, and how many user rows were carried over or could not be read.
    """
    if not Path(target).exists():
        return {}, []
    rows, unreadable = store.salvage_user_rows(target)
    problem = _problem(target, meta, unreadable)
    if problem is None:
        return rows, []
    if not force:
        raise OrderwatchError(f"the store {target} cannot be rebuilt in place: {problem}; "
                              "`orderwatch build --force` moves it aside and builds a new one, carrying over "
                              "the user rows it can read (`orderwatch doctor` says more)")
    aside = move_aside(target)
    return rows, [f"moved the damaged store aside to {aside}: {problem}",
                  _salvage_summary(rows, unreadable, (meta or {}).get("user_rows"), aside)]


def _salvage_summary(rows: dict[str, pd.DataFrame], unreadable: dict[str, str], expected: dict | None,
                     aside: Path) -> str:
    got = {k: len(v) for k, v in rows.items() if k in store.USER_ROW_TABLES + store.USER_TABLES}
    carried = sum(got.values())
    text = f"user rows: carried over {carried:,}" + (f" ({_counts(got)})" if got else "")
    if "*" in unreadable:
        return text + f"; the file does not open, so any user rows in it could not be read (they stay in {aside})"
    lost = {k: expected[k] - got.get(k, 0) for k in expected or {} if expected[k] > got.get(k, 0)}
    unknown = [k for k in unreadable if k not in lost and (expected is None or k in expected)]
    if expected is None and unreadable:
        unknown = list(unreadable)
    if not lost and not unknown:
        return text + "; none lost"
    parts = []
    if lost:
        parts.append(f"could not read {sum(lost.values()):,} ({_counts(lost)}, by the store's own count)")
    if unknown:
        parts.append(f"could not read table(s) {', '.join(unknown)} (how many rows is unknown)")
    return text + "; " + "; ".join(parts) + f"; they stay in {aside}"


def _counts(d: dict[str, int]) -> str:
    return ", ".join(f"{k} {v:,}" for k, v in sorted(d.items()))


def move_aside(target: Path) -> Path:
    """Rename ``target`` (and its WAL) to ``target.corrupt-<UTC time>``, under the write lock."""
    target = Path(target)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    with lock.writer_lock(target):
        aside = target.with_name(f"{target.name}{CORRUPT_INFIX}{stamp}")
        n = 1
        while aside.exists():
            aside = target.with_name(f"{target.name}{CORRUPT_INFIX}{stamp}-{n}")
            n += 1
        try:
            os.replace(target, aside)
            wal = Path(str(target) + ".wal")
            if wal.exists():
                os.replace(wal, Path(str(aside) + ".wal"))
        except OSError as exc:
            raise OrderwatchError(f"cannot move the damaged store {target} aside: {exc.strerror or exc}") from None
    return aside


# -- diagnosis (doctor) -------------------------------------------------------------------------
@dataclass
class Finding:
    check: str
    level: str  # "ok", "note" (worth knowing) or "problem" (exit code 1)
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"check": self.check, "level": self.level, "detail": self.detail}


def diagnose(target: Path, check_bundled: bool = True) -> list[Finding]:
    """Everything `orderwatch doctor` reports about the store at ``target``."""
    target = Path(target)
    out: list[Finding] = []
    add = lambda check, level, detail: out.append(Finding(check, level, detail))  # noqa: E731
    if check_bundled:
        try:
            names = bundled.verify_all()
            add("bundled files", "ok", f"{len(names)} files match their provenance sha256")
        except OrderwatchError as exc:
            add("bundled files", "problem", str(exc))
    for kind, what in ((lock.BUILD, "build"), (lock.WRITE, "write")):
        pid = lock.holder(target, kind)
        add(f"{what} lock", "note" if pid else "ok",
            f"held by pid {pid} (a {what} is running)" if pid else "free")
    stale = store.stale_temp_files(target)
    add("temp files", "problem" if stale else "ok",
        f"{len(stale)} left by writers that died ({', '.join(p.name for p in stale[:3])}); "
        "`orderwatch build` removes them" if stale else "none left behind")
    aside = sorted(target.parent.glob(f"{target.name}{CORRUPT_INFIX}*"))
    if aside:
        add("moved aside", "note", f"{len(aside)} damaged store(s) kept beside it: {', '.join(p.name for p in aside)}")
    if not target.exists():
        add("store", "problem", f"no store at {target}; run `orderwatch build`")
        return out
    _diagnose_file(target, add)
    return out


def _diagnose_file(target: Path, add) -> None:
    size = target.stat().st_size
    probe = store.probe(target)
    if not probe["opens"]:
        add("store", "problem", f"{target} ({size:,} bytes) does not open: {probe['error']}; "
            "`orderwatch build --force` moves it aside and rebuilds")
        return
    bad = probe["errors"]
    add("store", "problem" if bad else "ok",
        f"{target}: {len(probe['tables'])} of {len(probe['tables']) + len(bad)} tables read in full"
        + (f"; unreadable: {errors_text(bad)}" if bad else ""))
    meta = probe["meta"]
    if not meta:
        add("meta", "problem", "no readable meta table: not an orderwatch store, or damaged")
        return
    fp = meta.get("fingerprint")
    add("meta", "ok" if fp != "stale" else "note",
        f"version {meta.get('version')}, built {meta.get('built_at')}"
        + ("; changed by an ingest or update since: run `orderwatch build` to recompute the streams"
           if fp == "stale" else ""))
    tables = probe["tables"]
    missing = [t for t in store.BASE_TABLES if t not in tables and t not in bad]
    add("base tables", "problem" if missing else "ok",
        f"missing: {', '.join(missing)}" if missing else f"all {len(store.BASE_TABLES)} present")
    _diagnose_streams(meta, tables, add)
    rows, unreadable = store.salvage_user_rows(target)
    got = {k: len(v) for k, v in rows.items() if k in store.USER_ROW_TABLES + store.USER_TABLES}
    expected = meta.get("user_rows")
    short = {k: n for k, n in (expected or {}).items() if got.get(k, 0) != n}
    level = "problem" if unreadable or short else "ok"
    detail = f"{sum(got.values()):,} readable" + (f" ({_counts(got)})" if got else "")
    if unreadable:
        detail += "; unreadable: " + ", ".join(unreadable)
    if short:
        detail += f"; the meta recorded {_counts(expected)}"
    add("user rows", level, detail)


def _diagnose_streams(meta: dict, tables: dict[str, int], add) -> None:
    """Every stream the meta lists has its tables (by table_provenance), present and readable."""
    streams = meta.get("streams") or []
    if not streams:
        add("streams", "note", "none computed (a --base-only build)")
        return
    lineage = meta.get("_lineage")
    if lineage is None:
        add("streams", "problem", "table_provenance is missing or unreadable")
        return
    made: dict[str, list[str]] = {}
    for table, stream in lineage:
        made.setdefault(stream, []).append(table)
    for stream in streams:
        want = made.get(stream, [])
        gone = [t for t in want if t not in tables]
        if not want or gone:
            add(f"stream {stream}", "problem",
                f"tables missing or unreadable: {', '.join(gone)}" if gone else "no tables recorded")
        else:
            add(f"stream {stream}", "ok", f"{len(want)} tables ({', '.join(sorted(want))})")
