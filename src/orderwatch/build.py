"""Bundled sources -> store: verified, idempotent, atomic, with progress on a terminal.

The build fingerprints its inputs (the provenance records, i.e. every bundled file's
sha256, plus the hash of the package's code); when the store already carries the same
fingerprint, it is a no-op. Otherwise it writes a complete new file and swaps it in
(see ``orderwatch.store.write_store``). Rows ingested by users are carried over, including
those an ingest adds while the build runs (re-read under the write lock before the swap).

One build at a time per store (``orderwatch.lock``: a second one waits, then refuses). A
store that cannot be read is refused with a hint; ``force=True`` moves it aside and says
how many user rows it could carry over and how many it could not (``orderwatch.health``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import inspect
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from orderwatch import __version__, bundled, countries, health, lock, store
from orderwatch.errors import OrderwatchError
from orderwatch.sources import other, practice, texts, votes

PACKAGE_DIR = Path(__file__).resolve().parent
# Streams that read base tables only run side by side, one process per group (in order
# within a group); every other stream runs after them, in the order of ``streams()``, in this process.
SIDE_BY_SIDE = (("votes",), ("text", "institutions"))
PROCESSES_ENV = "ORDERWATCH_BUILD_PROCESSES"  # "1": every stream in the build process

# The base stages announced through the progress callback (streams are added to these).
STAGES = ("verifying bundled files", "countries", "roll calls and votes", "speeches", "documents",
          "alliances, spending, capabilities, trade", "security practice", "writing store")


@dataclass
class BuildReport:
    path: Path
    skipped: bool
    seconds: float
    rows: dict[str, int] = field(default_factory=dict)
    streams: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the user must know (a store moved aside)


BASE_CODE = ("__init__.py", "build.py", "store", "countries.py", "sources")
STREAM_CODE = ("votes", "text", "institutions", "practice", "synthesis", "claims", "evidence.py")

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
    """Check every bundled file against its provenance record (the same check every reader makes)."""
    bundled.verify_all()


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
    progress("security practice")
    tables["arms_deals"] = practice.arms_deals()
    tables["arms_transfers"] = practice.arms_transfers()
    tables["us_troops"] = practice.us_troops()
    tables["us_bases"] = practice.us_bases()
    tables["exercise_participations"] = practice.exercise_participations()
    tables["sources"] = sources_table()
    return tables


@dataclass(frozen=True)
class Stream:
    """One stream of the build: its name, the function deriving its tables from ``read``,
    and the tables that function writes (declared by the stream's package as ``TABLES``)."""

    name: str
    derive: Callable
    tables: tuple[str, ...]


def streams() -> tuple[Stream, ...]:
    """Every stream, in the order they run (explicit imports: a missing one is an error).

    The validity report runs last: it checks the synthesis against external criteria.
    """
    from orderwatch import institutions, practice, synthesis, text, validation, votes
    from orderwatch.text.stream import derive as derive_text  # the package loads it lazily

    return (Stream("votes", votes.derive, votes.TABLES), Stream("text", derive_text, text.TABLES),
            Stream("institutions", institutions.derive, institutions.TABLES),
            Stream("practice", practice.derive, practice.TABLES),
            Stream("synthesis", synthesis.derive, synthesis.TABLES),
            Stream("validation", validation.derive, validation.TABLES))


def stream_steps() -> list[tuple[str, Callable]]:
    """(name, derive) of every stream, in the order they run."""
    return [(s.name, s.derive) for s in streams()]


def _check_tables(name: str, derive: Callable, out: dict) -> None:
    """A stream writes exactly the tables it declares (so readers can rely on the list)."""
    declared = next((s.tables for s in streams() if s.name == name and s.derive is derive), None)
    if declared is not None and set(out) != set(declared):
        raise OrderwatchError(f"stream {name!r} wrote {sorted(out)} but declares {sorted(declared)} "
                              "(its package's TABLES)")


def _lineage_rows(stream: str, derive: Callable, out: dict, seconds: float) -> list[dict]:
    """Provenance of each table a stream derived: method code hash, version, random seed,
    the bundled data it stands on (fingerprinted by their sha256 records), time taken."""
    _check_tables(stream, derive, out)
    seed = inspect.signature(derive).parameters.get("random_state")
    data = hashlib.sha256(json.dumps([r["sha256"] for r in bundled.provenance()]).encode()).hexdigest()
    code = _hash_code((stream,))
    return [{"table": name, "stream": stream, "function": f"{derive.__module__}.{derive.__qualname__}",
             "orderwatch_version": __version__, "code_sha256": code, "data_sha256": data,
             "random_state": None if seed is None or seed.default is inspect.Parameter.empty else seed.default,
             "rows": len(df), "seconds": round(seconds, 2)} for name, df in out.items()]


def _conform(user: pd.DataFrame, base: pd.DataFrame) -> pd.DataFrame:
    """User rows read back from the store, in the bundled table's column types. A DATE
    column comes back from DuckDB as timestamps: they are turned back into dates, so that a
    rebuild with user rows keeps the table's DATE column (and its rows' hashes)."""
    out = user.astype(base.dtypes.to_dict(), errors="ignore")
    for col in base.columns:
        first = base[col].dropna().head(1) if col in out and base[col].dtype == object else ()
        if len(first) and isinstance(first.iloc[0], dt.date) and not isinstance(first.iloc[0], dt.datetime):
            out[col] = pd.to_datetime(out[col]).dt.date
    return out


def _merge_user_speeches(tables: dict[str, pd.DataFrame]) -> None:
    """Speeches added by `orderwatch update speeches` join the bundled ones (for the
    (state, session) pairs the bundled release lacks)."""
    user = tables.get("speeches_user")
    if user is None or not len(user):
        return
    base = tables["speeches"]
    have = set(zip(base.iso3, base.session))
    add = user[[(i, s) not in have for i, s in zip(user.iso3, user.session)]][list(base.columns)]
    tables["speeches"] = pd.concat([base, add.astype(base.dtypes.to_dict())], ignore_index=True)


_GROUPS: list = []  # (group of (name, derive), read) for the forked processes


def _run_group(i: int) -> tuple[dict, list[dict]]:
    """Run one group of streams (in a forked process) with BLAS held to one thread."""
    from threadpoolctl import threadpool_limits

    group, read = _GROUPS[i]
    outs: dict = {}
    lineage: list[dict] = []
    with threadpool_limits(limits=1):
        for name, fn in group:
            t = time.perf_counter()
            out = fn(lambda n: outs[n] if n in outs else read(n))
            lineage += _lineage_rows(name, fn, out, time.perf_counter() - t)
            outs.update(out)
    return outs, lineage


def _release_memory() -> None:
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _side_by_side(groups: list[list[tuple[str, Callable]]], lineage: list[dict], say: Callable[[str], None]):
    """A ``side_by_side`` callable for ``store.write_store_side_by_side``."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    def run(read):
        say("streams side by side: " + " | ".join(", ".join(n for n, _ in g) for g in groups))
        _GROUPS[:] = [(g, read) for g in groups]
        _release_memory()  # the base tables are written: give their pages back before forking
        try:
            with ProcessPoolExecutor(len(groups), mp_context=multiprocessing.get_context("fork")) as pool:
                results = list(pool.map(_run_group, range(len(groups))))
        finally:
            _GROUPS.clear()
        for outs, rows in results:
            lineage.extend(rows)
        return [outs for outs, _ in results]
    return run


def _plan(steps: list[tuple[str, Callable]], parallel: bool) -> tuple[list[list], list]:
    """(groups to run side by side, steps to run after them in this process)."""
    import multiprocessing

    if (not parallel or os.environ.get(PROCESSES_ENV) == "1" or (os.cpu_count() or 1) < 2
            or "fork" not in multiprocessing.get_all_start_methods()):  # no fork on Windows
        return [], steps
    have = dict(steps)
    groups = [[(n, have[n]) for n in g if n in have] for g in SIDE_BY_SIDE]
    groups = [g for g in groups if g]
    if len(groups) < 2:
        return [], steps
    grouped = {n for g in groups for n, _ in g}
    return groups, [(n, f) for n, f in steps if n not in grouped]


def _only_streams_stale(meta: dict | None, fp: str) -> bool:
    """True when the store was fully built from these inputs and code, and since then only
    `orderwatch update` changed it (listing the streams that read what it changed)."""
    return (meta is not None and meta.get("fingerprint") == "stale" and meta.get("fingerprint_before_update") == fp
            and bool(meta.get("stale_streams")) and bool(meta.get("streams")))


def _timed(name: str, fn: Callable, lineage: list[dict], say: Callable[[str], None], note: str = "") -> Callable:
    """``fn`` as a write step that announces itself and appends its lineage rows (with the
    seconds it took) to ``lineage``."""
    def run(read):
        say(f"stream: {name}{note}")
        t = time.perf_counter()
        out = fn(read)
        lineage.extend(_lineage_rows(name, fn, out, time.perf_counter() - t))
        return out
    return run


def _rebuild_stale(target: Path, fp: str, meta: dict, say: Callable[[str], None], t0: float) -> BuildReport:
    """Recompute only the stale streams (in the order of ``streams()``) in a copy of the store, swap it in."""
    all_steps = stream_steps()
    order = [n for n, _ in all_steps]
    stale = set(meta["stale_streams"]) & set(order)
    # streams outside the side-by-side groups may read other streams' tables: those after
    # the first stale stream are recomputed too (synthesis, and what reads it)
    grouped = {n for g in SIDE_BY_SIDE for n in g}
    first = min((order.index(n) for n in stale), default=len(order))
    stale |= {n for n in order[first + 1:] if n not in grouped}
    steps = [(n, f) for n, f in all_steps if n in stale]
    lineage: list[dict] = []
    timed = [_timed(name, fn, lineage, say, " (stale after an update)") for name, fn in steps]

    def provenance(read):
        old = read("table_provenance")
        rows = old[~old.stream.isin([n for n, _ in steps])].to_dict("records") + lineage
        return {"table_provenance": pd.DataFrame(sorted(rows, key=lambda r: order.index(r["stream"])
                                                        if r["stream"] in order else len(order)))}
    timed.append(provenance)
    new_meta = {k: v for k, v in meta.items() if k not in ("stale_streams", "fingerprint_before_update")}
    new_meta.update({"fingerprint": fp, "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")})
    store.rewrite_tables(target, timed, new_meta)
    return BuildReport(target, False, time.perf_counter() - t0, {}, [n for n, _ in steps])


def build(path: Path | None = None, *, force: bool = False, with_streams: bool = True,
          progress: Callable[[str], None] | None = None, parallel: bool = True,
          wait: float | None = None) -> BuildReport:
    """Build the store at ``path``; a no-op when inputs and code are unchanged.

    With ``parallel`` (and two or more CPUs) the streams of ``SIDE_BY_SIDE`` run in
    separate processes that read the base tables from the new file; the rest follow.
    Another build of the same store makes this one wait up to ``wait`` seconds (default
    ``orderwatch.lock.default_wait()``), then raise :class:`orderwatch.lock.StoreBusyError`.
    """
    t0 = time.perf_counter()
    target = Path(path) if path else store.default_db_path()
    with lock.writer_lock(target, wait, kind=lock.BUILD):
        return _build(target, force, with_streams, progress or (lambda s: None), parallel, t0)


def _build(target: Path, force: bool, with_streams: bool, say: Callable[[str], None], parallel: bool,
           t0: float) -> BuildReport:
    store.clean_stale_temp_files(target)
    fp = fingerprint(with_streams)
    meta = store.read_meta(target)
    if not force and meta is not None and meta.get("fingerprint") == fp:
        return BuildReport(target, True, time.perf_counter() - t0)
    if not force and with_streams and _only_streams_stale(meta, fp):
        return _rebuild_stale(target, fp, meta, say, t0)
    since = store.file_id(target)  # before reading: a swap after this is carried in at the end
    user_rows, notes = health.user_rows_for_rebuild(target, force, meta)
    if notes:  # the old file was moved aside: nothing to carry in from it at the end
        since = None
    tables = base_tables(say)
    for name, df in user_rows.items():
        if name in store.CARRIED_TABLES + store.USER_TABLES:
            tables[name] = df
            continue
        tables[name] = pd.concat([tables[name], _conform(df, tables[name])], ignore_index=True)
    del user_rows
    _merge_user_speeches(tables)
    steps = stream_steps() if with_streams else []
    groups, after = _plan(steps, parallel)
    lineage: list[dict] = []
    timed = [_timed(name, fn, lineage, say) for name, fn in after]
    if steps:
        # last step: the lineage of every derived table, written once all streams have run
        order = [n for n, _ in steps]
        timed.append(lambda read: {"table_provenance": pd.DataFrame(
            sorted(lineage, key=lambda r: order.index(r["stream"])))})
    say("writing store")
    new_meta = {"fingerprint": fp, "version": __version__, "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "streams": [n for n, _ in steps]}
    rows = {k: len(v) for k, v in tables.items()}
    if groups:
        store.write_store_side_by_side(target, tables, new_meta, _side_by_side(groups, lineage, say), then=timed,
                                       since=since)
    else:
        store.write_store(target, tables, new_meta, then=timed, consume=True, since=since)
    return BuildReport(target, False, time.perf_counter() - t0, rows, [n for n, _ in steps], notes)
