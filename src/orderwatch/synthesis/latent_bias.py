"""Kalman filter and smoother with a persistent per-(state, stream) bias.

The state of one country is :math:`(\\theta_t, b_1, \\dots, b_K)`: the latent position,
a random walk, and one bias per stream, constant over years with prior
:math:`b_k \\sim N(0, \\tau_k^2)`. An observation of stream *k* reads
:math:`x_{kt} = \\theta_t + b_k + e_{kt}` with :math:`e_{kt} \\sim N(0, v_{kt})` independent
across years. A stream that reads a state persistently high or low (the UN votes' North-
South split) is absorbed by :math:`b_k` once, instead of being counted as fresh noise every
year; the year-to-year changes that the streams share move :math:`\\theta`.

Observations are processed one at a time (sequential scalar updates, exact for independent
observation errors), vectorised over states; the smoother is Rauch-Tung-Striebel on the
(K+1)-dimensional state.
"""

from __future__ import annotations

import numpy as np

from orderwatch.synthesis.latent import MIN_Q, PRIOR_MEAN, PRIOR_VAR
from orderwatch.synthesis.latent_moments import (MIN_NOISE_VAR, RELIABILITY_DEFAULT, RELIABILITY_MAX,
                                                 RELIABILITY_MIN, pair_corr, reliability_estimate)


def _layout(K: int, ar):
    """State layout: theta, the K biases, then one AR(1) error per stream that has one.
    Returns (ar_index (K,) with -1 where a stream has no AR error, the diagonal of the
    transition (D,): 1 for theta and the biases, phi for the AR errors, phi (K,), ar_var (K,))."""
    phi, ar_var = (np.zeros(K), np.zeros(K)) if ar is None else (np.asarray(ar[0], float), np.asarray(ar[1], float))
    has = (phi > 0) & (ar_var > 0)
    idx = np.full(K, -1)
    idx[has] = 1 + K + np.arange(int(has.sum()))
    transition = np.concatenate([np.ones(1 + K), phi[has]])
    return idx, transition, phi, ar_var


def _filter(X, V, tau2, q, fixed, want_store: bool, ar=None):
    """Forward pass. X, V: (K, S, T) values (NaN = missing) and error variances.

    ``ar``: optional (phi (K,), ar_var (K,)): a stream's error also has an AR(1) part,
    a_t = phi a_{t-1} + w, with stationary variance ar_var (V is then its white part).

    Returns the log-likelihood of the free states' observations and, when asked, the
    predicted and filtered means (S, T, D) and covariances (S, T, D, D)."""
    K, S, T = X.shape
    ar_idx, f, phi, ar_var = _layout(K, ar)
    D = len(f)
    m = np.zeros((S, D))
    m[:, 0] = PRIOR_MEAN
    P = np.zeros((S, D, D))
    P[:, 0, 0] = PRIOR_VAR
    P[:, np.arange(1, K + 1), np.arange(1, K + 1)] = tau2
    for k in np.flatnonzero(ar_idx >= 0):
        P[:, ar_idx[k], ar_idx[k]] = ar_var[k]
    free = np.isnan(fixed)
    store = None
    if want_store:
        store = (np.empty((S, T, D)), np.empty((S, T, D, D)), np.empty((S, T, D)), np.empty((S, T, D, D)))
    ll = 0.0
    for t in range(T):
        if t > 0:
            if D > K + 1:
                m *= f
                P *= f[:, None] * f[None, :]
                for k in np.flatnonzero(ar_idx >= 0):
                    P[:, ar_idx[k], ar_idx[k]] += ar_var[k] * (1 - phi[k] ** 2)
            P[:, 0, 0] += q
        if want_store:
            store[0][:, t], store[1][:, t] = m, P
        for k in range(K):
            x = X[k, :, t]
            o = ~np.isnan(x)
            if not o.any():
                continue
            j = ar_idx[k]
            # P h and h' m for h = e_0 + e_{k+1} (+ e_j, the stream's AR error)
            Ph = P[o][:, :, 0] + P[o][:, :, k + 1] + (P[o][:, :, j] if j >= 0 else 0.0)
            v = Ph[:, 0] + Ph[:, k + 1] + (Ph[:, j] if j >= 0 else 0.0) + V[k, o, t]
            e = x[o] - m[o, 0] - m[o, k + 1] - (m[o, j] if j >= 0 else 0.0)
            g = Ph / v[:, None]
            m[o] += g * e[:, None]
            P[o] -= g[:, :, None] * Ph[:, None, :]
            fr = free[o]
            ll -= 0.5 * float(np.sum(np.log(v[fr]) + e[fr] ** 2 / v[fr]))
        if want_store:
            store[2][:, t], store[3][:, t] = m, P
    return ll, store


def loglik(X, V, tau2, q, fixed, ar=None) -> float:
    """Log-likelihood (up to a constant) of the free states' observations given q."""
    return _filter(X, V, tau2, q, fixed, want_store=False, ar=ar)[0]


def smooth(X, V, tau2, q, fixed, ar=None):
    """Smoothed latent position (S, T), its variance (S, T) and the biases' means (S, K)."""
    K = X.shape[0]
    _, (mp, Pp, mf, Pf) = _filter(X, V, tau2, q, fixed, want_store=True, ar=ar)
    T = mf.shape[1]
    f = _layout(K, ar)[1]
    ms, Ps = mf.copy(), Pf.copy()
    for t in range(T - 2, -1, -1):
        # Rauch-Tung-Striebel with the diagonal transition F: G = P_f F' P_p^-1.
        G = np.linalg.solve(Pp[:, t + 1], (Pf[:, t] * f[None, None, :]).transpose(0, 2, 1)).transpose(0, 2, 1)
        ms[:, t] = mf[:, t] + np.einsum("sij,sj->si", G, ms[:, t + 1] - mp[:, t + 1])
        Ps[:, t] = Pf[:, t] + G @ (Ps[:, t + 1] - Pp[:, t + 1]) @ G.transpose(0, 2, 1)
    theta, var = ms[:, :, 0], Ps[:, :, 0, 0]
    pole = ~np.isnan(fixed)
    theta[pole] = fixed[pole][:, None]
    var[pole] = 0.0
    return theta, np.maximum(var, 0.0), ms[:, -1, 1:K + 1]


