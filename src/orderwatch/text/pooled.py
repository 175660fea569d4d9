"""Country-year words positions: all of a state's texts of a year pooled, smoothed over years.

For a state and year, the sentences of all its texts (the UN General Debate speech plus
any ingested document of that state and year) are pooled and each sentence with counted
codebook matches (v2 stance rules) scores ``(u - g) / (u + g + m)``
(:mod:`orderwatch.text.combined`).  The build leaves the learned scorer out here: added
to the codebook sentences it raised coverage fourfold but blurred known groups (US allies
vs China-aligned states: +0.26 vs -0.04 instead of +0.65 vs -0.56; docs/text.md).  The
year's observation is the mean sentence score ``y_t`` with standard error
``s_t = sd / sqrt(n_t)`` (the sd floored at ``SD_FLOOR``, so a year of unanimous
sentences is not taken as exact).

Minimum evidence: a year enters only with at least ``MIN_SENTENCES`` scored sentences
(overall) or ``MIN_AXIS_SENTENCES`` sentences with codebook matches on the axis (A1-A3).

Smoothing: a local-level (random-walk) model per state and axis,
``level_t = level_{t-1} + eta_t, eta ~ N(0, q)``, ``y_t = level_t + eps_t, eps ~ N(0, s_t^2)``,
with the Kalman filter and the Rauch-Tung-Striebel smoother (Durbin & Koopman 2012, ch. 2).
``q`` is one value per axis, chosen by maximum likelihood pooled over all states on a
grid.  Published: the smoothed level and its 95% interval for the years with enough
evidence (method 'pooled'); years without enough evidence get no row.

Gaps: a level is carried across at most ``MAX_GAP`` years between observed years.  After a
longer silence the series starts afresh from the prior, so neither direction of the
smoother lends a state's words of one era to another: with ``q`` estimated mostly on
consecutive years, a random walk read across decades took India's 1950s-80s
non-interference to 2023 (A2 -0.87 from two sentences that split +1 / -1).

References
----------
Durbin, J. & Koopman, S. J. (2012). Time Series Analysis by State Space Methods, 2nd ed.
Oxford University Press.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orderwatch.text.codebook import AXES

MIN_SENTENCES = 2
MIN_AXIS_SENTENCES = 2
SD_FLOOR = 0.3
MAX_GAP = 5
Q_GRID = np.array([0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1])


def yearly_observations(sent: pd.DataFrame) -> pd.DataFrame:
    """Per (iso3, year, axis): y (mean sentence score), se, n, from a pooled sentence table.

    ``sent`` has iso3, year, score (overall, NaN if unscored) and us_A1 ... middle_A3.
    """
    rows = []
    for (iso3, year), g in sent.groupby(["iso3", "year"], sort=True):
        for axis in AXES + ("overall",):
            if axis == "overall":
                s, need = g["score"].to_numpy(dtype=float), MIN_SENTENCES
            else:
                u, gg, m = (g[f"{k}_{axis}"].to_numpy(dtype=float) for k in ("us", "gsi", "middle"))
                tot = u + gg + m
                s, need = np.where(tot > 0, (u - gg) / np.where(tot > 0, tot, 1), np.nan), MIN_AXIS_SENTENCES
            s = s[np.isfinite(s)]
            if len(s) < need:
                continue
            sd = max(float(s.std(ddof=1)) if len(s) > 1 else 0.0, SD_FLOOR)
            rows.append({"iso3": iso3, "year": int(year), "axis": axis, "y": float(s.mean()),
                         "se": sd / np.sqrt(len(s)), "n": len(s)})
    return pd.DataFrame(rows, columns=["iso3", "year", "axis", "y", "se", "n"])


def local_level(years: np.ndarray, y: np.ndarray, se: np.ndarray, q: float,
                prior_var: float = 1.0) -> tuple[np.ndarray, np.ndarray, float]:
    """Kalman filter + RTS smoother of a random walk observed with known noise.

    ``years`` may have gaps: the level variance grows by ``q`` per year elapsed.  Returns
    the smoothed means and variances at the observed years and the log-likelihood
    (prediction-error decomposition; the first observation's uses the diffuse-ish prior).
    """
    n = len(y)
    a_f, p_f, a_p, p_p = (np.zeros(n) for _ in range(4))
    loglik = 0.0
    a, p = 0.0, prior_var
    for t in range(n):
        if t:
            p = p + q * (years[t] - years[t - 1])
        a_p[t], p_p[t] = a, p
        f = p + se[t] ** 2
        v = y[t] - a
        if t:
            loglik += -0.5 * (np.log(2 * np.pi * f) + v * v / f)
        k = p / f
        a, p = a + k * v, p * (1 - k)
        a_f[t], p_f[t] = a, p
    a_s, p_s = a_f.copy(), p_f.copy()
    for t in range(n - 2, -1, -1):
        j = p_f[t] / p_p[t + 1]
        a_s[t] = a_f[t] + j * (a_s[t + 1] - a_p[t + 1])
        p_s[t] = p_f[t] + j * j * (p_s[t + 1] - p_p[t + 1])
    return a_s, p_s, loglik


def segments(obs: pd.DataFrame) -> list[pd.DataFrame]:
    """One state's observations (any order) split into runs of years at most ``MAX_GAP``
    apart, each sorted by year: the smoother's independent series."""
    g = obs.sort_values("year")
    run = np.cumsum(np.diff(g["year"].to_numpy(), prepend=g["year"].iloc[0]) > MAX_GAP)
    return [part for _, part in g.groupby(run, sort=True)]


def choose_q(obs: pd.DataFrame) -> float:
    """The grid value of q with the highest likelihood pooled over all states' series."""
    best, best_ll = Q_GRID[0], -np.inf
    groups = [part for _, g in obs.groupby("iso3") for part in segments(g)]
    for q in Q_GRID:
        ll = sum(local_level(g.year.to_numpy(), g.y.to_numpy(), g.se.to_numpy(), q)[2] for g in groups)
        if ll > best_ll:
            best, best_ll = q, ll
    return float(best)


def smooth(obs: pd.DataFrame, level: float = 0.95) -> tuple[pd.DataFrame, dict]:
    """Smoothed positions (positions shape, method 'pooled') and the q chosen per axis."""
    from scipy.stats import norm

    z = norm.ppf(0.5 + level / 2)
    out, qs = [], {}
    for axis, ga in obs.groupby("axis"):
        q = qs[axis] = choose_q(ga)
        for g in (part for _, state in ga.groupby("iso3") for part in segments(state)):
            iso3 = g["iso3"].iloc[0]
            m, v, _ = local_level(g.year.to_numpy(), g.y.to_numpy(), g.se.to_numpy(), q)
            sd = np.sqrt(v)
            out.append(pd.DataFrame({"iso3": iso3, "year": g.year.to_numpy(), "axis": axis,
                                     "position": np.clip(m, -1, 1), "lo": np.clip(m - z * sd, -1, 1),
                                     "hi": np.clip(m + z * sd, -1, 1), "n": g.n.to_numpy(),
                                     "method": "pooled"}))
    cols = ["iso3", "year", "axis", "position", "lo", "hi", "n", "method"]
    res = pd.concat(out, ignore_index=True)[cols] if out else pd.DataFrame(columns=cols)
    return res, qs


def stability(pos: pd.DataFrame, axis: str = "overall") -> dict:
    """Within-state adjacent-year correlation (state means removed) and sign-flip share.

    Over pairs of consecutive calendar years both placed.
    """
    p = pos[(pos.axis == axis)].dropna(subset=["position"])[["iso3", "year", "position"]]
    p = p.assign(dev=p.position - p.groupby("iso3").position.transform("mean"))
    nxt = p.assign(year=p.year - 1)
    pair = p.merge(nxt, on=["iso3", "year"], suffixes=("", "_next"))
    if len(pair) == 0:
        return {"pairs": 0, "r": float("nan"), "sign_flips": float("nan")}
    r = float(np.corrcoef(pair.dev, pair.dev_next)[0, 1]) if len(pair) >= 3 else float("nan")
    flips = float((np.sign(pair.position) * np.sign(pair.position_next) < 0).mean())
    return {"pairs": int(len(pair)), "r": r, "sign_flips": flips}


__all__ = ["yearly_observations", "local_level", "segments", "choose_q", "smooth", "stability",
           "MIN_SENTENCES", "MIN_AXIS_SENTENCES", "MAX_GAP"]
