"""Score every document of a corpus with the words stream's scorer, partition by partition.

Each partition is read, scored with ``orderwatch.text.score_text`` (the public scoring
function of the words stream, so its codebook and methods apply unchanged) and written
as ``positions/part-NNNNN.parquet`` and ``evidence/part-NNNNN.parquet`` under the output
folder, each file written to a temp name and renamed (a killed run leaves only whole
parts, and ``resume`` skips them). ``corpus.json`` records the provenance.

Engines: 'local' scores in this process; 'dask' hands partitions to the workers of a
``distributed`` cluster (a LocalCluster by default, or the scheduler at an address), with
at most two partitions per worker in flight so memory stays bounded whatever the corpus
size. BLAS is held to one thread per worker (threadpoolctl): processes side by side on
few cores otherwise slow each other down.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from orderwatch import __version__
from orderwatch.corpus.io import Partition, fingerprint, partitions, read_partition
from orderwatch.errors import OrderwatchError

AXIS_KEYS = ("A1", "A2", "A3")
EVIDENCE_COLUMNS = ["doc_id", "iso3", "year", "frame", "pole", "axis", "start", "end", "text", "passage"]


@dataclass
class CorpusReport:
    out: Path
    engine: str
    workers: int
    partitions: int
    skipped: int = 0
    documents: int = 0
    bytes: int = 0
    sentences: int = 0
    scored: int = 0
    seconds: float = 0.0
    startup_seconds: float = 0.0
    peak_rss_mb: dict[str, float] = field(default_factory=dict)


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss it does not inherit the
    high-water mark of the process that forked it)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def warm_up() -> int:
    """Import the scorer and build the codebook matcher in a worker (fails early if the
    worker cannot import orderwatch); returns the worker's pid."""
    from orderwatch.text.codebook import default_matcher

    default_matcher()
    return os.getpid()


def _doc_row(d, r: dict) -> dict:
    row = {"doc_id": d.doc_id, "source": d.source, "iso3": d.iso3, "year": d.year, "method": r["method"],
           "codebook_version": r.get("codebook_version"), "position": r["position"],
           "lo": r["interval"][0], "hi": r["interval"][1], "relevance": r["relevance"], "n": r.get("n"),
           "n_sentences": r.get("n_sentences"), "chars": len(d.text)}
    for a in AXIS_KEYS:
        c = r["axes"].get(a, {})
        row[f"{a.lower()}_position"] = c.get("position")
        row[f"{a.lower()}_n"] = c.get("n")
        row[f"{a.lower()}_lo"], row[f"{a.lower()}_hi"] = (c.get("interval") or [None, None])[:2]
    return row


def _counts(r: dict) -> dict:
    """The weighted US/GSI counts per axis of a codebook result: they pool across documents."""
    out = {}
    for a in AXIS_KEYS:
        out[f"{a.lower()}_us"], out[f"{a.lower()}_gsi"] = r["axes"][a]["us"], r["axes"][a]["gsi"]
    return out


def score_document(text: str, method: str = "codebook", max_evidence: int = 50) -> tuple[dict, dict]:
    """(result in the shape of ``orderwatch.text.score_text``, codebook counts) for one text.

    The codebook result comes from ``orderwatch.text.score_codebook`` (what ``score_text``
    returns for method 'codebook', plus the weighted counts); other methods go through
    ``score_text`` and the counts from a codebook pass without bootstrap.
    """
    from orderwatch.text import score_codebook, score_text

    if method == "codebook":
        r = score_codebook(text, max_evidence=max_evidence)
        return r, _counts(r)
    r = score_text(text, method=method, max_evidence=max_evidence)
    return r, _counts(score_codebook(text, n_boot=0, max_evidence=0))


