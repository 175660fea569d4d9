"""The words stream's combined rule: codebook where it speaks, the learned scorer elsewhere.

Used by ``score_text(method='all')`` and, pooled over a state's texts of a year, by the
country-year positions (method 'pooled', :mod:`orderwatch.text.pooled`).

Rule, sentence by sentence over the security-relevant sentences of a text (those with a
codebook frame or the codebook's security-order vocabulary):

1. a sentence with counted codebook matches (stance endorse or reject, or a middle
   frame) scores ``(u - g) / max(u + g + m, 1)`` from its own weighted counts: the rules
   are the most precise evidence we have (audited in docs/text.md);
2. any other relevant sentence scores ``2 p - 1``, ``p`` the learned scorer's calibrated
   probability that the US side said it (names masked), and counts half
   (``LEARNED_WEIGHT``): on the development set the learned scorer ranks passages less
   well than the rules (docs/text.md);
3. the text's position and interval come from
   :func:`orderwatch.text.learned.text_position` on ``(1 + s) / 2`` (Jeffreys posterior
   with the sentences as trials): about the mean sentence score, shrunk towards 0 for
   few sentences; one or two sentences get a wide interval, never a zero-width one;
4. no relevant sentence: no position (abstains; never 0).

The axes A1-A3 stay codebook-only (the learned scorer has one dimension).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orderwatch.text.codebook import AXES, default_matcher, sentence_spans
from orderwatch.text.learned import text_position
from orderwatch.text.scoring import _sentence_index


COUNT_COLUMNS = ["us", "gsi", "middle"] + [f"{k}_{a}" for a in AXES for k in ("us", "gsi", "middle")]


def sentence_counts(text: str, found: tuple | None = None) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Security-relevant sentences of ``text``, their spans and weighted counted matches.

    ``found`` is ``Matcher.find(text, with_relevance=True)`` if already computed.

    Returns
    -------
    sentences : list of str (whitespace-normalised)
    spans : (n, 2) int array of character offsets
    counts : (n, 12) float array in the order of ``COUNT_COLUMNS`` (us, gsi, middle overall,
        then us/gsi/middle per axis A1, A2, A3); described matches count nowhere.
    """
    matches, rel = found if found is not None else default_matcher().find(text, with_relevance=True)
    spans = sentence_spans(text)
    if len(spans) == 0:
        return [], np.zeros((0, 2), dtype=np.int64), np.zeros((0, len(COUNT_COLUMNS)))
    sent_m = _sentence_index(spans, [x.start for x in matches])
    keep = sorted(set(sent_m.tolist()) | set(_sentence_index(spans, [s for s, _ in rel]).tolist()))
    row = {s: i for i, s in enumerate(keep)}
    counts = np.zeros((len(keep), len(COUNT_COLUMNS)))
    for x, si in zip(matches, sent_m):
        if not x.counts:
            continue
        k = 0 if x.sign > 0 else 1 if x.sign < 0 else 2
        counts[row[int(si)], k] += x.weight
        counts[row[int(si)], 3 + 3 * AXES.index(x.axis) + k] += x.weight
    sents = [" ".join(text[int(spans[i, 0]):int(spans[i, 1])].split()) for i in keep]
    return sents, spans[keep], counts


def sentence_scores(counts: np.ndarray, p: np.ndarray | None = None) -> np.ndarray:
    """The combined rule per sentence: (u - g) / max(u + g + m, 1) where the codebook counts,
    else 2p - 1 (NaN without ``p``).  A sentence whose only match is a half-weight frame
    (anti-hegemony, non-interference) scores -0.5, not -1."""
    u, g, m = counts[:, 0], counts[:, 1], counts[:, 2]
    tot = u + g + m
    learned = np.full(len(counts), np.nan) if p is None else 2 * np.asarray(p, dtype=float) - 1
    return np.where(tot > 0, (u - g) / np.maximum(tot, 1.0), learned)


def sentence_table(text: str, learned=None, cache=None) -> pd.DataFrame:
    """One row per security-relevant sentence of ``text``: sentence, start, end, the counts of
    ``COUNT_COLUMNS``, p (learned P(US), NaN without ``learned``) and score."""
    sents, spans, counts = sentence_counts(text)
    p = learned.sentence_proba(sents, cache=cache) if (learned is not None and sents) else np.full(len(sents), np.nan)
    df = pd.DataFrame(counts, columns=COUNT_COLUMNS)
    df.insert(0, "sentence", sents)
    df.insert(1, "start", spans[:, 0])
    df.insert(2, "end", spans[:, 1])
    df["p"] = p
    df["score"] = sentence_scores(counts, p)
    return df


LEARNED_WEIGHT = 0.5


def combine(scores: np.ndarray, level: float = 0.95, weights: np.ndarray | None = None
            ) -> tuple[float | None, list]:
    """Position and interval from sentence scores in [-1, 1] (NaN scores are dropped)."""
    s = np.asarray(scores, dtype=float)
    w = np.ones_like(s) if weights is None else np.asarray(weights, dtype=float)
    ok = np.isfinite(s)
    return text_position((1 + s[ok]) / 2, level, weights=w[ok])


def score_all(text: str, learned=None, level: float = 0.95) -> dict:
    """The combined position of ``text`` with its sentence table (see the module docstring)."""
    df = sentence_table(text, learned)
    is_cb = ((df["us"] + df["gsi"] + df["middle"]) > 0).to_numpy()
    pos, interval = combine(df["score"].to_numpy(), level, np.where(is_cb, 1.0, LEARNED_WEIGHT))
    n_cb = int(is_cb.sum())
    n = int(np.isfinite(df["score"].to_numpy(dtype=float)).sum())
    return {"position": pos, "interval": interval, "n": n, "n_codebook_sentences": n_cb,
            "n_learned_sentences": n - n_cb, "sentences": df}


__all__ = ["sentence_counts", "sentence_scores", "sentence_table", "combine", "score_all", "COUNT_COLUMNS"]
