"""A dynamic measurement model across the streams: one latent position per state-year.

For one axis at a time, each stream's figure is an *indicator* of an unobserved position
:math:`\\theta_{it}` of state *i* in year *t*:

.. math::

    x_{kit} = g_k(y_{kit}) = \\theta_{it} + e_{kit}, \\qquad
    e_{kit} \\sim N(0, \\sigma_k^2 + s_{kit}^2), \\qquad
    \\theta_{it} = \\theta_{i,t-1} + u_{it}, \\quad u_{it} \\sim N(0, q),

where :math:`g_k` puts stream *k* on the poles' scale: its readings of China and the
United States go to -1 and +1 and its zero stays 0, each side stretched by its own pole
(:func:`to_pole_scale`); :math:`s_{kit}` is the stream's own standard error for that
cell (from its interval, on the same scale) and :math:`\\sigma_k^2, q` are learned. A stream whose
figures track the others' closely gets a small noise :math:`\\sigma_k` and counts for
much; a stream that mostly measures something else (e.g. the UN's North-South split)
gets a large one and counts for little. The random walk smooths over years: one odd
year moves the estimate less than a run of them.

By default (``bias=True``, :mod:`orderwatch.synthesis.latent_bias`) the error is split
into a persistent bias per state and stream, constant over years, and a transient part
independent across years: the residuals of the model without it correlate 0.72-0.99 from
one year to the next within states (:func:`error_autocorrelation`), so treating them as
fresh evidence every year would make intervals far too narrow. A stream whose yearly
figure is a moving window (:data:`WINDOW_YEARS`) has its transient variance scaled by the
window length. ``bias=False`` is the model written above.

Identification: China is fixed at -1 and the United States at +1 in every year (the
poles of the scale), which fixes location, scale and sign. Estimation (:func:`fit_axis`):
each stream's scale from where it puts the poles, its zero kept; each stream's reliability
from its correlations with the other streams (one-factor moments); the random-walk
variance by maximum likelihood over a scalar Kalman filter run for all states at once
(vectorised over states, a loop over years); positions and intervals from the
Rauch-Tung-Striebel smoother.
Intervals are the smoother's posterior standard deviations. Years without evidence for a
state get no figure (the smoother would interpolate; we do not publish that).

References
----------
Shumway, R. H. & Stoffer, D. S. (1982). An approach to time series smoothing and
forecasting using the EM algorithm. *Journal of Time Series Analysis*, 3(4), 253-264.
Rauch, H. E., Tung, F. & Striebel, C. T. (1965). Maximum likelihood estimates of linear
dynamic systems. *AIAA Journal*, 3(8), 1445-1450.
Bailey, M. A., Strezhnev, A. & Voeten, E. (2017). Estimating dynamic state preferences from
United Nations voting data. *Journal of Conflict Resolution*, 61(2), 430-456 (random-walk
priors over years, identification by anchoring).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd

from orderwatch.schema import POLE_STATES  # fixed latent values (CHN -1, USA +1) that identify the scale
from orderwatch.synthesis.combine import stream_se, z_value
from orderwatch.synthesis.latent_years import YEAR_EFFECT_STREAMS, year_shift
from orderwatch.synthesis.latent_moments import (RELIABILITY_DEFAULT, RELIABILITY_MAX, RELIABILITY_MIN,
                                                 consistent_noise, pair_corr, reliability_estimate)
from orderwatch.synthesis.latent_scale import from_pole_scale, pole_readings, to_pole_scale

PRIOR_MEAN, PRIOR_VAR = 0.0, 1.0          # first year of each state: the whole scale
MIN_Q = 1e-4
SE_FALLBACK = 0.15                        # a stream cell without an interval
#: Streams whose yearly figure is a moving window over several years: consecutive figures
#: share most of their evidence, so their yearly errors are not independent. The practice
#: stream's arms and exercises use five-year windows (practice/arms.py ``WINDOW``). For a
#: w-year moving average of independent yearly errors the long-run variance is w times
#: the variance of one figure, so the transient error variance is scaled by w: w
#: consecutive figures carry about the information of one independent window.
WINDOW_YEARS: dict[str, int] = {"practice": 5}


@dataclass
class AxisFit:
    """The fitted model of one axis."""

    axis: str
    streams: list[str]
    china_at: np.ndarray      # where each stream puts the poles: its readings of -1 and +1
    us_at: np.ndarray
    noise_var: np.ndarray
    q: float
    iterations: int
    converged: bool
    n_obs: np.ndarray = field(default_factory=lambda: np.zeros(0))
    mean_se: np.ndarray = field(default_factory=lambda: np.zeros(0))
    theta_var: float = np.nan
    reliability: np.ndarray = field(default_factory=lambda: np.zeros(0))
    transient_var: np.ndarray = field(default_factory=lambda: np.zeros(0))
    bias_var: np.ndarray = field(default_factory=lambda: np.zeros(0))
    window: np.ndarray = field(default_factory=lambda: np.zeros(0))
    error_autocorr: np.ndarray = field(default_factory=lambda: np.zeros(0))
    transient_autocorr: np.ndarray = field(default_factory=lambda: np.zeros(0))
    year_shift_sd: np.ndarray = field(default_factory=lambda: np.zeros(0))  # sd over years of a stream's year effect
    ar_phi: np.ndarray = field(default_factory=lambda: np.zeros(0))    # AR(1) error option: phi per stream
    ar_share: np.ndarray = field(default_factory=lambda: np.zeros(0))  # and its share of the transient error


def error_autocorrelation(X: np.ndarray, m: np.ndarray, free: np.ndarray,
                          bias: np.ndarray | None = None) -> np.ndarray:
    """Lag-one correlation, within states, of each indicator's residual from the smoothed
    position (free states, adjacent years both observed); NaN with fewer than 20 pairs.

    The model without the bias term assumes errors independent across years (about 0 for
    a noisy stream; a very precise stream inherits the smoother's own, autocorrelated
    error); a value near 1 says a stream reads a state persistently high or low, which is
    what the bias term is for. With ``bias`` (S, K), the smoothed per-state biases are
    taken off first: what remains should be independent across years if the bias term's
    transient errors are what the model assumes."""
    R = X - m[None] - (0.0 if bias is None else bias.T[:, :, None])
    R = np.where(free[None, :, None], R, np.nan)
    a, b = R[:, :, :-1].reshape(len(X), -1), R[:, :, 1:].reshape(len(X), -1)
    return np.array([pair_corr(a[k], b[k]) for k in range(len(X))])


def _smooth(info_J, info_h, q, fixed):
    """Kalman filter + RTS smoother for all states at once.

    info_J, info_h : (S, T) observation precision and information per state-year
    fixed : (S,) NaN, or the fixed latent value of a pole
    Returns smoothed mean, variance and lag-one covariance Cov(theta_t, theta_{t-1}).
    """
    S, T = info_J.shape
    mp, Pp = np.empty((S, T)), np.empty((S, T))
    mf, Pf = np.empty((S, T)), np.empty((S, T))
    m, P = np.full(S, PRIOR_MEAN), np.full(S, PRIOR_VAR)
    for t in range(T):
        if t > 0:
            P = P + q
        mp[:, t], Pp[:, t] = m, P
        Pnew = 1.0 / (1.0 / P + info_J[:, t])
        m = Pnew * (m / P + info_h[:, t])
        P = Pnew
        mf[:, t], Pf[:, t] = m, P
    ms, Ps = mf.copy(), Pf.copy()
    lag = np.zeros((S, T))
    for t in range(T - 2, -1, -1):
        G = Pf[:, t] / Pp[:, t + 1]
        ms[:, t] = mf[:, t] + G * (ms[:, t + 1] - mp[:, t + 1])
        Ps[:, t] = Pf[:, t] + G**2 * (Ps[:, t + 1] - Pp[:, t + 1])
        lag[:, t + 1] = G * Ps[:, t + 1]
    pole = ~np.isnan(fixed)
    ms[pole] = fixed[pole][:, None]
    Ps[pole] = 0.0
    lag[pole] = 0.0
    return ms, Ps, lag


def filter_loglik(J, h, q, fixed) -> float:
    """Log-likelihood (up to a constant free of q) of the per-cell summaries
    z = h/J ~ N(predicted mean, predicted variance + 1/J), free states only."""
    S, T = J.shape
    m, P = np.full(S, PRIOR_MEAN), np.full(S, PRIOR_VAR)
    free = np.isnan(fixed)
    ll = 0.0
    for t in range(T):
        if t > 0:
            P = P + q
        obs = (J[:, t] > 0) & free
        if obs.any():
            v = P[obs] + 1.0 / J[obs, t]
            z = h[obs, t] / J[obs, t]
            ll -= 0.5 * float(np.sum(np.log(v) + (z - m[obs]) ** 2 / v))
        Pnew = 1.0 / (1.0 / P + J[:, t])
        m = Pnew * (m / P + h[:, t])
        P = Pnew
    return ll


def random_walk_variance(J, h, fixed, tol: float = 1e-3, max_iter: int = 100) -> tuple[float, bool, int]:
    """Maximum-likelihood random-walk variance q: bounded Brent search on log q over
    [MIN_Q, 1] of :func:`filter_loglik` (one filter pass per evaluation).

    Returns (q, converged, evaluations)."""
    from scipy.optimize import minimize_scalar

    if not (J > 0).any():
        return MIN_Q, True, 0
    res = minimize_scalar(lambda lq: -filter_loglik(J, h, float(np.exp(lq)), fixed),
                          bounds=(np.log(MIN_Q), 0.0), method="bounded",
                          options={"xatol": tol, "maxiter": max_iter})
    return float(np.exp(res.x)), bool(res.success), int(res.nfev)


def _information(X, Xs, noise_var):
    """Observation precision J and information h per state-year (indicators summed), for
    indicators on the poles' scale (intercept 0, loading 1)."""
    obs = ~np.isnan(X)
    var = noise_var[:, None, None] + np.where(obs, Xs, 0.0) ** 2
    w = np.where(obs, 1.0 / var, 0.0)
    h = np.where(obs, np.nan_to_num(X) / var, 0.0)
    return w.sum(axis=0), h.sum(axis=0), w