def _write(df: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    df.to_parquet(tmp, compression="zstd", index=False)
    os.replace(tmp, path)


def part_paths(out: Path, index: int) -> tuple[Path, Path]:
    name = f"part-{index:05d}.parquet"
    return out / "positions" / name, out / "evidence" / name


def score_partition(part: Partition, out: str, method: str = "codebook", max_evidence: int = 50,
                    pin_blas: bool = True) -> dict:
    """Read, score and write one partition; return its counts and this process's peak RSS."""
    def run() -> dict:
        docs = read_partition(part)
        rows, ev = [], []
        for d in docs.itertuples(index=False):
            r, counts = score_document(d.text, method, max_evidence)
            rows.append({**_doc_row(d, r), **counts})
            ev += [{"doc_id": d.doc_id, "iso3": d.iso3, "year": d.year,
                    **{k: e.get(k) for k in EVIDENCE_COLUMNS[3:]}} for e in r["evidence"]]
        pos_path, ev_path = part_paths(Path(out), part.index)
        _write(pd.DataFrame(ev, columns=EVIDENCE_COLUMNS), ev_path)
        _write(pd.DataFrame(rows), pos_path)  # last: its presence marks the part done
        return {"index": part.index, "documents": len(docs), "bytes": int(docs.text.str.len().sum()),
                "sentences": int(sum(x["n_sentences"] or 0 for x in rows)),
                "scored": int(sum(x["position"] is not None for x in rows)),
                "pid": os.getpid(), "peak_rss_mb": _peak_rss_mb()}

    if pin_blas:
        from threadpoolctl import threadpool_limits

        with threadpool_limits(limits=1):
            return run()
    return run()


def _progress(total: int, enabled: bool):
    """A progress bar over partitions on stderr (a no-op when disabled or not a terminal)."""
    if not enabled or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    prog = Progress(TextColumn("scoring {task.fields[docs]:,} docs"), BarColumn(), MofNCompleteColumn(),
                    TimeRemainingColumn(), console=Console(stderr=True), transient=True)
    prog.add_task("score", total=total, docs=0)
    return prog


def _run_local(todo: list[Partition], out: Path, kw: dict, done: Callable[[dict], None]) -> None:
    for p in todo:
        done(score_partition(p, str(out), **kw))


def _run_dask(todo: list[Partition], out: Path, kw: dict, done: Callable[[dict], None],
              scheduler: str | None, workers: int, started: Callable[[], None]) -> int:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise OrderwatchError("the dask engine needs the 'scale' extra: pip install 'orderwatch[scale]'") from None
    env = {k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")}
    cluster = None
    if scheduler:
        client = Client(scheduler, timeout="20s")
    else:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, memory_limit="2GiB",
                               dashboard_address=None, env=env, silence_logs=40)
        client = Client(cluster)
    try:
        n = len(client.scheduler_info()["workers"]) or workers
        client.run(warm_up)
        started()
        queue = iter(todo)
        futures = as_completed()
        for p in [p for _, p in zip(range(2 * n), queue)]:  # at most two partitions per worker in flight
            futures.add(client.submit(score_partition, p, str(out), **kw, pure=False))
        for fut in futures:
            done(fut.result())
            nxt = next(queue, None)
            if nxt is not None:
                futures.add(client.submit(score_partition, nxt, str(out), **kw, pure=False))
            fut.release()
        return n
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def score_corpus(path: str | Path, out: str | Path, *, engine: str = "local", scheduler: str | None = None,
                 workers: int | None = None, method: str = "codebook", max_evidence: int = 50,
                 resume: bool = True, progress: bool = True, docs_per_partition: int | None = None) -> CorpusReport:
    """Score the corpus at ``path`` into partitioned Parquet under ``out``.

    Parameters
    ----------
    path : a folder of .txt/.md files, or a Parquet file/folder with a ``text`` column.
    out : output folder (``positions/``, ``evidence/``, ``corpus.json``).
    engine : 'local' (this process) or 'dask'.
    scheduler : address of a running Dask scheduler; default a LocalCluster of ``workers``.
    workers : worker processes of the LocalCluster (default: the CPU count).
    method : a method of ``orderwatch.text.score_text``.
    resume : skip the parts a previous run over the same input already wrote.
    """
    if engine not in ("local", "dask"):
        raise OrderwatchError(f"unknown engine {engine!r}; choose local or dask")
    t0 = time.perf_counter()
    out = Path(out)
    kwargs = {} if docs_per_partition is None else {"docs_per_partition": docs_per_partition}
    parts = partitions(path, **kwargs)
    fp = fingerprint(parts)
    meta_path = out / "corpus.json"
    old = json.loads(meta_path.read_text()) if meta_path.exists() else None
    if old is not None and (not resume or old.get("input_sha256") != fp or old.get("method") != method
                            or old.get("max_evidence") != max_evidence):
        for sub in ("positions", "evidence"):  # a different input: never mix parts of two runs
            for f in (out / sub).glob("part-*.parquet"):
                f.unlink()
    todo = [p for p in parts if not part_paths(out, p.index)[0].exists()]
    workers = workers or os.cpu_count() or 1
    report = CorpusReport(out, engine, 1 if engine == "local" else workers, len(parts), len(parts) - len(todo))
    out.mkdir(parents=True, exist_ok=True)
    meta = {"input": str(Path(path).resolve()), "input_sha256": fp, "partitions": len(parts), "method": method,
            "orderwatch_version": __version__, "engine": engine, "max_evidence": max_evidence,
            "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "complete": False}
    meta_path.write_text(json.dumps(meta, indent=2))
    prog = _progress(len(todo), progress)

    def done(s: dict) -> None:
        report.documents += s["documents"]
        report.bytes += s["bytes"]
        report.sentences += s["sentences"]
        report.scored += s["scored"]
        key = str(s["pid"])
        report.peak_rss_mb[key] = max(report.peak_rss_mb.get(key, 0.0), s["peak_rss_mb"])
        if prog:
            prog.update(prog.task_ids[0], advance=1, docs=report.documents)

    kw = {"method": method, "max_evidence": max_evidence, "pin_blas": engine == "dask"}

    def started() -> None:
        report.startup_seconds = time.perf_counter() - t0
    if prog:
        prog.start()
    try:
        if engine == "local":
            warm_up()
            started()
            _run_local(todo, out, kw, done)
        else:
            report.workers = _run_dask(todo, out, kw, done, scheduler, workers, started)
    finally:
        if prog:
            prog.stop()
    report.seconds = time.perf_counter() - t0
    meta.update({"complete": True, "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                 "codebook_version": _codebook_version(out), "report": {
                     k: (str(v) if isinstance(v, Path) else v) for k, v in asdict(report).items()}})
    meta_path.write_text(json.dumps(meta, indent=2))
    return report


def _codebook_version(out: Path) -> str | None:
    first = next(iter(sorted((out / "positions").glob("part-*.parquet"))), None)
    if first is None:
        return None
    v = pd.read_parquet(first, columns=["codebook_version"]).codebook_version.dropna()
    return str(v.iloc[0]) if len(v) else None


def iter_parts(out: Path, kind: str = "positions", columns: Iterable[str] | None = None):
    """The written parts of one kind, one DataFrame at a time."""
    for f in sorted((Path(out) / kind).glob("part-*.parquet")):
        yield pd.read_parquet(f, columns=list(columns) if columns else None)
