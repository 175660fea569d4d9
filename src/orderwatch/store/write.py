"""Writing a store: a complete new file beside the target, swapped in atomically.

Temp files carry their writer's pid (``.s.duckdb.<pid>-<random>.tmp``), so a cleanup only
removes those of dead writers. Every swap happens under the write lock; ``_finish`` is the
one place that swaps.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

import duckdb
import pandas as pd

from orderwatch import lock
from orderwatch.errors import OrderwatchError
from orderwatch.store.layout import (DISK_ERRNOS, USER_ROW_TABLES, USER_SOURCE, USER_TABLES, StoreWriteError,
                                     file_id)
from orderwatch.store.salvage import meta_of, salvage_user_rows, table_names

_TEMP = re.compile(r"\.(\d+)-[0-9a-f]{8}\.tmp(\.wal)?$")


def _temp_path(target: Path) -> Path:
    """A temp name beside ``target`` unique to this process (its pid tells whether it is stale)."""
    return target.parent / f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"


def _discard(tmp: Path) -> None:
    for p in (tmp, Path(str(tmp) + ".wal")):
        try:
            p.unlink(missing_ok=True)
        except OSError:
            pass


def _write_error(target: Path, exc: BaseException) -> StoreWriteError | None:
    """The one-line error for a full disk or a read-only/forbidden directory, else None."""
    reason = DISK_ERRNOS.get(getattr(exc, "errno", None) or -1)
    if reason is None and isinstance(exc, duckdb.Error):
        text = str(exc).lower()
        reason = next((r for r in DISK_ERRNOS.values() if r in text), None)
    if reason is None:
        return None
    return StoreWriteError(f"cannot write the store {target}: {reason}; it is unchanged and no temp file "
                           "was left behind")


@contextmanager
def _temp_file(target: Path, start_from: Path | None = None) -> Iterator[tuple[Path, Any]]:
    """A fresh temp path beside ``target`` (a copy of ``start_from`` if given) and the
    file id of what was copied; the temp and its WAL are removed unless swapped in."""
    tmp = _temp_path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        clean_stale_temp_files(target)  # a writer killed earlier left its copy: the disk gets it back
        copied = None
        if start_from is not None:
            with open(start_from, "rb") as src, open(tmp, "xb") as dst:
                st = os.fstat(src.fileno())  # the id of the very file copied
                copied = (st.st_ino, st.st_mtime_ns, st.st_size)
                shutil.copyfileobj(src, dst, 1 << 20)
        yield tmp, copied
    except (OSError, duckdb.Error) as exc:
        short = _write_error(target, exc)
        if short is None:
            raise
        _discard(tmp)
        raise short from None
    finally:
        _discard(tmp)


def _finish(con: duckdb.DuckDBPyConnection, tmp: Path, target: Path, meta: Mapping[str, Any] | None,
            since: tuple | None) -> None:
    """Under the write lock: carry in user rows added since ``since`` (the id of the store
    the new file's user rows came from), write ``meta``, then checkpoint, close, fsync and
    atomically rename the new file over ``target``."""
    with lock.writer_lock(target):
        if since is not None and file_id(target) not in (since, None):
            meta = _carry_new_user_rows(con, target, dict(meta or meta_of(con)))
        if meta is not None:
            _write_meta(con, meta)
        counts = _user_counts(con)
        _set_meta(con, "user_rows", counts)
        con.execute("CHECKPOINT")
        con.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        try:  # the rename itself survives a power cut once the directory is synced
            dfd = os.open(target.parent, os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)
        except OSError:
            pass


def _user_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    have = table_names(con)
    out = {}
    for name in USER_ROW_TABLES:
        if name in have:
            out[name] = con.execute(f'SELECT count(*) FROM "{name}" WHERE source = ?', [USER_SOURCE]).fetchone()[0]
    for name in USER_TABLES:
        if name in have:
            out[name] = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
    return {k: int(v) for k, v in out.items() if v}


def _insert_by_name(con: duckdb.DuckDBPyConnection, name: str, df: pd.DataFrame) -> None:
    have = [r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ?",
                                      [name]).fetchall()]
    cols = ", ".join(f'"{c}"' for c in df.columns if c in have)
    con.register("_incoming", df)
    con.execute(f'INSERT INTO "{name}" ({cols}) SELECT {cols} FROM _incoming')
    con.unregister("_incoming")


def _carry_new_user_rows(con: duckdb.DuckDBPyConnection, target: Path, meta: dict) -> dict:
    """The store changed while a build ran (an ingest or update swapped in): put its user
    rows in the new file in place of the ones read at the start. The streams' tables then
    predate those rows, so the new store is marked stale (the next build recomputes)."""
    rows, unreadable = salvage_user_rows(target)
    if unreadable:
        raise OrderwatchError(f"the store {target} changed during the build and its user rows cannot be read "
                              f"({'; '.join(f'{k}: {v}' for k, v in unreadable.items())}); the build was not "
                              "swapped in")
    before = _user_counts(con)
    have = table_names(con)
    for name, df in rows.items():
        if name in USER_ROW_TABLES:
            con.execute(f'DELETE FROM "{name}" WHERE source = ?', [USER_SOURCE])
            _insert_by_name(con, name, df)
        else:
            _write_tables(con, {name: df})
    if "speeches_user" in rows and "speeches" in have:  # as build._merge_user_speeches does
        cols = ", ".join(f'"{c}"' for c in rows["speeches_user"].columns
                         if c in {r[0] for r in con.execute("DESCRIBE speeches").fetchall()})
        con.execute(f"INSERT INTO speeches ({cols}) SELECT {cols} FROM speeches_user u WHERE NOT EXISTS "
                    "(SELECT 1 FROM speeches s WHERE s.iso3 = u.iso3 AND s.session = u.session)")
    if _user_counts(con) != before:
        meta = {k: v for k, v in meta.items() if k not in ("fingerprint_before_update", "stale_streams")}
        meta["fingerprint"] = "stale"
    return meta


def _write_tables(con: duckdb.DuckDBPyConnection, tables: dict[str, pd.DataFrame]) -> None:
    """Write each DataFrame, popping it from ``tables`` (the caller decides whether that is
    its own dict or a copy)."""
    for name in list(tables):
        df = tables.pop(name)
        con.register("_incoming", df)
        con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _incoming')
        con.unregister("_incoming")
        del df


def _run_steps(con: duckdb.DuckDBPyConnection, steps: Iterable[Any]) -> None:
    """Run each ``f(read) -> {name: DataFrame}`` on the new file, writing what it returns."""
    def read(name: str) -> pd.DataFrame:
        return con.execute(f'SELECT * FROM "{name}"').df()
    for step in steps:
        _write_tables(con, dict(step(read)))


@contextmanager
def _swap_in(target: Path, start_from: Path | None, meta: Mapping[str, Any] | None = None,
             carry_user_rows: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a fresh temp file (a copy of ``start_from`` if given) beside
    ``target``; on success finish it (see ``_finish``) and swap it in."""
    with _temp_file(target, start_from) as (tmp, copied):
        con = duckdb.connect(str(tmp))
        try:
            yield con
            _finish(con, tmp, target, meta, copied if carry_user_rows else None)
        finally:
            con.close()


def clean_stale_temp_files(target: Path) -> list[Path]:
    """Remove temp files left by writers that died (a temp whose owner is alive is kept)."""
    removed = []
    for p in Path(target).parent.glob(f".{Path(target).name}.*.tmp*"):
        m = _TEMP.search(p.name)
        if m and _alive(int(m.group(1))):
            continue
        try:
            p.unlink()
            removed.append(p)
        except FileNotFoundError:
            pass
    return removed


def stale_temp_files(target: Path) -> list[Path]:
    """Temp files beside ``target`` whose writer is no longer running (for `orderwatch doctor`)."""
    return [p for p in Path(target).parent.glob(f".{Path(target).name}.*.tmp*")
            if not ((m := _TEMP.search(p.name)) and _alive(int(m.group(1))))]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (killed, not yet reaped) is dead for our purpose
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][:1] != "Z"
    except (OSError, IndexError):
        return True