def fit_axis(Y: np.ndarray, SE: np.ndarray, fixed: np.ndarray, streams: Sequence[str], axis: str,
             max_iter: int = 100, tol: float = 1e-3, bias: bool = True,
             year_effects: Sequence[str] = YEAR_EFFECT_STREAMS, ar_errors: bool = False):
    r"""Fit one axis: measurement by the poles and the cross-stream correlations, then the
    random-walk variance by maximum likelihood, then the Kalman smoother.

    1. Each indicator is read on the poles' scale from where it puts the poles (mean over
       years of China's and the US's figures), keeping its zero: each side is stretched
       by its own pole (:func:`to_pole_scale`).
    2. On that scale, each indicator's reliability among the other states comes from
       its correlations with the *other* indicators (:func:`reliability_estimate`);
       its error variance is what that reliability implies for the common position's
       variance, or the rest of its own variance if larger, less its own sampling error
       (:func:`~orderwatch.synthesis.latent_moments.consistent_noise`). An indicator
       that does not co-vary with the others is mostly noise and counts for little. The
       reliability is clamped to [RELIABILITY_MIN, RELIABILITY_MAX] so that no stream can
       explain itself (a Heywood case) or vanish; without any overlap it is the
       documented default :data:`RELIABILITY_DEFAULT`.
    3. The random-walk variance q by maximum likelihood (:func:`random_walk_variance`:
       Brent's method on log q, each evaluation one Kalman filter pass over all states).
    4. For the streams in ``year_effects`` (the votes), a shift shared by every state in a
       year (:mod:`orderwatch.synthesis.latent_years`) is estimated from the first fit's
       residuals, taken off the non-pole states' figures, and the axis fitted again.

    Parameters
    ----------
    Y, SE : (K, S, T) indicator values and their standard errors (NaN = missing)
    fixed : (S,) pole values (NaN for free states)

    Returns
    -------
    (AxisFit, mean (S, T), variance (S, T), weights (K, S, T))
    """
    K = Y.shape[0]
    obs = ~np.isnan(Y)
    free = np.isnan(fixed)
    china_at, us_at = pole_readings(Y, fixed)
    X, Xs = to_pole_scale(Y, SE, china_at, us_at)
    Xf = np.where(free[None, :, None], X, np.nan).reshape(K, -1)
    noise_var, reliab, total, own = np.zeros(K), np.zeros(K), np.zeros(K), np.zeros(K)
    for k in range(K):
        t = float(np.nanvar(Xf[k])) if np.sum(~np.isnan(Xf[k])) > 2 else np.nan
        r = reliability_estimate(Xf, k)
        r = r if np.isfinite(r) else RELIABILITY_DEFAULT
        reliab[k] = float(np.clip(r, RELIABILITY_MIN, RELIABILITY_MAX))
        own[k] = float(np.nanmean(Xs[k][obs[k]] ** 2)) if obs[k].any() else 0.0
        total[k] = t if np.isfinite(t) else 0.25
    noise_var = consistent_noise(reliab, total, own)
    J, h, W = _information(X, Xs, noise_var)
    ar_phi, ar_share = np.zeros(K), np.zeros(K)
    if bias:
        from orderwatch.synthesis import latent_bias
        from orderwatch.synthesis.latent_bias import bias_random_walk_variance, split_noise

        transient, persistent = split_noise(X, free, noise_var, own)
        window = np.array([WINDOW_YEARS.get(s, 1) for s in streams], dtype=float)
        # Each cell keeps its relative precision (its own interval), scaled to the
        # stream's transient error variance.
        cell = noise_var[:, None, None] + np.where(obs, Xs, 0.0) ** 2
        V = cell * (window * transient / (noise_var + own))[:, None, None]
        q, converged, it = bias_random_walk_variance(X, V, persistent, fixed, tol=tol, max_iter=max_iter)
        m, P, b_hat = latent_bias.smooth(X, V, persistent, q, fixed)
        if ar_errors:  # optional: part of each stream's transient error follows an AR(1)
            ar_phi, ar_share = latent_bias.ar_parameters(X, m, b_hat, free, window)
            if ar_share.any():
                ar = (ar_phi, ar_share * transient)
                V = V * (1 - ar_share)[:, None, None]
                q, converged, it = bias_random_walk_variance(X, V, persistent, fixed, tol=tol,
                                                             max_iter=max_iter, ar=ar)
                m, P, b_hat = latent_bias.smooth(X, V, persistent, q, fixed, ar=ar)
        # Shares of information: the precision of one year's reading, transient and
        # persistent error together (a stream's bias does not average out over years).
        W = np.where(obs, 1.0 / (np.where(obs, V, 1.0) + (persistent + ar_share * transient)[:, None, None]), 0.0)
    else:
        transient, persistent, window, b_hat = noise_var, np.zeros(K), np.ones(K), None
        q, converged, it = random_walk_variance(J, h, fixed, tol=tol, max_iter=max_iter)
        m, P, _ = _smooth(J, h, q, fixed)
    has = obs.any(axis=0) & free[:, None]
    fit = AxisFit(axis=axis, streams=list(streams), china_at=china_at, us_at=us_at, noise_var=noise_var,
                  q=q, iterations=it, converged=converged,
                  n_obs=obs.reshape(K, -1).sum(axis=1),
                  mean_se=np.where(obs.reshape(K, -1).any(axis=1), np.sqrt(own), np.nan),
                  theta_var=float(np.var(m[has])) if has.any() else np.nan)
    fit.reliability = reliab
    fit.transient_var, fit.bias_var, fit.window = transient, persistent, window
    fit.ar_phi, fit.ar_share = ar_phi, ar_share
    shifted = [k for k, s in enumerate(streams) if s in year_effects]
    if shifted:  # take the year effects off and fit again; the second fit is the one reported
        Y2, sd = Y.copy(), np.zeros(K)
        for k in shifted:
            d = year_shift(X[k], m, None if b_hat is None else b_hat[:, k], free)
            Y2[k][free] = from_pole_scale(X[k][free] - d[None, :], china_at[k], us_at[k])
            sd[k] = float(np.std(d[d != 0])) if np.any(d != 0) else 0.0
        fit, m, P, W = fit_axis(Y2, SE, fixed, streams, axis, max_iter=max_iter, tol=tol, bias=bias,
                                year_effects=(), ar_errors=ar_errors)
        fit.year_shift_sd = sd
        return fit, m, P, W
    fit.error_autocorr = error_autocorrelation(X, m, free)
    fit.transient_autocorr = error_autocorrelation(X, m, free, b_hat)
    fit.year_shift_sd = np.zeros(K)
    return fit, m, P, W


