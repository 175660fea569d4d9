"""Codebook scoring: frame counts, rates, positions per axis, bootstrap intervals, evidence.

Position on an axis (and overall, over all frames) from the weighted counts of US-pole
frames ``U`` and GSI-pole frames ``G``::

    theta = log((U + 0.5) / (G + 0.5))          # Lowe et al. (2011) empirical logit
    position = tanh(theta / 2) = (U - G) / (U + G + 1)   # mapped to (-1, 1), US = +1

The +0.5 smoothing keeps a text with one or two matches away from the ends of the scale.
Codebook v2: matches whose stance is *describe* count for neither pole; matches of the
*middle* frames (ASEAN centrality, strategic autonomy, non-alignment) with weighted count
``M`` join the denominator, ``(U - G) / (U + G + M + 1)``, so a text that speaks the
middle vocabulary lands near 0 rather than at a pole.
A text with fewer than ``min_hits`` matches on an axis has no position there (null, not
0).  Intervals come from a nonparametric bootstrap over sentences (Efron & Tibshirani
1993): sentences are drawn with replacement and the position recomputed; the percentile
interval is reported.  Relevance is the share of sentences that carry a frame or the
neutral security-order vocabulary of the codebook.

References
----------
Lowe, W., Benoit, K., Mikhaylov, S. & Laver, M. (2011). Scaling policy preferences from
coded political texts. Legislative Studies Quarterly 36(1), 123-155.
Efron, B. & Tibshirani, R. J. (1993). An Introduction to the Bootstrap. Chapman & Hall.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np

from orderwatch.text.codebook import AXES, Matcher, default_matcher, sentence_spans

AXIS_KEYS = AXES + ("overall",)


def logit_position(us: np.ndarray | float, gsi: np.ndarray | float, middle: np.ndarray | float = 0.0):
    """(U - G) / (U + G + M + 1): without middle frames, tanh of half the smoothed log-odds."""
    return (np.asarray(us, dtype=float) - gsi) / (np.asarray(us, dtype=float) + gsi + middle + 1.0)


def count_interval(us: np.ndarray, gsi: np.ndarray, middle: np.ndarray, level: float = 0.95):
    """Interval of 2q - 1 for q ~ Beta(U + M/2 + 0.5, G + M/2 + 0.5) (Jeffreys prior).

    The floor under the bootstrap interval: a text with one or two sentences gives the
    bootstrap nothing to resample, but two matches are still weak evidence, and the
    interval must say so (never zero width).
    """
    # betaincinv(a, b, q) is the Beta(a, b) quantile (scipy.stats.beta.ppf) without the
    # ~1 s import of scipy.stats, which `orderwatch score FILE` would otherwise pay for.
    from scipy.special import betaincinv

    a = np.asarray(us, dtype=float) + np.asarray(middle, dtype=float) / 2 + 0.5
    b = np.asarray(gsi, dtype=float) + np.asarray(middle, dtype=float) / 2 + 0.5
    alpha = (1 - level) / 2
    return 2 * betaincinv(a, b, alpha) - 1, 2 * betaincinv(a, b, 1 - alpha) - 1


def _sentence_index(spans: np.ndarray, starts: list[int]) -> np.ndarray:
    if len(spans) == 0:
        return np.zeros(len(starts), dtype=np.int64)
    return np.clip(np.searchsorted(spans[:, 0], np.asarray(starts), side="right") - 1, 0, None)


def passage(text: str, spans: np.ndarray, i: int, limit: int = 400) -> str:
    """The sentence ``i`` of ``text``, cut to ``limit`` characters."""
    if len(spans) == 0:
        return text[:limit]
    s, e = int(spans[i, 0]), int(spans[i, 1])
    out = " ".join(text[s:e].split())
    return out if len(out) <= limit else out[: limit - 1] + "…"


def score_codebook(text: str, *, matcher: Matcher | None = None, min_hits: int = 2, n_boot: int = 500,
                   level: float = 0.95, random_state: int | None = 0, max_evidence: int | None = None,
                   relevant_text: bool = False, found: tuple | None = None) -> dict[str, Any]:
    """Score one text with the codebook.

    Parameters
    ----------
    text : str
        English, Chinese or mixed text.
    matcher : Matcher, optional
        Defaults to the packaged codebook's matcher.
    min_hits : int
        Fewest matched passages on an axis (or overall) for a position; fewer gives null.
    n_boot : int
        Bootstrap replicates over sentences (0 for no interval).
    level : float
        Interval coverage.
    random_state : int or None
        Seed of the bootstrap.
    max_evidence : int, optional
        Keep at most this many evidence passages (all matches still count).
    found : tuple, optional
        ``matcher.find(text, with_relevance=True)`` already computed (the build scans each
        text once for this and for the pooled sentences).
    relevant_text : bool
        Also return ``relevant_text``: the security-order sentences joined (the input of
        the focused scaling), so a caller need not match the text twice.

    Returns
    -------
    dict
        ``position``, ``interval``, ``relevance``, ``axes`` (A1/A2/A3, each ``position``,
        ``interval``, ``n``, ``us``, ``gsi``), ``evidence`` (frame, pole, axis, text, start,
        end, passage, rejected), ``frame_counts``, ``frame_rates`` (per 10,000 characters),
        ``n_sentences``, ``n_matches``, ``method`` = 'codebook', ``codebook_version``,
        ``warnings``.

    Examples
    --------
    >>> r = score_codebook("We uphold indivisible security. We reject the Cold War mentality.")
    >>> r["axes"]["A1"]["gsi"], r["position"] < 0
    (1.0, True)
    """
    m = matcher or default_matcher()
    warnings: list[str] = []
    matches, rel = found if found is not None else m.find(text, with_relevance=True)
    spans = sentence_spans(text)
    n_sent = max(len(spans), 1)
    sent_of_match = _sentence_index(spans, [x.start for x in matches])
    sent_rel = set(_sentence_index(spans, [s for s, _ in rel]).tolist()) | set(sent_of_match.tolist())
    relevance = len(sent_rel) / n_sent if text.strip() else 0.0

    # Weighted counts per hit sentence, per axis and pole: columns (A1,A2,A3,overall) x (us,gsi).
    hit_sents = sorted(set(sent_of_match.tolist()))
    row = {s: i for i, s in enumerate(hit_sents)}
    us = np.zeros((len(hit_sents), 4))
    gsi = np.zeros((len(hit_sents), 4))
    mid = np.zeros((len(hit_sents), 4))
    n_axis = np.zeros(4, dtype=int)
    n_described = 0
    for x, si in zip(matches, sent_of_match):
        if not x.counts:
            n_described += 1
            continue
        a = AXES.index(x.axis)
        target = us if x.sign > 0 else gsi if x.sign < 0 else mid
        target[row[si], a] += x.weight
        target[row[si], 3] += x.weight
        n_axis[a] += 1
        n_axis[3] += 1
    U, G, M = us.sum(0), gsi.sum(0), mid.sum(0)
    pos = logit_position(U, G, M)

    lo = hi = np.full(4, np.nan)
    if n_boot and hit_sents:
        rng = np.random.default_rng(random_state)
        h = len(hit_sents)
        # Resample all n sentences; only the draw counts of the hit sentences matter.
        p = np.full(h + 1, 1.0 / n_sent)
        p[-1] = max(0.0, 1.0 - h / n_sent)
        draws = rng.multinomial(n_sent, p / p.sum(), size=n_boot)[:, :h].astype(float)
        boot = logit_position(draws @ us, draws @ gsi, draws @ mid)  # (n_boot, 4)
        alpha = (1 - level) / 2
        lo, hi = np.quantile(boot, [alpha, 1 - alpha], axis=0)
        clo, chi = count_interval(U, G, M, level)
        lo, hi = np.minimum(lo, clo), np.maximum(hi, chi)

    def cell(j: int) -> dict[str, Any]:
        ok = n_axis[j] >= min_hits
        return {"position": float(pos[j]) if ok else None,
                "interval": [float(lo[j]), float(hi[j])] if ok and not np.isnan(lo[j]) else [None, None],
                "n": int(n_axis[j]), "us": float(U[j]), "gsi": float(G[j]), "middle": float(M[j])}

    axes = {a: cell(i) for i, a in enumerate(AXES)}
    overall = cell(3)
    if not text.strip():
        warnings.append("empty text: nothing to score")
    elif n_axis[3] < min_hits:
        warnings.append(f"not enough signal: {int(n_axis[3])} codebook passage(s), fewer than "
                        f"min_hits={min_hits}; position is null")
    counts = Counter(x.frame for x in matches if x.counts)
    n_chars = max(len(text), 1)
    evidence = [{"frame": x.frame, "pole": x.pole, "axis": x.axis, "text": x.text, "start": x.start,
                 "end": x.end, "passage": passage(text, spans, int(si)), "rejected": x.rejected,
                 "stance": x.stance}
                for x, si in zip(matches, sent_of_match)]
    if max_evidence is not None and len(evidence) > max_evidence:
        warnings.append(f"evidence cut to {max_evidence} of {len(evidence)} passages")
        evidence = evidence[:max_evidence]
    out = {"position": overall["position"], "interval": overall["interval"],
            "relevance": float(relevance), "axes": axes, "evidence": evidence,
            "n": overall["n"], "frame_counts": dict(counts),
            "frame_rates": {k: v * 10_000 / n_chars for k, v in counts.items()},
            "n_sentences": int(len(spans)), "n_matches": len(matches) - n_described,
            "n_described": n_described, "method": "codebook",
            "codebook_version": m.codebook.version, "level": level, "warnings": warnings}
    if relevant_text:
        out["relevant_text"] = " ".join(text[int(spans[i, 0]):int(spans[i, 1])] for i in sorted(sent_rel)
                                        if i < len(spans))
    return out


def relevant_sentences(text: str, matcher: Matcher | None = None) -> list[str]:
    """The sentences of ``text`` with a codebook frame or security-order vocabulary.

    This is the relevance filter of the focused scaling: it keeps the security-order
    passages of a long speech and drops the rest.
    """
    m = matcher or default_matcher()
    matches, rel = m.find(text, with_relevance=True)
    spans = sentence_spans(text)
    if len(spans) == 0:
        return []
    keep = set(_sentence_index(spans, [x.start for x in matches] + [s for s, _ in rel]).tolist())
    return [text[int(spans[i, 0]):int(spans[i, 1])] for i in sorted(keep)]
