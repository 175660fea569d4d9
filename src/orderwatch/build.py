"""Bundled sources -> store: verified, idempotent, atomic, with progress on a terminal.

The build fingerprints its inputs (the provenance records, i.e. every bundled file's
sha256, plus the hash of the package's code); when the store already carries the same
fingerprint, it is a no-op. Otherwise it writes a complete new file and swaps it in
(see ``orderwatch.store.write_store``). Rows ingested by users are carried over.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from orderwatch import __version__, bundled, countries, store
from orderwatch.errors import OrderwatchError
from orderwatch.sources import other, texts, votes

PACKAGE_DIR = Path(__file__).resolve().parent
# Streams run in this order; each module exposes derive(read) -> {table: DataFrame}.
STREAMS = ("orderwatch.votes", "orderwatch.text", "orderwatch.institutions", "orderwatch.synthesis")

# The validity report runs last: it checks the synthesis against external criteria.
STREAMS += ("orderwatch.validation",)

# The base stages announced through the progress callback (streams are added to these).
STAGES = ("verifying bundled files", "countries", "roll calls and votes", "speeches", "documents",
          "alliances, spending, capabilities, trade", "writing store")


@dataclass
class BuildReport:
    path: Path
    skipped: bool
    seconds: float
    rows: dict[str, int] = field(default_factory=dict)
    streams: list[str] = field(default_factory=list)


BASE_CODE = ("__init__.py", "build.py", "store.py", "countries.py", "sources")
STREAM_CODE = ("votes", "text", "institutions", "synthesis", "claims", "evidence.py")

STREAM_CODE += ("validation",)


def code_hash(with_streams: bool = True) -> str:
    """Hash of the code that makes the store's tables (the bundled data are fingerprinted
    separately); the streams' code counts only for builds that run them."""
    return _hash_code(BASE_CODE + (STREAM_CODE if with_streams else ()))


def _hash_code(tops: tuple[str, ...]) -> str:
    """sha256 over the code and data files (and their paths) under the named top-level
    modules or packages of orderwatch."""
    h = hashlib.sha256()
    for p in sorted(PACKAGE_DIR.rglob("*")):
        rel = p.relative_to(PACKAGE_DIR)
        if rel.parts[0] in tops and p.suffix in (".py", ".yaml", ".yml", ".csv") and p.is_file():
            h.update(str(p.relative_to(PACKAGE_DIR)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def fingerprint(with_streams: bool) -> str:
    payload = json.dumps({"provenance": bundled.provenance(), "code": code_hash(with_streams), "version": __version__,
                          "streams": with_streams}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def verify_bundled() -> None:
    for rec in bundled.provenance():
        bundled.verify(rec["name"])


def _check_rows(name: str, df: pd.DataFrame) -> None:
    want = bundled.record(name)["rows"]
    if want is not None and len(df) != want:
        raise OrderwatchError(f"bundled {name}: {len(df)} rows, provenance says {want}")


def sources_table() -> pd.DataFrame:
    rows = []
    for rec in bundled.provenance():
        rows.append({k: (json.dumps(v) if isinstance(v, (list, dict)) else v) for k, v in rec.items()})
    return pd.DataFrame(rows)


def base_tables(progress: Callable[[str], None] = lambda s: None) -> dict[str, pd.DataFrame]:
    """Read, check and tidy every bundled source into the store's base tables."""
    progress("verifying bundled files")
    verify_bundled()
    for name in ("unvotes_roll_calls", "undl_roll_calls", "voeten_absences", "undl_votes", "ungdc"):
        _check_rows(name, bundled.read(name, columns=[bundled.record(name)["columns"][0]]))
    tables: dict[str, pd.DataFrame] = {}
    progress("countries")
    tables["countries"] = countries.registry()
    progress("roll calls and votes")
    rc = votes.roll_calls()
    tables["roll_calls"] = rc
    tables["votes"] = votes.votes(rc)
    progress("speeches")
    tables["speeches"] = texts.speeches()
    progress("documents")
    tables["documents"] = texts.documents()
    progress("alliances, spending, capabilities, trade")
    tables["alliances"] = other.alliances()
    tables["military_expenditure"] = other.military_expenditure()
    tables["capabilities"] = other.capabilities()
    tables["trade"] = other.trade()
    tables["sources"] = sources_table()
    return tables


def stream_steps(names: tuple[str, ...] = STREAMS) -> list[tuple[str, Callable]]:
    """The derive functions of the streams that exist in this installation."""
    steps = []
    for mod_name in names:
        try:
            mod = importlib.import_module(mod_name)
        except ModuleNotFoundError as exc:
            if exc.name == mod_name:
                continue
            raise
        if hasattr(mod, "derive"):
            steps.append((mod_name.rsplit(".", 1)[1], mod.derive))
    return steps


def _lineage_rows(stream: str, derive: Callable, out: dict, seconds: float) -> list[dict]:
    """Provenance of each table a stream derived: method code hash, version, random seed,
    the bundled data it stands on (fingerprinted by their sha256 records), time taken."""
    seed = inspect.signature(derive).parameters.get("random_state")
    data = hashlib.sha256(json.dumps([r["sha256"] for r in bundled.provenance()]).encode()).hexdigest()
    code = _hash_code((stream,))
    return [{"table": name, "stream": stream, "function": f"{derive.__module__}.{derive.__qualname__}",
             "orderwatch_version": __version__, "code_sha256": code, "data_sha256": data,
             "random_state": None if seed is None or seed.default is inspect.Parameter.empty else seed.default,
             "rows": len(df), "seconds": round(seconds, 2)} for name, df in out.items()]


def build(path: Path | None = None, *, force: bool = False, with_streams: bool = True,
          progress: Callable[[str], None] | None = None) -> BuildReport:
    """Build the store at ``path``; a no-op when inputs and code are unchanged."""
    t0 = time.perf_counter()
    target = Path(path) if path else store.default_db_path()
    store.clean_stale_temp_files(target)
    fp = fingerprint(with_streams)
    meta = store.read_meta(target)
    if not force and meta is not None and meta.get("fingerprint") == fp:
        return BuildReport(target, True, time.perf_counter() - t0)
    say = progress or (lambda s: None)
    tables = base_tables(say)
    for name, df in store.read_user_rows(target).items():
        if name in store.CARRIED_TABLES:
            tables[name] = df
            continue
        tables[name] = pd.concat([tables[name], df.astype(tables[name].dtypes.to_dict(), errors="ignore")],
                                 ignore_index=True)
    steps = stream_steps() if with_streams else []
    lineage: list[dict] = []
    timed = []
    for name, fn in steps:
        def run(read, _name=name, _fn=fn):
            say(f"stream: {_name}")
            t = time.perf_counter()
            out = _fn(read)
            lineage.extend(_lineage_rows(_name, _fn, out, time.perf_counter() - t))
            return out
        timed.append(run)
    if steps:
        # last step: the lineage of every derived table, written once all streams have run
        timed.append(lambda read: {"table_provenance": pd.DataFrame(lineage)})
    say("writing store")
    new_meta = {"fingerprint": fp, "version": __version__, "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "streams": [n for n, _ in steps]}
    rows = {k: len(v) for k, v in tables.items()}
    store.write_store(target, tables, new_meta, then=timed, consume=True)
    return BuildReport(target, False, time.perf_counter() - t0, rows, [n for n, _ in steps])
