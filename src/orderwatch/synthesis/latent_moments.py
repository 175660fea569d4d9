"""Moment estimates of the latent model's measurement: how much of each indicator is the
common position (reliability, from the correlations with the other indicators) and how
large its error is on the poles' scale (:mod:`orderwatch.synthesis.latent`)."""

from __future__ import annotations

import numpy as np

MIN_NOISE_VAR = 1e-3
#: Bounds on a stream's reliability (share of its variance that is the common position)
#: and the value used when it overlaps with no other stream.
RELIABILITY_MIN, RELIABILITY_MAX, RELIABILITY_DEFAULT = 0.05, 0.8, 0.3
#: The pairs of other indicators must carry at least the information of one pair
#: correlating this much (sum of squared correlations), else the largest correlation is used.
MIN_TRIAD_R = 0.2


def pair_corr(a: np.ndarray, b: np.ndarray, min_pairs: int = 20) -> float:
    ok = ~np.isnan(a) & ~np.isnan(b)
    if ok.sum() < min_pairs or np.std(a[ok]) == 0 or np.std(b[ok]) == 0:
        return np.nan
    return float(np.corrcoef(a[ok], b[ok])[0, 1])


def reliability_estimate(X: np.ndarray, k: int) -> float:
    r"""Share of indicator ``k``'s variance that is the common factor, from its
    correlations with the *other* indicators (one-factor model, independent errors).

    Under one factor, :math:`r_{kj} r_{kl} = \rho_k\, r_{jl}` for every pair (j, l) of other
    indicators; :math:`\rho_k` is the least-squares slope of the products on
    :math:`r_{jl}` through the origin, :math:`\sum r_{jl} r_{kj} r_{kl} / \sum r_{jl}^2` over
    pairs with :math:`r_{jl} > 0`. A pair whose indicators hardly correlate counts in
    proportion to its correlation, so the estimate moves smoothly with the data: the
    triad :math:`r_{kj} r_{kl} / r_{jl}` of one such pair explodes (A2: votes and
    institutions, r = 0.03, would make a stream look perfectly reliable), and a mean of
    triads over pairs above a cut-off jumped when one correlation crossed it (words and
    practice at r = 0.20 moved the votes' reliability from 0.40 to 0.55 and the
    Philippines' overall figure by 0.12). Where the pairs carry too little information
    (:math:`\sum r_{jl}^2 <` ``MIN_TRIAD_R``:sup:`2`), the largest correlation with another
    indicator (the classic communality estimate). NaN without any overlap."""
    others = [j for j in range(len(X)) if j != k]
    r = {j: pair_corr(X[k], X[j]) for j in others}
    num = den = 0.0
    for i, j in enumerate(others):
        for l in others[i + 1:]:
            rjl = pair_corr(X[j], X[l])
            if np.isfinite([r[j], r[l], rjl]).all() and rjl > 0:
                num += rjl * max(r[j] * r[l], 0.0)
                den += rjl * rjl
    if den >= MIN_TRIAD_R ** 2:
        return float(num / den)
    known = [v for v in r.values() if np.isfinite(v)]
    return max(max(known), 0.0) if known else np.nan


def consistent_noise(reliab: np.ndarray, total: np.ndarray, own: np.ndarray) -> np.ndarray:
    r"""Each indicator's error variance on the poles' scale, consistent with its reliability.

    With loading 1 on the poles' scale, an indicator of reliability :math:`r_k` measures
    the common position with error variance :math:`\sigma_\theta^2 (1 - r_k) / r_k`, where
    :math:`\sigma_\theta^2` is the common position's variance among the other states, the
    median over indicators of their common variance :math:`r_k v_k`. Reading the error as
    :math:`(1 - r_k) v_k` alone would make a compressed stream precise: institutions on A2
    puts nearly every state at the same value (its variance :math:`v_k` is small) and
    hardly co-varies with the others (:math:`r_k` = 0.05), yet its small absolute error
    gave it a third of a state's information and pulled Australia and Japan to the middle.
    The error is the larger of the two readings, less the indicator's own sampling
    variance (floored at ``MIN_NOISE_VAR``)."""
    theta_var = float(np.median(reliab * total))
    implied = theta_var * (1 - reliab) / reliab
    return np.maximum(MIN_NOISE_VAR, np.maximum((1 - reliab) * total, implied) - own)
