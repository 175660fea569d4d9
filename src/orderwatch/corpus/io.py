"""Find the documents of a corpus and cut them into partitions that are read lazily.

A corpus is either a folder of ``.txt``/``.md`` files or Parquet (one file or a folder of
files, hive-style ``key=value`` folders included) with a ``text`` column. A partition is a
small, picklable description (file names, or one row group's slice of one Parquet file);
it is read only by whoever scores it, so no process holds more than one partition's texts.

Country and year of a document, so that its scores can be aggregated as the words stream
does (per country-year): for a folder, ``manifest.csv`` (columns ``file``, ``country`` and
``date`` or ``year``; the manifest of ``orderwatch ingest documents`` works) or else the file
name (``PHL_2024_....txt``, the General Debate corpus's ``PHL_79_2024.txt``); for Parquet,
columns ``iso3`` or ``country``, and ``year`` or ``date``. Unknown ones stay null: those
documents are scored but not aggregated.
"""

from __future__ import annotations

import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from orderwatch import countries
from orderwatch.errors import InputError, UnknownCountryError

TEXT_SUFFIXES = (".txt", ".md")
DOCS_PER_PARTITION = 500
BYTES_PER_PARTITION = 32 * 1024 * 1024
NAME_PATTERN = re.compile(r"^([A-Za-z]{3})[_\-](?:.*?[_\-])?((?:19|20)\d{2})(?!\d)")


@dataclass(frozen=True)
class Partition:
    """One unit of work: ``kind`` 'files' (paths) or 'parquet' (path, row group, slice)."""
    index: int
    kind: str
    paths: tuple[str, ...]
    row_group: int = 0
    start: int = 0
    stop: int = 0
    meta: tuple[tuple[str, str | None, int | None], ...] = ()  # files: (file, iso3, year)


def _iso3(value) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == "":
        return None
    try:
        return countries.to_iso3(str(value))
    except UnknownCountryError:
        return None


def _manifest(folder: Path) -> dict[str, tuple[str | None, int | None]]:
    p = folder / "manifest.csv"
    if not p.exists():
        return {}
    with p.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if rows and "file" not in rows[0]:
        raise InputError(str(p), "no 'file' column", 1)
    out = {}
    for r in rows:
        year = str(r.get("year") or r.get("date") or "")[:4]
        out[str(r["file"]).strip()] = (_iso3(r.get("country") or r.get("iso3")), int(year) if year.isdigit() else None)
    return out


def _from_name(name: str) -> tuple[str | None, int | None]:
    m = NAME_PATTERN.match(Path(name).name)
    if not m:
        return None, None
    return _iso3(m.group(1).upper()), int(m.group(2))


def partitions(path: str | Path, docs_per_partition: int = DOCS_PER_PARTITION,
               bytes_per_partition: int = BYTES_PER_PARTITION) -> list[Partition]:
    """The partitions of the corpus at ``path`` (a folder of texts, a Parquet file or folder)."""
    path = Path(path)
    if not path.exists():
        raise InputError(str(path), "not found")
    parquet = [path] if path.is_file() and path.suffix == ".parquet" else (
        sorted(path.rglob("*.parquet")) if path.is_dir() else [])
    if parquet:
        return _parquet_partitions(parquet, docs_per_partition)
    if path.is_file():
        raise InputError(str(path), "give a folder of .txt/.md files, or Parquet with a 'text' column")
    files = sorted(p for p in path.rglob("*") if p.suffix.lower() in TEXT_SUFFIXES and p.is_file())
    if not files:
        raise InputError(str(path), "no .txt, .md or .parquet files in the folder")
    manifest = _manifest(path)
    out, chunk, size = [], [], 0
    for f in files:
        rel = f.relative_to(path).as_posix()
        iso3, year = manifest.get(rel) or _from_name(rel)
        chunk.append((str(f), iso3, year))
        size += f.stat().st_size
        if len(chunk) >= docs_per_partition or size >= bytes_per_partition:
            out.append(Partition(len(out), "files", tuple(c[0] for c in chunk), meta=tuple(chunk)))
            chunk, size = [], 0
    if chunk:
        out.append(Partition(len(out), "files", tuple(c[0] for c in chunk), meta=tuple(chunk)))
    return out


def _parquet_partitions(files: list[Path], docs_per_partition: int) -> list[Partition]:
    import pyarrow.parquet as pq

    out = []
    for f in files:
        try:
            md = pq.ParquetFile(f).metadata
        except Exception as exc:  # pyarrow raises several kinds for a bad file
            raise InputError(str(f), f"not a readable Parquet file ({type(exc).__name__})") from None
        if "text" not in md.schema.names:
            raise InputError(str(f), f"no 'text' column; columns: {', '.join(md.schema.names)}")
        for g in range(md.num_row_groups):
            n = md.row_group(g).num_rows
            for s in range(0, n, docs_per_partition):
                out.append(Partition(len(out), "parquet", (str(f),), g, s, min(n, s + docs_per_partition)))
    if not out:
        raise InputError(str(files[0]), "the Parquet input has no rows")
    return out


def _hive(path: str) -> dict[str, str]:
    return dict(seg.split("=", 1) for seg in Path(path).parts if "=" in seg)


def read_partition(part: Partition) -> pd.DataFrame:
    """The documents of one partition: doc_id, source, iso3, year, text."""
    if part.kind == "files":
        rows = []
        for f, iso3, year in part.meta:
            raw = Path(f).read_bytes()
            rows.append({"doc_id": hashlib.sha256(raw).hexdigest()[:16], "source": f, "iso3": iso3, "year": year,
                         "text": raw.decode("utf-8", errors="replace")})
        return pd.DataFrame(rows, columns=["doc_id", "source", "iso3", "year", "text"])
    import pyarrow.parquet as pq

    f = part.paths[0]
    df = pq.ParquetFile(f).read_row_group(part.row_group).slice(part.start, part.stop - part.start).to_pandas()
    for k, v in _hive(f).items():
        if k not in df.columns:
            df[k] = v
    n = len(df)
    iso = df["iso3"] if "iso3" in df else df["country"] if "country" in df else pd.Series([None] * n)
    yr = df["year"] if "year" in df else df["date"].astype(str).str[:4] if "date" in df else pd.Series([None] * n)
    ids = df["doc_id"].astype(str) if "doc_id" in df else pd.Series(
        [f"{Path(f).name}:{part.row_group}:{part.start + i}" for i in range(n)])
    cache: dict = {}
    return pd.DataFrame({
        "doc_id": ids.to_numpy(), "source": f,
        "iso3": [cache.setdefault(v, _iso3(v)) for v in iso],
        "year": pd.to_numeric(pd.Series(yr).reset_index(drop=True), errors="coerce").astype("Int64"),
        "text": df["text"].fillna("").astype(str).to_numpy()})


def fingerprint(parts: list[Partition]) -> str:
    """sha256 over the input files' names, sizes and modification times, and the partitioning."""
    h = hashlib.sha256()
    for p in parts:
        h.update(repr((p.kind, p.row_group, p.start, p.stop)).encode())
        for f in p.paths:
            st = Path(f).stat()
            h.update(f"{f}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()
