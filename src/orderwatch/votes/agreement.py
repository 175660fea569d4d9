"""Agreement between states in UNGA roll calls: share, Cohen's kappa, Signorino–Ritter S.

Every measure is a function of one contingency table per pair of states, the (weighted)
count of roll calls on which state a voted category ``c`` and state b voted ``d``. Building
that table with roll-call weights makes the bootstrap free: a resample of roll calls is a
vector of multinomial counts, and all resamples for all states are one matrix product.

Measures
--------
share
    Proportion of identical votes, ``p_o = trace(T) / n``.
kappa
    Cohen's kappa, ``(p_o - p_e) / (1 - p_e)`` with ``p_e = sum_c p_a(c) p_b(c)`` from the
    two states' own vote distributions. Häge (2011) argues for it: two states that vote yes
    on nearly everything agree by chance, and the raw share rewards that. Undefined (NaN,
    with a warning) when both states cast one and the same vote on every roll call.
pi
    Scott's (1955) pi, the same with ``p_e = sum_c ((p_a(c) + p_b(c)) / 2)^2`` from the
    pair's pooled distribution (Häge's other chance-corrected index). Unlike kappa it stays
    informative when one state casts a single vote category throughout (kappa is then 0
    by construction).
s
    Signorino & Ritter's (1999) S with yes=1, abstain=0.5, no=0 and the maximal distance
    1: ``S = 1 - 2 * mean|x_a - x_b|``. S has no place on that line for an absence, so it
    always excludes absences.

Absences are excluded by default (``include_absent=False``); with ``include_absent=True``
"absent" becomes a fourth category for share and kappa, so two states absent together
agree. ``non_member`` and missing records are always excluded.

References
----------
Cohen, J. (1960). A coefficient of agreement for nominal scales. *Educational and
Psychological Measurement*, 20(1), 37–46.
Häge, F. M. (2011). Choice or circumstance? Adjusting measures of foreign policy
similarity for chance agreement. *Political Analysis*, 19(3), 287–305.
Scott, W. A. (1955). Reliability of content analysis: The case of nominal scale coding.
*Public Opinion Quarterly*, 19(3), 321–325.
Signorino, C. S., & Ritter, J. M. (1999). Tau-b or not tau-b: Measuring the similarity of
foreign policy positions. *International Studies Quarterly*, 43(1), 115–144.
Efron, B., & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.
"""

from __future__ import annotations

import numpy as np

from orderwatch.votes.matrix import MISSING, S_VALUES

MEASURES = ("share", "kappa", "pi", "s")


def _onehot(codes: np.ndarray, k: int) -> np.ndarray:
    """``codes`` (n, m) -> float (n, m, k); codes outside 0..k-1 (missing) give all zeros."""
    out = np.zeros(codes.shape + (k,), dtype=np.float64)
    for c in range(k):
        out[..., c] = codes == c
    return out


def n_categories(measure: str, include_absent: bool) -> int:
    """Vote categories a measure compares: yes/abstain/no, plus absent when counted."""
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {MEASURES}, got {measure!r}")
    return 4 if include_absent and measure != "s" else 3


def tables_against(ref: np.ndarray, others: np.ndarray, weights: np.ndarray, k: int) -> np.ndarray:
    """Weighted contingency tables of one state against many.

    Parameters
    ----------
    ref : ndarray, shape (n,)
        Vote codes of the reference state.
    others : ndarray, shape (n, m)
        Vote codes of the other states.
    weights : ndarray, shape (r, n)
        Roll-call weights; a row of ones is the plain table, multinomial rows are bootstrap
        resamples.
    k : int
        Number of categories (3, or 4 with absences).

    Returns
    -------
    ndarray, shape (r, m, k, k)
        ``T[r, j, c, d]`` = weight of roll calls where ``ref`` voted c and state j voted d.
    """
    n, m = others.shape
    a = _onehot(ref, k)  # (n, k)
    b = _onehot(others, k).reshape(n, m * k)
    out = np.empty((weights.shape[0], m, k, k))
    for c in range(k):
        out[:, :, c, :] = ((weights * a[:, c]) @ b).reshape(-1, m, k)
    return out


