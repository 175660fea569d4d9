"""Tokenizers (English, Chinese) and sparse document-feature matrices.

The English tokenizer follows quanteda's default ``tokens()`` (Benoit et al. 2018):
Unicode word segmentation in the style of UAX #29 with hyphenated words kept whole,
apostrophes and inner full stops kept inside words ("don't", "U.S"), digits joined by
commas or points ("1,000", "4.5"), and every other non-space character a token of its own
(punctuation and symbols are features unless ``remove_punct``).  Features are lowercased.
Chinese runs are segmented with jieba.  The matrix is a ``scipy.sparse.csr_matrix`` and is
never densified.

References
----------
Benoit, K., Watanabe, K., Wang, H., Nulty, P., Obeng, A., Müller, S. & Matsuo, A. (2018).
quanteda: An R package for the quantitative analysis of textual data. Journal of Open
Source Software 3(30), 774.  Unicode Standard Annex #29, Unicode Text Segmentation.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

import numpy as np
import scipy.sparse as sp

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
# A word: letters/digits joined by hyphens, apostrophes, inner points; digits by commas.
_WORD = r"[^\W_]+(?:(?:[-'’.](?=[^\W_])|(?<=\d),(?=\d))[^\W_]+)*"
_TOKEN = re.compile(_WORD + r"|[^\w\s]|_+")
_IS_WORD = re.compile(r"[^\W_]")

# A short English stopword list for the focused scaling (function words only).
STOPWORDS_EN = frozenset("""
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other our ours ourselves out over
own same she should so some such than that the their theirs them themselves then there these
they this those through to too under until up very was we were what when where which while who
whom why will with would you your yours yourself yourselves also shall may must us upon within
without among amongst mr madam president secretary-general general assembly united nations
""".split())


def tokenize_en(text: str, remove_punct: bool = False, lowercase: bool = True) -> list[str]:
    """Tokens of an English text in the style of quanteda's default tokenizer."""
    toks = _TOKEN.findall(text.lower() if lowercase else text)
    if remove_punct:
        # Punctuation and symbols both go: on the Irish budget fixture this lands closer
        # to quanteda's published remove_punct estimates than dropping punctuation only.
        toks = [t for t in toks if _IS_WORD.match(t)]
    return toks


def tokenize(text: str, remove_punct: bool = False, stopwords: frozenset | None = None) -> list[str]:
    """Tokens of English, Chinese or mixed text: Chinese runs go through jieba."""
    if _CJK_RUN.search(text):
        from orderwatch.text.codebook import _jieba

        out: list[str] = []
        pos = 0
        for m in _CJK_RUN.finditer(text):
            out.extend(tokenize_en(text[pos:m.start()], remove_punct))
            out.extend(w for w in _jieba().lcut(m.group()) if w.strip())
            pos = m.end()
        out.extend(tokenize_en(text[pos:], remove_punct))
    else:
        out = tokenize_en(text, remove_punct)
    if stopwords:
        out = [t for t in out if t not in stopwords]
    return out


class Dfm:
    """A sparse document-feature matrix with its document names and feature names."""

    def __init__(self, matrix: sp.csr_matrix, docnames: Sequence[str], features: Sequence[str]):
        self.matrix = matrix.tocsr()
        self.docnames = list(docnames)
        self.features = list(features)

    @property
    def shape(self) -> tuple[int, int]:
        return self.matrix.shape

    def trim(self, min_termfreq: int = 1, min_docfreq: int = 1) -> "Dfm":
        """Drop features rarer than the given total and document frequencies."""
        m = self.matrix
        tf = np.asarray(m.sum(axis=0)).ravel()
        df = np.diff(m.tocsc().indptr)
        keep = np.flatnonzero((tf >= min_termfreq) & (df >= min_docfreq))
        return Dfm(m[:, keep], self.docnames, [self.features[j] for j in keep])

    def align(self, features: Sequence[str]) -> "Dfm":
        """Re-index columns to ``features`` (unseen features are dropped, missing ones 0)."""
        index = {f: j for j, f in enumerate(features)}
        m = self.matrix.tocoo()
        cols = np.array([index.get(f, -1) for f in self.features], dtype=np.int64)
        new_c = cols[m.col]
        keep = new_c >= 0
        out = sp.csr_matrix((m.data[keep], (m.row[keep], new_c[keep])), shape=(m.shape[0], len(features)))
        return Dfm(out, self.docnames, list(features))

    @classmethod
    def from_counts(cls, table) -> "Dfm":
        """From a wide DataFrame with a ``doc_id`` column and one column per feature."""
        df = table.set_index("doc_id")
        return cls(sp.csr_matrix(df.to_numpy(dtype=float)), [str(x) for x in df.index], list(df.columns))


def dfm(texts: Iterable[str], docnames: Sequence[str] | None = None, remove_punct: bool = False,
        stopwords: frozenset | None = None, tokenizer=None) -> Dfm:
    """Build a sparse document-feature matrix of lowercased token counts.

    Parameters
    ----------
    texts : iterable of str
    docnames : sequence of str, optional
    remove_punct : bool
        Drop punctuation and symbol tokens (quanteda ``remove_punct = TRUE``).
    stopwords : frozenset, optional
        Tokens to drop.
    tokenizer : callable, optional
        ``text -> list[str]``; defaults to :func:`tokenize`.

    Examples
    --------
    >>> d = dfm(["A cat, a dog.", "The dog"], remove_punct=True)
    >>> d.features, d.matrix.toarray().tolist()
    (['a', 'cat', 'dog', 'the'], [[2.0, 1.0, 1.0, 0.0], [0.0, 0.0, 1.0, 1.0]])
    """
    vocab: dict[str, int] = {}
    indptr, indices = [0], []
    n = 0
    for text in texts:
        toks = tokenizer(text) if tokenizer else tokenize(text, remove_punct, stopwords)
        if tokenizer and stopwords:
            toks = [t for t in toks if t not in stopwords]
        indices.extend(vocab.setdefault(t, len(vocab)) for t in toks)
        indptr.append(len(indices))
        n += 1
    data = np.ones(len(indices))
    m = sp.csr_matrix((data, np.asarray(indices, dtype=np.int64), np.asarray(indptr, dtype=np.int64)),
                      shape=(n, len(vocab)))
    m.sum_duplicates()
    # Sort features alphabetically, as quanteda's dfm does not, but it makes output stable.
    order = np.argsort(np.array(list(vocab), dtype=object))
    feats = np.array(list(vocab), dtype=object)[order].tolist()
    inv = np.empty_like(order)
    inv[order] = np.arange(len(order))
    m = sp.csr_matrix((m.data, inv[m.indices], m.indptr), shape=m.shape)
    m.sort_indices()
    names = list(docnames) if docnames is not None else [f"text{i + 1}" for i in range(n)]
    return Dfm(m, names, feats)
