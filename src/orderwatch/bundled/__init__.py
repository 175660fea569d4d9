"""The data vendored with the package, and their provenance records.

Files are zstd Parquet written by scripts/vendor.py from the project's shared data; each
has a record in provenance.json (origin, version, licence, citation, sha256, rows).

Every read checks the file's sha256 against its record first (``verify``), hashing each
file once per process and again only when its mtime or size changes: a tampered file is
one error naming it, wherever it is read (the registry, the text references, the
validation criteria, a build).

>>> from orderwatch import bundled
>>> bundled.read("undl_roll_calls").shape[0]
491
"""

from __future__ import annotations

import hashlib
import json
import threading
from functools import lru_cache
from pathlib import Path

import pandas as pd

from orderwatch.errors import OrderwatchError

DIR = Path(__file__).resolve().parent
_verified: dict[str, tuple[str, int, int]] = {}  # name -> (path, mtime_ns, size) that hashed right
_verify_lock = threading.Lock()


@lru_cache(maxsize=1)
def provenance() -> tuple[dict, ...]:
    """All provenance records, in vendoring order."""
    return tuple(json.loads((DIR / "provenance.json").read_text(encoding="utf-8")))


def record(name: str) -> dict:
    for rec in provenance():
        if rec["name"] == name:
            return rec
    raise OrderwatchError(f"no bundled source named {name!r}; known: {', '.join(NAMES)}")


NAMES = tuple(rec["name"] for rec in provenance())


def path(name: str) -> Path:
    """Path of a bundled file by source name (e.g. 'ungdc', 'world_atlas_50m')."""
    return DIR / record(name)["file"]


def read(name: str, columns: list[str] | None = None) -> pd.DataFrame:
    """Read a bundled Parquet source as a DataFrame (verified first, see ``verify``)."""
    p = path(name)
    if p.suffix != ".parquet":
        raise OrderwatchError(f"bundled source {name!r} is {p.name}, not a table")
    verify(name)
    return pd.read_parquet(p, columns=columns)


def read_bytes(name: str) -> bytes:
    """The raw bytes of a bundled file (e.g. the world map), verified against their record."""
    data = path(name).read_bytes()
    want = record(name)["sha256"]
    if hashlib.sha256(data).hexdigest() != want:
        _tampered(name, hashlib.sha256(data).hexdigest())
    return data


def sha256(p: Path) -> str:
    h = hashlib.sha256()
    with p.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def verify(name: str) -> None:
    """Raise unless the bundled file's sha256 equals its provenance record.

    The hash is computed once per process for each (path, mtime, size) of the file, so
    repeated reads cost a ``stat``; a file changed on disk is hashed again.
    """
    rec = record(name)
    p = path(name)
    try:
        st = p.stat()
    except OSError:
        raise OrderwatchError(f"bundled file {p} is missing; reinstall orderwatch") from None
    key = (str(p), st.st_mtime_ns, st.st_size)
    if _verified.get(name) == key:
        return
    with _verify_lock:
        if _verified.get(name) == key:
            return
        got = sha256(p)
        if got != rec["sha256"]:
            _tampered(name, got)
        _verified[name] = key


def verify_all() -> list[str]:
    """Verify every bundled file; returns their names (raises at the first bad one)."""
    for rec in provenance():
        verify(rec["name"])
    return [rec["name"] for rec in provenance()]


def _tampered(name: str, got: str) -> None:
    rec = record(name)
    raise OrderwatchError(f"bundled file {path(name)} does not match its provenance record (sha256 {got[:12]}…, "
                          f"expected {rec['sha256'][:12]}…): it was modified or damaged; reinstall orderwatch")
