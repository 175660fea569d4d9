"""Filtered reads of one table for the CLI's listing commands: the SQL the commands used to build.

:func:`select` builds a parametrised query from a table name and column filters; names
are checked against the table's own columns (never pasted from a user), values always go
in as parameters. Anything with ``has_table``, ``table`` and ``sql`` (the store) works.

>>> select_sql("text_positions", {"iso3": "PHL", "year": (2015, 2024), "method": None}, ["year"], 5)
('SELECT * FROM "text_positions" WHERE "iso3" = ? AND "year" BETWEEN ? AND ? ORDER BY "year" LIMIT ?', ['PHL', 2015, 2024, 5])
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sequence

import pandas as pd

from orderwatch.errors import OrderwatchError
from orderwatch.observatory.tables import NotComputed

_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def _name(name: str) -> str:
    if not _NAME.match(name):
        raise OrderwatchError(f"not a table or column name: {name!r}")
    return f'"{name}"'


def select_sql(table: str, where: Mapping[str, Any], order: Sequence[str] = (),
               limit: int | None = None) -> tuple[str, list]:
    """The query and its parameters; a (first, last) pair is an inclusive range, None no filter."""
    clauses, params = [], []
    for col, value in where.items():
        if value is None:
            continue
        if isinstance(value, tuple):
            clauses.append(f"{_name(col)} BETWEEN ? AND ?")
            params += list(value)
        else:
            clauses.append(f"{_name(col)} = ?")
            params.append(value)
    q = f"SELECT * FROM {_name(table)}"
    if clauses:
        q += " WHERE " + " AND ".join(clauses)
    if order:
        q += " ORDER BY " + ", ".join(_name(c) for c in order)
    if limit is not None:
        q += " LIMIT ?"
        params.append(int(limit))
    return q, params


def select(store: Any, table: str, where: Mapping[str, Any], order: Sequence[str] = (),
           limit: int | None = None) -> pd.DataFrame:
    """Rows of ``table`` matching ``where``; :class:`NotComputed` when the table is absent."""
    if not store.has_table(table):
        raise NotComputed(table)
    return store.sql(*select_sql(table, where, order, limit))


def session_votes(store: Any, session: int) -> pd.DataFrame:
    """Votes (rcid, iso3, vote) on the roll calls of one General Assembly session."""
    return store.sql("SELECT v.rcid, v.iso3, v.vote FROM votes v JOIN roll_calls r USING (rcid) "
                     "WHERE r.session = ?", [int(session)])


def exercise_partners(store: Any, iso3: str) -> pd.DataFrame:
    """Every participation in the exercises a state took part in (so its partners are known)."""
    if not store.has_table("exercise_participations"):
        raise NotComputed("exercise_participations")
    return store.sql("SELECT * FROM exercise_participations WHERE mmeid IN "
                     "(SELECT mmeid FROM exercise_participations WHERE iso3 = ?)", [iso3])


def user_document_ids(store: Any) -> set[str]:
    """Ids of the documents users ingested (so a second ingest is refused, not duplicated)."""
    return set(store.sql("SELECT doc_id FROM documents WHERE source = 'user'").doc_id)


def roll_call_ids(store: Any) -> set[int]:
    """Every roll-call id in the store."""
    return {int(x) for x in store.sql("SELECT rcid FROM roll_calls").rcid}
