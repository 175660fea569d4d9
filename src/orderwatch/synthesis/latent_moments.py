"""Moment estimates of the latent model's measurement: how much of each indicator is the
common position (reliability, from the correlations with the other indicators) and how
large its error is on the poles' scale (:mod:`orderwatch.synthesis.latent`)."""

from __future__ import annotations

import numpy as np

MIN_NOISE_VAR = 1e-3
#: Bounds on a stream's reliability (share of its variance that is the common position)
#: and the value used when it overlaps with no other stream.
RELIABILITY_MIN, RELIABILITY_MAX, RELIABILITY_DEFAULT = 0.05, 0.8, 0.3
#: A triad is used only when the two other indicators correlate at least this much.
MIN_TRIAD_R = 0.2


def pair_corr(a: np.ndarray, b: np.ndarray, min_pairs: int = 20) -> float:
    ok = ~np.isnan(a) & ~np.isnan(b)
    if ok.sum() < min_pairs or np.std(a[ok]) == 0 or np.std(b[ok]) == 0:
        return np.nan
    return float(np.corrcoef(a[ok], b[ok])[0, 1])


def reliability_estimate(X: np.ndarray, k: int) -> float:
    r"""Share of indicator ``k``'s variance that is the common factor, from its
    correlations with the *other* indicators (one-factor model, independent errors).

    The triad :math:`r_{kj} r_{kl} / r_{jl}` over pairs (j, l) of other indicators whose
    own correlation is well determined (:math:`r_{jl} \ge` :data:`MIN_TRIAD_R`); where no
    such pair exists, the largest correlation with another indicator (the classic
    communality estimate). The triad alone explodes when the other two indicators hardly
    correlate with each other (A2: votes and institutions, r = 0.03), which would make one
    stream look perfectly reliable. NaN without any overlap."""
    others = [j for j in range(len(X)) if j != k]
    r = {j: pair_corr(X[k], X[j]) for j in others}
    est = []
    for i, j in enumerate(others):
        for l in others[i + 1:]:
            rjl = pair_corr(X[j], X[l])
            if np.isfinite([r[j], r[l], rjl]).all() and rjl >= MIN_TRIAD_R:
                est.append(max(r[j] * r[l], 0.0) / rjl)
    if est:
        return float(np.mean(est))
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
