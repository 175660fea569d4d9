"""Cached, thread-safe, read-only access to the tables of a built store.

Every read of the store by the CLI, the web and the reports goes through :class:`Tables`
(usually as its subclass :class:`~orderwatch.observatory.Observatory`). Tables are read
once per process: the store is opened read-only, so they cannot change under us. DuckDB
connections are not safe to share between threads, so every store access holds one lock.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Iterable

import pandas as pd

from orderwatch.evidence import json_safe


class NotComputed(LookupError):
    """A table a page or command needs is not in the store yet (run `orderwatch build`)."""

    def __init__(self, table: str):
        self.table = table
        super().__init__(f"{table} not yet computed; run `orderwatch build`")


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-safe dicts (NaN -> None).

    >>> records(pd.DataFrame({"iso3": ["PHL"], "position": [float("nan")]}))
    [{'iso3': 'PHL', 'position': None}]
    """
    return json_safe(df.to_dict(orient="records"))


class Tables:
    """Whole tables of a store, read once and kept.

    Parameters
    ----------
    store : orderwatch.store.Store or None
        An open (read-only) store. Anything with ``has_table(name)`` and
        ``table(name) -> DataFrame`` works, which keeps tests independent of DuckDB.
        ``None`` gives an observatory in which every table is 'not yet computed'.
    """

    def __init__(self, store: Any):
        self.store = store
        self._lock = threading.RLock()
        self._tables: dict[str, pd.DataFrame | None] = {}
        self._memo: dict[tuple, Any] = {}

    def has(self, name: str) -> bool:
        return self._load(name) is not None

    def table(self, name: str) -> pd.DataFrame:
        """A whole table; raises :class:`NotComputed` when it is absent. Do not mutate."""
        df = self._load(name)
        if df is None:
            raise NotComputed(name)
        return df

    def read(self, name: str) -> pd.DataFrame:
        """``read(name)``, the contract of the streams' and the claims' readers (raises when absent)."""
        return self.table(name)

    def _load(self, name: str) -> pd.DataFrame | None:
        with self._lock:
            if name not in self._tables:
                df = None
                if self.store is not None:
                    try:
                        if self.store.has_table(name):
                            df = self.store.table(name)
                    except Exception:  # noqa: BLE001 - a half-built store: absent, never a crash
                        df = None
                self._tables[name] = df
            return self._tables[name]

    def first_table(self, names: Iterable[str]) -> str | None:
        return next((n for n in names if self.has(n)), None)

    def memo(self, key: tuple, fn: Callable[[], Any]) -> Any:
        """Compute once per process (the store is read-only, so results never go stale)."""
        with self._lock:
            if key in self._memo:
                return self._memo[key]
        value = fn()
        with self._lock:
            self._memo[key] = value
        return value

    def locked(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` (a direct store query) holding the store lock."""
        with self._lock:
            return fn()
