"""The embedded store: the only module that speaks DuckDB.

Readers open the file read-only (``Store``); writers never modify a store in place:
``write_store`` writes a complete new file next to the target and swaps it in with
``os.replace``, so a process killed at any moment leaves the previous store usable.
User ingests go through ``append_user_rows``, which does the same copy-and-swap.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

import duckdb
import pandas as pd
import platformdirs

from orderwatch.errors import OrderwatchError

ENV_VAR = "ORDERWATCH_DB"
BASE_TABLES = ("countries", "roll_calls", "votes", "speeches", "documents", "alliances",
               "military_expenditure", "capabilities", "trade", "sources",
               "arms_deals", "arms_transfers", "us_troops", "us_bases", "exercise_participations")
USER_SOURCE = "user"
# Caches kept across rebuilds: valid whatever the build, keyed by content hash.
CARRIED_TABLES = ("text_embeddings",)
# User-supplied data and its provenance (orderwatch update), carried across rebuilds too.
USER_TABLES = ("update_batches", "speeches_user", "arms_transfers_user")


def default_db_path() -> Path:
    """$ORDERWATCH_DB, else orderwatch.duckdb in the user's data directory."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("orderwatch", appauthor=False)) / "orderwatch.duckdb"


def _years(years: int | Sequence[int] | None) -> tuple[int, int] | None:
    if years is None:
        return None
    if isinstance(years, int):
        return years, years
    lo, hi = years
    return int(lo), int(hi)


class Store:
    """Read-only access to a built store; every method returns a pandas DataFrame.

    Parameters
    ----------
    path : path of the DuckDB file; default ``default_db_path()``.

    Examples
    --------
    >>> import orderwatch as ow                          # doctest: +SKIP
    >>> store = ow.open()                                # doctest: +SKIP
    >>> store.sql("SELECT count(*) AS n FROM votes WHERE iso3 = ?", ["JPN"])  # doctest: +SKIP
    """

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_db_path()
        if not self.path.exists():
            raise OrderwatchError(f"no store at {self.path}; run `orderwatch build` first")
        try:
            self._con = duckdb.connect(str(self.path), read_only=True)
        except duckdb.Error as exc:
            raise OrderwatchError(f"cannot open store {self.path}: {exc}") from exc

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        """``Store('/path/store.duckdb', read-only, built 2026-12-06, streams: votes, text; 33 tables)``."""
        try:
            meta = self.meta() if self.has_table("meta") else {}
            built = str(meta.get("built_at") or "?")[:10]
            streams = ", ".join(meta.get("streams") or []) or "none (base data only)"
            return (f"Store({str(self.path)!r}, read-only, built {built}, streams: {streams}; "
                    f"{len(self.tables())} tables)")
        except Exception:  # noqa: BLE001 - a repr must never raise (e.g. after close())
            return f"Store({str(self.path)!r}, closed or unreadable)"

    # -- generic ---------------------------------------------------------------------------
    def sql(self, query: str, params: Sequence[Any] | Mapping[str, Any] | None = None) -> pd.DataFrame:
        """Run a parameterised query (``?`` or ``$name`` placeholders) and return a DataFrame."""
        cur = self._con.cursor()
        try:
            return cur.execute(query, params or []).df()
        finally:
            cur.close()

    def tables(self) -> list[str]:
        return sorted(self.sql("SELECT table_name FROM information_schema.tables").table_name)

    def has_table(self, name: str) -> bool:
        return name in self.tables()

    def table(self, name: str) -> pd.DataFrame:
        """A whole table by name (names are checked against the catalogue, never interpolated blindly)."""
        if not self.has_table(name):
            raise OrderwatchError(f"the store has no table {name!r}; tables: {', '.join(self.tables())}")
        return self.sql(f'SELECT * FROM "{name}"')

    def meta(self) -> dict[str, Any]:
        df = self.sql("SELECT key, value FROM meta")
        return {k: json.loads(v) for k, v in zip(df.key, df.value)}

    # -- typed accessors -------------------------------------------------------------------
    def countries(self) -> pd.DataFrame:
        return self.sql("SELECT * FROM countries ORDER BY iso3")

    def sources(self) -> pd.DataFrame:
        return self.sql("SELECT * FROM sources ORDER BY name")

    def _iso3s(self, countries: str | Iterable[str] | None, table: str) -> list[str] | None:
        """Resolve names, ISO2/ISO3 codes and Chinese names to ISO3 through the registry.

        An unknown name raises :class:`~orderwatch.errors.UnknownCountryError` (naming it,
        with close matches) rather than silently matching no row. A code the registry does
        not know but ``table`` holds (the EU's speeches) is kept as it is.
        """
        from orderwatch.countries import to_iso3
        from orderwatch.errors import UnknownCountryError

        def one(c: str) -> str:
            try:
                return to_iso3(c)
            except UnknownCountryError:
                if not self.sql(f"SELECT 1 FROM {table} WHERE iso3 = $c LIMIT 1", {"c": str(c)}).empty:
                    return str(c)
                raise

        if countries is None:
            return None
        return [one(c) for c in ([countries] if isinstance(countries, str) else countries)]

    def roll_calls(self, years: int | Sequence[int] | None = None, source: str | None = None) -> pd.DataFrame:
        y = _years(years)
        return self.sql(
            "SELECT * FROM roll_calls WHERE ($y0 IS NULL OR year BETWEEN $y0 AND $y1) "
            "AND ($src IS NULL OR source = $src) ORDER BY date, rcid",
            {"y0": y and y[0], "y1": y and y[1], "src": source},
        )

    def votes(self, countries: str | Iterable[str] | None = None, years: int | Sequence[int] | None = None,
              source: str | None = None, with_roll_calls: bool = False,
              sessions: int | Sequence[int] | None = None) -> pd.DataFrame:
        """Votes (rcid, iso3, vote, source), optionally joined with roll-call year/date/session.

        ``countries`` are names or codes the registry knows ("Vietnam", "VN", "越南", "VNM");
        ``years`` and ``sessions`` take one value or an inclusive (first, last) pair.
        """
        y, s = _years(years), _years(sessions)
        countries = self._iso3s(countries, "votes")
        cols = "v.*, r.session, r.date, r.year" if with_roll_calls else "v.*"
        return self.sql(
            f"SELECT {cols} FROM votes v JOIN roll_calls r USING (rcid) "
            "WHERE ($all_c OR list_contains($cs, v.iso3)) AND ($y0 IS NULL OR r.year BETWEEN $y0 AND $y1) "
            "AND ($s0 IS NULL OR r.session BETWEEN $s0 AND $s1) "
            "AND ($src IS NULL OR v.source = $src) ORDER BY r.date, v.rcid, v.iso3",
            {"all_c": countries is None, "cs": list(countries or []), "y0": y and y[0], "y1": y and y[1],
             "s0": s and s[0], "s1": s and s[1], "src": source},
        )

    def speeches(self, country: str | None = None, years: int | Sequence[int] | None = None) -> pd.DataFrame:
        y = _years(years)
        country = country and self._iso3s(country, "speeches")[0]
        return self.sql(
            "SELECT * FROM speeches WHERE ($c IS NULL OR iso3 = $c) "
            "AND ($y0 IS NULL OR year BETWEEN $y0 AND $y1) ORDER BY year, iso3",
            {"c": country, "y0": y and y[0], "y1": y and y[1]},
        )

    def documents(self, country: str | None = None, source: str | None = None,
                  years: int | Sequence[int] | None = None, language: str | None = None) -> pd.DataFrame:
        y = _years(years)
        country = country and self._iso3s(country, "documents")[0]
        return self.sql(
            "SELECT * FROM documents WHERE ($c IS NULL OR iso3 = $c) AND ($s IS NULL OR source = $s) "
            "AND ($l IS NULL OR language = $l) AND ($y0 IS NULL OR year BETWEEN $y0 AND $y1) "
            "ORDER BY date NULLS LAST, doc_id",
            {"c": country, "s": source, "l": language, "y0": y and y[0], "y1": y and y[1]},
        )


