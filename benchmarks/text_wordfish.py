"""Benchmark: Wordfish on the Asian General Debate corpus and on a synthetic sparse matrix.

(1) every Asian state's speeches (plus CHN and USA), function words and punctuation
removed, features in at least 5 speeches; (2) a synthetic 100,000 x 2,000 Poisson matrix
(about 30 non-zeros a row), fitted for a few outer iterations to measure time per
iteration and peak memory (the goal is < 4 GB: the matrix is never densified and
expected counts are computed in row blocks).  Run: python benchmarks/text_wordfish.py
"""

from __future__ import annotations

import resource
import time

import numpy as np
import scipy.sparse as sp

from orderwatch import bundled, countries
from orderwatch.text.dfm import STOPWORDS_EN, dfm
from orderwatch.text.wordfish import Wordfish


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    df = bundled.read("ungdc", columns=["iso3", "year", "text"])
    df = df[df.iso3.isin(set(countries.asian()) | {"USA"})].reset_index(drop=True)
    t = time.perf_counter()
    d = dfm(df.text, remove_punct=True, stopwords=STOPWORDS_EN).trim(min_docfreq=5)
    t_dfm = time.perf_counter() - t
    print(f"asian corpus dfm: {d.shape[0]:,} speeches x {d.shape[1]:,} features, nnz {d.matrix.nnz:,} "
          f"({t_dfm:.1f} s)")
    chn = int(np.flatnonzero((df.iso3 == "CHN").to_numpy())[-1]) + 1
    usa = int(np.flatnonzero((df.iso3 == "USA").to_numpy())[-1]) + 1
    t = time.perf_counter()
    wf = Wordfish(dir=(chn, usa)).fit(d.matrix)
    print(f"wordfish asian corpus: {time.perf_counter() - t:.1f} s, {wf.n_iter_} outer iterations, "
          f"peak RSS {peak_mb():,.0f} MB")

    rng = np.random.default_rng(0)
    n, V, per_row = 100_000, 2_000, 30
    rows = np.repeat(np.arange(n), per_row)
    cols = rng.integers(0, V, n * per_row)
    X = sp.csr_matrix((rng.poisson(2, n * per_row) + 1.0, (rows, cols)), shape=(n, V))
    X = X[:, np.flatnonzero(np.diff(X.tocsc().indptr))]
    t = time.perf_counter()
    wf = Wordfish(dir=(1, 2), max_iter=2, block_size=2000).fit(X)
    dt = time.perf_counter() - t
    print(f"synthetic {n:,} x {X.shape[1]:,} (nnz {X.nnz:,}): {wf.n_iter_} outer iterations in {dt:.1f} s "
          f"({dt / wf.n_iter_:.1f} s each), peak RSS {peak_mb():,.0f} MB")


if __name__ == "__main__":
    main()
