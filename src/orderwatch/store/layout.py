"""Where the store lives, what it holds and how it is opened for reading."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import duckdb
import platformdirs

from orderwatch.errors import OrderwatchError

ENV_VAR = "ORDERWATCH_DB"
BASE_TABLES = ("countries", "roll_calls", "votes", "speeches", "documents", "alliances",
               "military_expenditure", "capabilities", "trade", "sources",
               "arms_deals", "arms_transfers", "us_troops", "us_bases", "exercise_participations")
USER_SOURCE = "user"
# Base tables that hold user rows (source = 'user') beside the bundled ones.
USER_ROW_TABLES = ("roll_calls", "votes", "documents")
# Caches kept across rebuilds: valid whatever the build, keyed by content hash.
CARRIED_TABLES = ("text_embeddings",)
# User-supplied data and its provenance (orderwatch update), carried across rebuilds too.
USER_TABLES = ("update_batches", "speeches_user", "arms_transfers_user")
# Store readers: the store's own tables and nothing else (see Store.sql and read_only).
READ_CONFIG = {"enable_external_access": False, "lock_configuration": True}
READ_CATALOG = "store"
# What a writer reports in one line instead of a traceback.
DISK_ERRNOS = {errno.ENOSPC: "no space left on device", errno.EDQUOT: "disk quota exceeded",
               errno.EROFS: "read-only file system", errno.EACCES: "permission denied",
               errno.EPERM: "operation not permitted"}


class StoreWriteError(OrderwatchError):
    """A write failed for want of space or permission; the store is as it was."""


def default_db_path() -> Path:
    """$ORDERWATCH_DB, else orderwatch.duckdb in the user's data directory."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("orderwatch", appauthor=False)) / "orderwatch.duckdb"


def file_id(path: Path) -> tuple[int, int, int] | None:
    """(inode, mtime_ns, size) of the file at ``path`` (None when absent): every swap changes it."""
    try:
        st = os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


def first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A sandboxed read-only connection to the store file at ``path``.

    The file is attached to a fresh in-memory database rather than opened with
    ``duckdb.connect(path)``: DuckDB shares one database per path within a process, which
    would keep serving a file that a writer has since replaced, and refuses a second
    connection to the same path with another configuration. Then external access is
    switched off and the configuration locked (see ``READ_CONFIG``), so no query can read
    or write other files, attach databases or load extensions. A cursor must ``USE`` the
    catalog again (see ``Store.sql``).
    """
    con = duckdb.connect(":memory:")
    try:
        con.execute(f"ATTACH ? AS {READ_CATALOG} (READ_ONLY)", [str(path)])
        con.execute(f"USE {READ_CATALOG}")
        for key, value in READ_CONFIG.items():
            con.execute(f"SET {key} = {str(value).lower()}")
    except BaseException:
        con.close()
        raise
    return con