# -- writing --------------------------------------------------------------------------------
def _write_tables(con: duckdb.DuckDBPyConnection, tables: dict[str, pd.DataFrame]) -> None:
    """Write each DataFrame, popping it from ``tables`` (the caller decides whether that is
    its own dict or a copy)."""
    for name in list(tables):
        df = tables.pop(name)
        con.register("_incoming", df)
        con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _incoming')
        con.unregister("_incoming")
        del df


@contextmanager
def _swap_in(target: Path, start_from: Path | None) -> Iterator[duckdb.DuckDBPyConnection]:
    """Yield a connection to a fresh temp file (a copy of ``start_from`` if given) beside
    ``target``; on success checkpoint, close and atomically rename it over ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # DuckDB wants to create the file itself
    if start_from is not None:
        shutil.copyfile(start_from, tmp)
    con = duckdb.connect(str(tmp))
    try:
        yield con
        con.execute("CHECKPOINT")
        con.close()
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        con.close()
        for p in (tmp, Path(str(tmp) + ".wal")):
            p.unlink(missing_ok=True)
        raise


def clean_stale_temp_files(target: Path) -> None:
    """Remove temp files left by a build that was killed (they are never read)."""
    for p in target.parent.glob(f".{target.name}.*.tmp*"):
        p.unlink(missing_ok=True)


def write_store(target: Path, tables: dict[str, pd.DataFrame], meta: Mapping[str, Any],
                then: Iterable[Any] = (), consume: bool = False) -> None:
    """Write a complete new store with ``tables`` and ``meta`` and swap it in atomically.

    With ``consume=True`` each DataFrame is removed from ``tables`` once written (the build
    uses it so the base tables are not held in memory while the streams run).

    ``then`` is an iterable of callables ``f(read) -> {name: DataFrame}`` (the streams'
    ``derive``) run in order inside the new file before the swap.
    """
    with _swap_in(target, None) as con:
        _write_tables(con, tables if consume else dict(tables))
        for step in then:
            def read(name: str) -> pd.DataFrame:
                return con.execute(f'SELECT * FROM "{name}"').df()
            _write_tables(con, dict(step(read)))
        _write_meta(con, meta)


def write_store_side_by_side(target: Path, tables: dict[str, pd.DataFrame], meta: Mapping[str, Any],
                             side_by_side: Callable[[Callable[[str], pd.DataFrame]], Iterable[dict]],
                             then: Iterable[Any] = ()) -> None:
    """``write_store`` with a first phase of steps run in other processes.

    The base tables are written and the new file is closed; ``side_by_side(read)`` then
    runs (it may start processes that call ``read(name)``, which opens the file read-only,
    so several readers share it) and returns ``{name: DataFrame}`` dicts, written in the
    order given; the ``then`` steps run in this process as in ``write_store``. The swap at
    the end is the same atomic rename: a failure anywhere leaves the old store as it was.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    try:
        with duckdb.connect(str(tmp)) as con:
            _write_tables(con, tables)
            con.execute("CHECKPOINT")

        def read(name: str) -> pd.DataFrame:
            with duckdb.connect(str(tmp), read_only=True) as ro:
                return ro.execute(f'SELECT * FROM "{name}"').df()

        outputs = list(side_by_side(read))
        with duckdb.connect(str(tmp)) as con:
            for out in outputs:
                _write_tables(con, dict(out))
            del outputs
            for step in then:
                def read_new(name: str) -> pd.DataFrame:
                    return con.execute(f'SELECT * FROM "{name}"').df()
                _write_tables(con, dict(step(read_new)))
            _write_meta(con, meta)
            con.execute("CHECKPOINT")
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        for p in (tmp, Path(str(tmp) + ".wal")):
            p.unlink(missing_ok=True)
        raise


