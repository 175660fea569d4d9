"""Read-only access to a built store (``Store``), sandboxed and aware of swaps."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import duckdb
import pandas as pd

from orderwatch.errors import OrderwatchError
from orderwatch.store.layout import READ_CATALOG, default_db_path, file_id, first_line, read_only


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
        self._swap_lock = threading.Lock()
        self._closed = False
        self._id = file_id(self.path)
        self._unopenable: tuple | None = None  # a swapped-in file that did not open (not retried)
        self._con = self._connect()

    def _connect(self) -> duckdb.DuckDBPyConnection:
        try:
            return read_only(self.path)
        except duckdb.Error as exc:
            raise OrderwatchError(f"cannot open store {self.path}: {first_line(exc)}; "
                                  f"`orderwatch doctor --db {self.path}` says what is wrong") from None

    def _current(self) -> duckdb.DuckDBPyConnection:
        """The connection, reopened first when a build or ingest swapped a new file in.

        The old connection is dropped, not closed: a query running in another thread keeps
        its cursor. A new file that does not open leaves the old one in service.
        """
        now = file_id(self.path)
        if now is not None and now not in (self._id, self._unopenable) and not self._closed:
            with self._swap_lock:
                if now != self._id:
                    try:
                        con = self._connect()
                    except OrderwatchError:
                        self._unopenable = now
                    else:
                        self._con, self._id = con, now
        return self._con

    def fingerprint(self) -> tuple[int, int, int] | None:
        """(inode, mtime_ns, size) of the file being read: changes whenever a build or an
        ingest swaps a new store in (a key for caches of what the store holds)."""
        self._current()
        return self._id

    def close(self) -> None:
        self._closed = True
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
        """Run a parameterised query (``?`` or ``$name`` placeholders) and return a DataFrame.

        The connection is read-only with external access disabled and its configuration
        locked: reading files, COPY ... TO, ATTACH, INSTALL/LOAD and SET raise
        :class:`OrderwatchError`.
        """
        cur = self._current().cursor()
        try:
            cur.execute(f"USE {READ_CATALOG}")  # a cursor starts in the in-memory catalog
            return cur.execute(query, params or []).df()
        except (duckdb.PermissionException, duckdb.InvalidInputException) as exc:
            msg = first_line(exc)
            if isinstance(exc, duckdb.PermissionException) or "configuration has been locked" in msg:
                raise OrderwatchError("refused: Store.sql() reads the store's tables only (no files, "
                                      f"ATTACH, COPY, extensions or settings): {msg}") from None
            raise
        finally:
            cur.close()

    def tables(self) -> list[str]:
        return sorted(self.sql("SELECT table_name FROM information_schema.tables "
                               "WHERE table_catalog = current_database()").table_name)

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