def tables_all_pairs(codes: np.ndarray, k: int) -> np.ndarray:
    """Unweighted contingency tables for every pair of columns: shape (m, m, k, k)."""
    oh = _onehot(codes, k)
    m = codes.shape[1]
    out = np.empty((m, m, k, k))
    for c in range(k):
        for d in range(k):
            out[:, :, c, d] = oh[:, :, c].T @ oh[:, :, d]
    return out


def measure_from_tables(tables: np.ndarray, measure: str) -> tuple[np.ndarray, np.ndarray]:
    """Apply a measure to contingency tables ``(..., k, k)``.

    Returns
    -------
    value : ndarray
        The measure; NaN where n is 0 or kappa is undefined.
    n : ndarray
        The (weighted) number of roll calls behind each value.
    """
    n = tables.sum(axis=(-1, -2))
    with np.errstate(invalid="ignore", divide="ignore"):
        p = tables / n[..., None, None]
        if measure == "share":
            value = np.trace(p, axis1=-2, axis2=-1)
        elif measure in ("kappa", "pi"):
            po = np.trace(p, axis1=-2, axis2=-1)
            pa, pb = p.sum(axis=-1), p.sum(axis=-2)
            pe = (pa * pb).sum(axis=-1) if measure == "kappa" else (((pa + pb) / 2.0) ** 2).sum(axis=-1)
            denom = 1.0 - pe
            value = np.where(denom > 1e-12, (po - pe) / np.where(denom > 1e-12, denom, 1.0), np.nan)
        elif measure == "s":
            k = tables.shape[-1]
            vals = S_VALUES[:k]
            dist = np.abs(vals[:, None] - vals[None, :])
            value = 1.0 - 2.0 * (p[..., :3, :3] * dist).sum(axis=(-1, -2))
        else:
            raise ValueError(f"measure must be one of {MEASURES}, got {measure!r}")
    value = np.where(n > 0, value, np.nan)
    return value, n


def bootstrap_weights(n: int, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Multinomial resampling counts of ``n`` roll calls: shape (n_boot, n)."""
    if n == 0:
        return np.zeros((n_boot, 0))
    return rng.multinomial(n, np.full(n, 1.0 / n), size=n_boot).astype(np.float64)


def percentile_interval(draws: np.ndarray, level: float, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Percentile bootstrap interval ignoring NaN draws (e.g. an undefined kappa).

    Vectorised over the other axes (numpy's ``nanquantile`` loops over columns in Python):
    NaN sorts last, so the k-th valid value of a column is its k-th sorted entry; the
    quantile interpolates linearly between order statistics, as numpy's default does.
    """
    d = np.moveaxis(np.asarray(draws, dtype=float), axis, 0)
    srt = np.sort(d, axis=0)
    valid = (~np.isnan(d)).sum(axis=0)
    alpha = (1.0 - level) / 2.0
    out = []
    for q in (alpha, 1.0 - alpha):
        pos = q * np.maximum(valid - 1, 0)
        lo_i = np.floor(pos).astype(int)
        hi_i = np.minimum(lo_i + 1, np.maximum(valid - 1, 0))
        frac = pos - lo_i
        a = np.take_along_axis(srt, lo_i[None, ...], axis=0)[0]
        b = np.take_along_axis(srt, hi_i[None, ...], axis=0)[0]
        val = a + frac * (b - a)
        out.append(np.where(valid > 0, val, np.nan))
    return out[0], out[1]


def dyad_codes(a: np.ndarray, b: np.ndarray, include_absent: bool, measure: str) -> np.ndarray:
    """Boolean mask of the roll calls that count for a pair under the absence rule."""
    k = n_categories(measure, include_absent)
    return (a != MISSING) & (b != MISSING) & (a < k) & (b < k)