def rewrite_tables(target: Path, steps: Iterable[Any], meta: Mapping[str, Any]) -> None:
    """Recompute some tables of an existing store: copy it, run each step
    ``f(read) -> {name: DataFrame}`` (replacing those tables), replace the meta, swap."""
    with _swap_in(target, target) as con:
        for step in steps:
            def read(name: str) -> pd.DataFrame:
                return con.execute(f'SELECT * FROM "{name}"').df()
            _write_tables(con, dict(step(read)))
        _write_meta(con, meta)


def _write_meta(con: duckdb.DuckDBPyConnection, meta: Mapping[str, Any]) -> None:
    con.execute("CREATE OR REPLACE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.executemany("INSERT INTO meta VALUES (?, ?)", [(k, json.dumps(v)) for k, v in meta.items()])


def read_meta(target: Path) -> dict[str, Any] | None:
    """The meta table of an existing store, or None when absent or unreadable."""
    if not target.exists():
        return None
    try:
        with duckdb.connect(str(target), read_only=True) as con:
            rows = con.execute("SELECT key, value FROM meta").fetchall()
        return {k: json.loads(v) for k, v in rows}
    except duckdb.Error:
        return None


def read_user_rows(target: Path) -> dict[str, pd.DataFrame]:
    """Rows that users ingested (source = 'user') in an existing store, to carry into a rebuild."""
    if not target.exists():
        return {}
    out = {}
    with duckdb.connect(str(target), read_only=True) as con:
        for name in ("roll_calls", "votes", "documents"):
            try:
                out[name] = con.execute(f"SELECT * FROM {name} WHERE source = ?", [USER_SOURCE]).df()
            except duckdb.Error:
                pass
        for name in CARRIED_TABLES + USER_TABLES:
            try:
                out[name] = con.execute(f'SELECT * FROM "{name}"').df()
            except duckdb.Error:
                pass
    return {k: v for k, v in out.items() if len(v)}


def merge_rows(target: Path, name: str, df: pd.DataFrame, key: str) -> int:
    """Add the rows of ``df`` whose ``key`` is not yet in table ``name`` (created if absent),
    atomically (copy, insert, swap). Returns the number of rows added."""
    if not target.exists():
        raise OrderwatchError(f"no store at {target}; run `orderwatch build` first")
    if df.empty:
        return 0
    with _swap_in(target, target) as con:
        con.register("_incoming", df)
        exists = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()[0]
        if not exists:
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
    absent), atomically (copy, insert, swap); ``stale_streams`` are recorded in meta."""
    if not target.exists():
        raise OrderwatchError(f"no store at {target}; run `orderwatch build` first")
    with _swap_in(target, target) as con:
        for name, df in tables.items():
            con.register("_incoming", df)
            if name in USER_TABLES and not con.execute(
                    "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]).fetchone()[0]:
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
            con.execute("DELETE FROM meta WHERE key = 'fingerprint_before_update'")
            con.execute("INSERT INTO meta VALUES ('fingerprint_before_update', ?)", [fp[0][0]])
        con.execute("UPDATE meta SET value = ? WHERE key = 'fingerprint'", [json.dumps("stale")])
        if stale_streams:
            old = con.execute("SELECT value FROM meta WHERE key = 'stale_streams'").fetchall()
            names = sorted(set(json.loads(old[0][0]) if old else []) | set(stale_streams))
            con.execute("DELETE FROM meta WHERE key = 'stale_streams'")
            con.execute("INSERT INTO meta VALUES ('stale_streams', ?)", [json.dumps(names)])