def _arrays(wide: pd.DataFrame, streams: Sequence[str], level: float):
    states = sorted(set(wide["iso3"]))
    years = np.arange(int(wide["year"].min()), int(wide["year"].max()) + 1)
    si = pd.Index(states).get_indexer(wide["iso3"])
    ti = wide["year"].astype(int).to_numpy() - years[0]
    K, S, T = len(streams), len(states), len(years)
    Y, SE = np.full((K, S, T), np.nan), np.full((K, S, T), np.nan)
    for k, s in enumerate(streams):
        y = pd.to_numeric(wide[s], errors="coerce").to_numpy(float)
        se = stream_se(wide, s, level)
        med = np.nanmedian(se[~np.isnan(y)]) if np.any(~np.isnan(y) & ~np.isnan(se)) else SE_FALLBACK
        se = np.where(np.isnan(se), med, np.maximum(se, 0.01))
        ok = ~np.isnan(y)
        Y[k, si[ok], ti[ok]] = y[ok]
        SE[k, si[ok], ti[ok]] = se[ok]
    fixed = np.array([POLE_STATES.get(s, np.nan) for s in states])
    return states, years, si, ti, Y, SE, fixed


def latent_combine(wide: pd.DataFrame, streams: Sequence[str], level: float = 0.95,
                   max_iter: int = 300, bias: bool = True,
                   year_effects: Sequence[str] = YEAR_EFFECT_STREAMS,
                   ar_errors: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The measurement model's positions for every row of ``wide``, axis by axis.

    Parameters
    ----------
    wide : DataFrame from :func:`orderwatch.synthesis.combine.stream_wide` (any grid)
    streams : the streams that count (a stream without any value is left out)

    Returns
    -------
    (positions, reliability)
        ``positions`` is ``wide`` plus ``position, lo, hi, se, n_streams, streams`` and
        ``w_<stream>`` (each stream's share of the information behind that cell);
        ``reliability`` has one row per axis and stream (see :func:`reliability_table`).
    """
    out = wide.copy().reset_index(drop=True)
    for col in ("position", "se", "lo", "hi"):
        out[col] = np.nan
    out["n_streams"] = 0
    out["streams"] = ""
    weight_cols = {s: np.zeros(len(out)) for s in streams}
    fits = []
    z = z_value(level)
    for axis, idx in out.groupby("axis").groups.items():
        sub = out.loc[idx]
        active = [s for s in streams if s in sub.columns and pd.to_numeric(sub[s], errors="coerce").notna().any()]
        if not active or sub.empty:
            continue
        states, years, si, ti, Y, SE, fixed = _arrays(sub, active, level)
        fit, m, P, W = fit_axis(Y, SE, fixed, active, str(axis), max_iter=max_iter, bias=bias,
                                year_effects=year_effects, ar_errors=ar_errors)
        fits.append(fit)
        obs = ~np.isnan(Y[:, si, ti])                          # (K, rows)
        has = obs.any(axis=0)
        pole = ~np.isnan(fixed[si])
        pos = np.where(has, m[si, ti], np.nan)
        se = np.where(has & ~pole, np.sqrt(P[si, ti]), np.where(has, 0.0, np.nan))
        rows = np.asarray(idx)
        out.loc[rows, "position"] = np.clip(pos, -1.0, 1.0)
        out.loc[rows, "se"] = se
        out.loc[rows, "lo"] = np.clip(pos - z * se, -1.0, 1.0)
        out.loc[rows, "hi"] = np.clip(pos + z * se, -1.0, 1.0)
        out.loc[rows, "n_streams"] = obs.sum(axis=0)
        out.loc[rows, "streams"] = [",".join(s for s, o in zip(active, col) if o) for col in obs.T]
        info = W[:, si, ti]
        tot = info.sum(axis=0)
        for k, s in enumerate(active):
            weight_cols[s][rows] = np.where(tot > 0, info[k] / np.where(tot > 0, tot, 1.0), 0.0)
    for s in streams:
        out[f"w_{s}"] = weight_cols[s]
    out["n_streams"] = out["n_streams"].astype(int)
    return out, reliability_table(fits)


def reliability_table(fits: Sequence[AxisFit]) -> pd.DataFrame:
    """Per axis and stream: where it puts the poles (``china_at``, ``us_at``: the stream's
    figures that read as -1 and +1; its zero reads as 0), noise sd and mean own
    standard error (on the poles' scale), observations, reliability (share of the
    indicator's variance among non-pole states that is the common position, from the
    cross-stream correlations), the error split of the bias model (transient sd, before
    the window scaling, and persistent bias sd; without the bias term: the noise and 0),
    the window the transient error is scaled by, the lag-one autocorrelation of the
    stream's residuals (:func:`error_autocorrelation`) and of what remains once the
    per-state biases are taken off (``transient_autocorr``), the axis' random-walk sd,
    likelihood evaluations and convergence."""
    rows = []
    for f in fits:
        for k, s in enumerate(f.streams):
            rows.append({"axis": f.axis, "stream": s, "china_at": f.china_at[k], "us_at": f.us_at[k],
                         "noise_sd": float(np.sqrt(f.noise_var[k])), "mean_se": f.mean_se[k],
                         "n_obs": int(f.n_obs[k]), "reliability": float(f.reliability[k]),
                         "transient_sd": float(np.sqrt(f.transient_var[k])),
                         "bias_sd": float(np.sqrt(f.bias_var[k])), "window_years": float(f.window[k]),
                         "error_autocorr": float(f.error_autocorr[k]),
                         "transient_autocorr": float(f.transient_autocorr[k]),
                         "year_shift_sd": float(f.year_shift_sd[k]) if len(f.year_shift_sd) else 0.0,
                         "random_walk_sd": float(np.sqrt(f.q)), "iterations": f.iterations,
                         "converged": f.converged})
    return pd.DataFrame(rows, columns=["axis", "stream", "china_at", "us_at", "noise_sd", "mean_se",
                                       "n_obs", "reliability", "transient_sd", "bias_sd", "window_years",
                                       "error_autocorr", "transient_autocorr", "year_shift_sd", "random_walk_sd", "iterations", "converged"])