def write_store(target: Path, tables: dict[str, pd.DataFrame], meta: Mapping[str, Any],
                then: Iterable[Any] = (), consume: bool = False, since: tuple | None = None) -> None:
    """Write a complete new store with ``tables`` and ``meta`` and swap it in atomically.

    With ``consume=True`` each DataFrame is removed from ``tables`` once written (the build
    uses it so the base tables are not held in memory while the streams run).

    ``then`` is an iterable of callables ``f(read) -> {name: DataFrame}`` (the streams'
    ``derive``) run in order inside the new file before the swap. ``since`` is the file id
    of the store whose user rows ``tables`` carry: if another writer swapped in since,
    its user rows replace them just before the swap (see ``_carry_new_user_rows``).
    """
    with _temp_file(target) as (tmp, _):
        con = duckdb.connect(str(tmp))
        try:
            _write_tables(con, tables if consume else dict(tables))
            _run_steps(con, then)
            _finish(con, tmp, target, meta, since)
        finally:
            con.close()


def write_store_side_by_side(target: Path, tables: dict[str, pd.DataFrame], meta: Mapping[str, Any],
                             side_by_side: Callable[[Callable[[str], pd.DataFrame]], Iterable[dict]],
                             then: Iterable[Any] = (), since: tuple | None = None) -> None:
    """``write_store`` with a first phase of steps run in other processes.

    The base tables are written and the new file is closed; ``side_by_side(read)`` then
    runs (it may start processes that call ``read(name)``, which opens the file read-only,
    so several readers share it) and returns ``{name: DataFrame}`` dicts, written in the
    order given; the ``then`` steps run in this process as in ``write_store``. The swap at
    the end is the same atomic rename: a failure anywhere leaves the old store as it was.
    """
    with _temp_file(target) as (tmp, _):
        with duckdb.connect(str(tmp)) as con:
            _write_tables(con, tables)
            con.execute("CHECKPOINT")

        def read(name: str) -> pd.DataFrame:
            with duckdb.connect(str(tmp), read_only=True) as ro:
                return ro.execute(f'SELECT * FROM "{name}"').df()

        outputs = list(side_by_side(read))
        con = duckdb.connect(str(tmp))
        try:
            for out in outputs:
                _write_tables(con, dict(out))
            del outputs
            _run_steps(con, then)
            _finish(con, tmp, target, meta, since)
        finally:
            con.close()


