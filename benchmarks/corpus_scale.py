"""Corpus scoring at scale: throughput of the local engine and of Dask with 1 and 2
workers on a synthetic corpus built from the bundled texts, and peak memory per worker.

    PYTHONPATH=src python benchmarks/corpus_scale.py --sentences 1000000 [--engines local,dask1,dask2]

The corpus: sentences of the bundled UN General Debate speeches (1990-2024) and official
documents, drawn with replacement (seeded) into documents of 50 sentences, each labelled
with a real (state, year) pair of the General Debate, written as Parquet (row groups of
500 documents). Every engine scores the same corpus end to end (`score_corpus`, fresh output
folder); throughput is given after start-up (cluster start, workers importing the scorer)
and end to end; the load average is recorded with each run, since the 2 cores are shared.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from orderwatch import bundled
from orderwatch.corpus import score_corpus
from orderwatch.text.codebook import sentence_spans

SENTENCES_PER_DOC = 50


def sentence_pool(limit_docs: int = 3000, seed: int = 0) -> tuple[list[str], pd.DataFrame]:
    sp = bundled.read("ungdc", columns=["iso3", "year", "text"])
    sp = sp[sp.year >= 1990]
    rng = np.random.default_rng(seed)
    pick = sp.iloc[rng.choice(len(sp), size=min(limit_docs, len(sp)), replace=False)]
    pool = []
    for t in pick.text:
        pool += [" ".join(t[s:e].split()) for s, e in sentence_spans(t) if e - s > 20]
    us = bundled.read("us_official", columns=["text"]).text.head(200)
    for t in us:
        pool += [" ".join(t[s:e].split()) for s, e in sentence_spans(t) if e - s > 20]
    return pool, sp[["iso3", "year"]].drop_duplicates().reset_index(drop=True)


def make_corpus(folder: Path, n_sentences: int, seed: int = 0) -> dict:
    pool, labels = sentence_pool(seed=seed)
    rng = np.random.default_rng(seed + 1)
    n_docs = -(-n_sentences // SENTENCES_PER_DOC)
    folder.mkdir(parents=True, exist_ok=True)
    writer, size = None, 0
    for start in range(0, n_docs, 500):
        k = min(500, n_docs - start)
        idx = rng.integers(0, len(pool), size=(k, SENTENCES_PER_DOC))
        lab = labels.iloc[rng.integers(0, len(labels), size=k)]
        texts = [" ".join(pool[i] for i in row) for row in idx]
        size += sum(map(len, texts))
        table = pa.table({"doc_id": [f"syn{start + i}" for i in range(k)], "iso3": lab.iso3.to_numpy(),
                          "year": lab.year.to_numpy(), "text": texts})
        if writer is None:
            writer = pq.ParquetWriter(folder / "corpus.parquet", table.schema, compression="zstd")
        writer.write_table(table, row_group_size=500)
    writer.close()
    return {"documents": n_docs, "sentences_drawn": n_docs * SENTENCES_PER_DOC, "megabytes": round(size / 1e6, 1),
            "pool_sentences": len(pool)}


def bench(corpus: Path, engine: str, workers: int, out: Path) -> dict:
    t0 = time.perf_counter()
    r = score_corpus(corpus, out, engine=engine, workers=workers, progress=False, resume=False)
    secs = time.perf_counter() - t0
    work = secs - r.startup_seconds  # scoring, after the cluster is up and the workers warm
    return {"engine": engine if engine == "local" else f"dask x{workers}", "seconds": round(secs, 1),
            "startup_s": round(r.startup_seconds, 1), "documents": r.documents, "sentences": r.sentences,
            "docs_per_s": round(r.documents / work, 1), "sentences_per_s": round(r.sentences / work),
            "mb_per_s": round(r.bytes / 1e6 / work, 2), "end_to_end_sentences_per_s": round(r.sentences / secs),
            "peak_rss_mb_per_worker": sorted(round(v) for v in r.peak_rss_mb.values()),
            "load": [round(x, 1) for x in os.getloadavg()]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sentences", type=int, default=100_000)
    ap.add_argument("--engines", default="local,dask1,dask2")
    ap.add_argument("--keep", type=Path, default=None, help="Write the corpus and outputs here.")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="ow-corpus-bench-") as d:
        base = a.keep or Path(d)
        corpus = base / "corpus"
        print(json.dumps({"corpus": make_corpus(corpus, a.sentences)}), flush=True)
        for e in a.engines.split(","):
            engine, workers = ("local", 1) if e == "local" else ("dask", int(e[4:] or 2))
            print(json.dumps(bench(corpus, engine, workers, base / f"out-{e}")), flush=True)


if __name__ == "__main__":
    main()
