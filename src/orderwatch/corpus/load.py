"""Read a scored corpus back: per-document rows, and per-country-year positions in the
words stream's shape (``text_positions``: iso3, year, axis, position, lo, hi, n, method).

A country-year pools its documents' weighted codebook counts ``U`` (US pole) and ``G``
(GSI pole) and takes the codebook's position ``(U - G) / (U + G + 1)``, as the words
stream does for one text; with fewer than ``min_hits`` matched passages the position is
null. The interval: for a country-year of one document, that document's own interval
(the codebook's bootstrap over its sentences, as the words stream gives for one speech);
for several, a percentile bootstrap over the documents (``interval_from`` says which).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from orderwatch.corpus.score import AXIS_KEYS, iter_parts
from orderwatch.errors import OrderwatchError

DOC_COLUMNS = ["doc_id", "source", "iso3", "year", "position", "lo", "hi", "n", "relevance", "n_sentences",
               "method", "codebook_version"]
COUNT_COLUMNS = [f"{a.lower()}_{k}" for a in AXIS_KEYS for k in ("us", "gsi", "n", "lo", "hi")] + ["lo", "hi"]


def provenance(out: str | Path) -> dict:
    """The run's ``corpus.json``; refuses an incomplete run."""
    p = Path(out) / "corpus.json"
    if not p.exists():
        raise OrderwatchError(f"{out}: no corpus.json; not the output of `orderwatch corpus score`")
    meta = json.loads(p.read_text())
    if not meta.get("complete"):
        raise OrderwatchError(f"{out}: the scoring run did not finish; run `orderwatch corpus score` again "
                              "(it resumes)")
    return meta


def documents(out: str | Path) -> pd.DataFrame:
    """One row per scored document (the shape of the words stream's ``text_documents``)."""
    provenance(out)
    frames = list(iter_parts(Path(out), "positions", DOC_COLUMNS))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=DOC_COLUMNS)


def _position(us, gsi):
    return (us - gsi) / (us + gsi + 1.0)


def country_year_positions(out: str | Path, min_hits: int = 2, n_boot: int = 500, level: float = 0.95,
                           random_state: int = 0) -> pd.DataFrame:
    """Per country-year and axis (A1, A2, A3, overall): position, interval, n, n_docs."""
    meta = provenance(out)
    cols = ["iso3", "year", *COUNT_COLUMNS]
    frames = [f.dropna(subset=["iso3", "year"]) for f in iter_parts(Path(out), "positions", cols)]
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)
    rng = np.random.default_rng(random_state)
    alpha = (1 - level) / 2
    rows = []
    for (iso3, year), g in df.groupby(["iso3", "year"], sort=True):
        us = g[[f"{a.lower()}_us" for a in AXIS_KEYS]].to_numpy(float)
        gsi = g[[f"{a.lower()}_gsi" for a in AXIS_KEYS]].to_numpy(float)
        n = g[[f"{a.lower()}_n" for a in AXIS_KEYS]].fillna(0).to_numpy(int)
        us, gsi = np.c_[us, us.sum(1)], np.c_[gsi, gsi.sum(1)]  # overall = all axes
        n = np.c_[n, n.sum(1)]
        k = len(g)
        pos = _position(us.sum(0), gsi.sum(0))
        draws = rng.multinomial(k, np.full(k, 1.0 / k), size=n_boot).astype(float) if n_boot and k > 1 else None
        lo = hi = np.full(4, np.nan)
        if k == 1:
            lo = g[[f"{a.lower()}_lo" for a in AXIS_KEYS] + ["lo"]].to_numpy(float)[0]
            hi = g[[f"{a.lower()}_hi" for a in AXIS_KEYS] + ["hi"]].to_numpy(float)[0]
        elif draws is not None:
            boot = _position(draws @ us, draws @ gsi)
            lo, hi = np.quantile(boot, [alpha, 1 - alpha], axis=0)
        for j, axis in enumerate((*AXIS_KEYS, "overall")):
            ok = n[:, j].sum() >= min_hits
            rows.append({"iso3": iso3, "year": int(year), "axis": axis,
                         "position": float(pos[j]) if ok else np.nan, "lo": float(lo[j]) if ok else np.nan,
                         "hi": float(hi[j]) if ok else np.nan, "n": int(n[:, j].sum()), "n_docs": k,
                         "interval_from": "sentences" if k == 1 else "documents", "method": "codebook_corpus"})
    res = pd.DataFrame(rows, columns=["iso3", "year", "axis", "position", "lo", "hi", "n", "n_docs", "interval_from",
                                      "method"])
    res.attrs["provenance"] = {k: meta.get(k) for k in ("input", "input_sha256", "method", "codebook_version",
                                                       "orderwatch_version", "finished_at")}
    return res
