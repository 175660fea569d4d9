"""The data vendored with the package, and their provenance records.

Files are zstd Parquet written by scripts/vendor.py from the project's shared data; each
has a record in provenance.json (origin, version, licence, citation, sha256, rows).

>>> from orderwatch import bundled
>>> bundled.read("undl_roll_calls").shape[0]
491
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

from orderwatch.errors import OrderwatchError

DIR = Path(__file__).resolve().parent


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
    """Read a bundled Parquet source as a DataFrame."""
    p = path(name)
    if p.suffix != ".parquet":
        raise OrderwatchError(f"bundled source {name!r} is {p.name}, not a table")
    return pd.read_parquet(p, columns=columns)


def sha256(p: Path) -> str:
    h = hashlib.sha256()
    with p.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def verify(name: str) -> None:
    """Raise unless the bundled file's sha256 equals its provenance record."""
    rec = record(name)
    got = sha256(path(name))
    if got != rec["sha256"]:
        raise OrderwatchError(
            f"bundled file {rec['file']} has sha256 {got[:12]}…, provenance says {rec['sha256'][:12]}…"
        )
