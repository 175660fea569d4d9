"""Sublinear tf-idf of English words (the learned scorer's baseline features).

Tokens: the quanteda-style tokenizer of :mod:`orderwatch.text.dfm`, lowercased,
punctuation and function words removed, unigrams and bigrams; features seen in at least
``min_df`` training sentences.  Weights ``(1 + log tf) * log((1 + n) / (1 + df)) + 1``,
rows L2-normalised (the usual smooth idf).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from orderwatch.text.dfm import STOPWORDS_EN, tokenize_en


def _features(text: str) -> list[str]:
    toks = [t for t in tokenize_en(text, remove_punct=True) if t not in STOPWORDS_EN and t != "x"]
    return toks + [a + " " + b for a, b in zip(toks, toks[1:])]


class Tfidf:
    """Fit a vocabulary and idf on sentences; transform sentences to a sparse matrix."""

    def __init__(self, min_df: int = 3):
        self.min_df = min_df

    def fit(self, sentences) -> "Tfidf":
        df: dict[str, int] = {}
        n = 0
        for s in sentences:
            n += 1
            for f in set(_features(s)):
                df[f] = df.get(f, 0) + 1
        vocab = sorted(f for f, k in df.items() if k >= self.min_df)
        self.vocabulary_ = {f: j for j, f in enumerate(vocab)}
        self.idf_ = np.log((1 + n) / (1 + np.array([df[f] for f in vocab], dtype=float))) + 1
        return self

    def transform(self, sentences) -> sp.csr_matrix:
        rows, cols, vals = [], [], []
        for i, s in enumerate(sentences):
            counts: dict[int, int] = {}
            for f in _features(s):
                j = self.vocabulary_.get(f)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            for j, k in counts.items():
                rows.append(i)
                cols.append(j)
                vals.append((1 + np.log(k)) * self.idf_[j])
        X = sp.csr_matrix((vals, (rows, cols)), shape=(len(sentences), len(self.vocabulary_)))
        norms = np.sqrt(np.asarray(X.multiply(X).sum(axis=1)).ravel())
        norms[norms == 0] = 1
        return sp.diags(1 / norms) @ X