def ar_parameters(X, m, b_hat, free, window, min_r1: float = 0.1, phi_max: float = 0.95):
    """Each stream's AR(1) error from the first fit's transient residuals (less the
    position and the state's bias), within states: for AR(1) plus white noise the lag-one
    and lag-two correlations are s*phi and s*phi^2, so phi = r2 / r1 and the AR share of
    the transient variance s = r1 / phi. Streams with r1 below ``min_r1``, a non-positive
    r2, or a moving window (its overlap is already counted by the window scaling) get
    none. Returns (phi (K,), share (K,))."""
    R = np.where(free[None, :, None], X - m[None] - b_hat.T[:, :, None], np.nan)
    K = X.shape[0]
    phi, share = np.zeros(K), np.zeros(K)
    for k in range(K):
        if window[k] > 1:
            continue
        r1 = pair_corr(R[k, :, :-1].ravel(), R[k, :, 1:].ravel())
        r2 = pair_corr(R[k, :, :-2].ravel(), R[k, :, 2:].ravel())
        if np.isfinite([r1, r2]).all() and r1 >= min_r1 and r2 > 0:
            phi[k] = min(r2 / r1, phi_max)
            share[k] = min(r1 / phi[k], 1.0)
    return phi, share


def split_noise(X, free, noise_var, own, min_years: int = 3):
    """Split each indicator's error (noise plus its own sampling error) into a transient
    part, new every year, and a persistent part, one bias per state and stream.

    Errors that are independent across years must show in the *within-state* variation
    (each state's figures less its own mean over years). The one-factor moments of the
    reliability, applied to those deviations, give the share of a stream's year-to-year
    variation that the other streams share (the common position's movement); the rest
    is the transient error variance. Whatever the stream's total error variance (noise
    from the reliability plus its mean own sampling variance) exceeds that by cannot be
    independent across years: it is persistent bias (e.g. the UN votes' North-South
    split, or a stream's interval that is mostly uncertainty about its level). A stream
    that moves less than the common position (a stock changing in rare steps) gets the
    transient error its reliability implies, so that one step is not read as precise.

    ``own`` (K,) is each stream's mean own sampling variance on the poles' scale.
    Returns (transient (K,), persistent (K,)) variances on the poles' scale; the
    transient variance includes the mean own sampling variance."""
    K = X.shape[0]
    n = (~np.isnan(X)).sum(axis=2, keepdims=True)
    mean = np.nanmean(np.where(n > 0, X, 0.0), axis=2, keepdims=True)
    dev = np.where((n >= min_years) & free[None, :, None] & ~np.isnan(X), X - mean, np.nan)
    scale = n / np.maximum(n - 1, 1)                       # demeaning n figures shrinks by (n-1)/n
    flat = dev.reshape(K, -1)
    total = noise_var + own
    within, reliab = np.full(K, np.nan), np.full(K, np.nan)
    for k in range(K):
        ok = ~np.isnan(dev[k])
        if ok.sum() <= 2:
            continue
        within[k] = float(np.mean((dev[k] ** 2 * scale[k])[ok]))
        r = reliability_estimate(flat, k)
        reliab[k] = float(np.clip(r if np.isfinite(r) else RELIABILITY_DEFAULT, RELIABILITY_MIN, RELIABILITY_MAX))
    has = np.isfinite(within)
    transient = np.where(has, (1 - reliab) * within, total)
    transient = np.clip(np.nan_to_num(transient, nan=MIN_NOISE_VAR), MIN_NOISE_VAR, np.maximum(total, MIN_NOISE_VAR))
    persistent = np.maximum(MIN_NOISE_VAR, total - transient)
    # A stock: a stream whose within-state variance is below the common movement's (as
    # for levels, the median over streams of r * within; latent_moments.consistent_noise)
    # moves less than the position it measures, in rare steps (institutions on A2, whose
    # changes have reliability 0.05). Read as (1 - r) * within, each step looked precise
    # (India's SCO accession in 2017 moved its A2 by -0.23). Its changes get the error
    # their reliability implies, move_var * (1 - r) / r, as a loading of 1 requires; its
    # persistent bias stays as it was (its level is no better known for noisy steps).
    move_var = float(np.median(reliab[has] * within[has])) if has.any() else 0.0
    stock = has & (within < move_var)
    transient = np.where(stock, np.maximum(transient, move_var * (1 - reliab) / reliab), transient)
    return transient, persistent


def bias_random_walk_variance(X, V, tau2, fixed, tol: float = 1e-3, max_iter: int = 100, ar=None):
    """Maximum-likelihood random-walk variance of the model with per-state stream biases
    (Brent on log q over [MIN_Q, 1]). Returns (q, converged, evaluations)."""
    from scipy.optimize import minimize_scalar

    if np.isnan(X).all():
        return MIN_Q, True, 0
    res = minimize_scalar(lambda lq: -loglik(X, V, tau2, float(np.exp(lq)), fixed, ar=ar),
                          bounds=(np.log(MIN_Q), 0.0), method="bounded",
                          options={"xatol": tol, "maxiter": max_iter})
    return float(np.exp(res.x)), bool(res.success), int(res.nfev)