def rewrite_tables(target: Path, steps: Iterable[Any], meta: Mapping[str, Any]) -> None:
    """Recompute some tables of an existing store: copy it, run each step
    ``f(read) -> {name: DataFrame}`` (replacing those tables), replace the meta, swap.
    User rows added meanwhile by another writer are carried in before the swap."""
    with _swap_in(target, target, meta, carry_user_rows=True) as con:
        _run_steps(con, steps)


def _write_meta(con: duckdb.DuckDBPyConnection, meta: Mapping[str, Any]) -> None:
    con.execute("CREATE OR REPLACE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.executemany("INSERT INTO meta VALUES (?, ?)", [(k, json.dumps(v)) for k, v in meta.items()])


def _set_meta(con: duckdb.DuckDBPyConnection, key: str, value: Any) -> None:
    if "meta" in table_names(con):
        con.execute("DELETE FROM meta WHERE key = ?", [key])
        con.execute("INSERT INTO meta VALUES (?, ?)", [key, json.dumps(value)])


def merge_rows(target: Path, name: str, df: pd.DataFrame, key: str) -> int:
    """Add the rows of ``df`` whose ``key`` is not yet in table ``name`` (created if absent),
    atomically (copy, insert, swap, under the write lock). Returns the number of rows added."""
    if not target.exists():
        raise OrderwatchError(f"no store at {target}; run `orderwatch build` first")
    if df.empty:
        return 0
    with lock.writer_lock(target), _swap_in(target, target) as con:
        con.register("_incoming", df)
        if name not in table_names(con):
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _incoming')
            added = len(df)
        else:
            before = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
            con.execute(f'INSERT INTO "{name}" SELECT * FROM _incoming i WHERE i."{key}" NOT IN '
                        f'(SELECT "{key}" FROM "{name}")')
            added = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] - before
        con.unregister("_incoming")
    return int(added)


def append_user_rows(target: Path, tables: Mapping[str, pd.DataFrame], stale_streams: Iterable[str] = ()) -> None:
    """Append validated user rows to base tables (a table of ``USER_TABLES`` is created if
    absent), atomically (copy, insert, swap, under the write lock: a concurrent writer
    waits); ``stale_streams`` are recorded in meta."""
    if not target.exists():
        raise OrderwatchError(f"no store at {target}; run `orderwatch build` first")
    with lock.writer_lock(target), _swap_in(target, target) as con:
        for name, df in tables.items():
            con.register("_incoming", df)
            if name in USER_TABLES and name not in table_names(con):
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _incoming')
                con.unregister("_incoming")
                continue
            cols = ", ".join(f'"{c}"' for c in df.columns)
            con.execute(f'INSERT INTO "{name}" ({cols}) SELECT {cols} FROM _incoming')
            con.unregister("_incoming")
        # derived stream tables no longer reflect the data: the next build recomputes them
        # the build fingerprint before the first update: a build with the same inputs and
        # code may then recompute only the stale streams
        fp = con.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchall()
        if fp and json.loads(fp[0][0]) != "stale":
            _set_meta(con, "fingerprint_before_update", json.loads(fp[0][0]))
        con.execute("UPDATE meta SET value = ? WHERE key = 'fingerprint'", [json.dumps("stale")])
        if stale_streams:
            old = con.execute("SELECT value FROM meta WHERE key = 'stale_streams'").fetchall()
            _set_meta(con, "stale_streams", sorted(set(json.loads(old[0][0]) if old else []) | set(stale_streams)))
