"""The external criteria and the statistics that compare positions with them.

Every statistic comes with ``n`` (the units compared) and a percentile bootstrap
interval over those units (states), so that a figure resting on ten ASEAN states is
read as such.
"""

from __future__ import annotations

import itertools
import warnings
from typing import Callable

import numpy as np
import pandas as pd
from scipy import stats

from orderwatch import bundled

#: AMTI categories from most opposed to the 2016 award to most supportive.
AMTI_ORDER: tuple[str, ...] = ("publicly_opposed", "no_recorded_position_or_neutral",
                               "positive_statement_no_compliance_call", "publicly_calling_for_compliance")
#: US treaty allies in Asia and the Pacific (mutual defence treaties in force).
US_ALLIES: tuple[str, ...] = ("AUS", "JPN", "KOR", "NZL", "PHL", "THA")
#: China's closest partners: iso3 -> first year counted (Myanmar after the 2021 coup).
CHINA_PARTNERS: dict[str, int] = {"PAK": 0, "KHM": 0, "LAO": 0, "PRK": 0, "RUS": 0, "IRN": 0, "MMR": 2022}


def iseas() -> pd.DataFrame:
    """ISEAS forced-choice shares per state and edition; ``year`` is the year the
    edition reflects (fielded November-February: edition - 1). The ASEAN aggregate rows
    are left out."""
    df = bundled.read("iseas_alignment")
    df = df[df["iso3"] != "ASEAN"].copy()
    df["edition"] = df["year"]
    df["year"] = df["edition"] - 1
    return df


def amti() -> pd.DataFrame:
    """AMTI tracker rows with ``rank`` (0 opposed ... 3 calling for compliance) and the
    calendar ``year`` of the snapshot."""
    df = bundled.read("amti_arbitration").copy()
    df["rank"] = df["position_category"].map({c: i for i, c in enumerate(AMTI_ORDER)})
    df["year"] = pd.to_datetime(df["as_of"]).dt.year
    return df


def bsv_calendar() -> pd.DataFrame:
    """BSV final-passage ideal points by calendar year (iso3, year, ideal_point, n_votes)."""
    return bundled.read("bsv_calendar")


def bootstrap(stat: Callable[[np.ndarray], float], units: np.ndarray, n_boot: int = 1000,
              seed: int = 7, level: float = 0.95) -> tuple[float, float]:
    """Percentile interval of ``stat(indices)`` over resampled unit indices."""
    rng = np.random.default_rng(seed)
    n = len(units)
    vals = []
    for _ in range(n_boot):
        v = stat(rng.integers(0, n, n))
        if np.isfinite(v):
            vals.append(v)
    if len(vals) < n_boot / 2:
        return (np.nan, np.nan)
    a = (1 - level) / 2
    return float(np.quantile(vals, a)), float(np.quantile(vals, 1 - a))


def _result(value: float, n: int, ci: tuple[float, float], **extra) -> dict:
    return {"value": None if not np.isfinite(value) else float(value), "n": int(n),
            "ci": [None if not np.isfinite(c) else float(c) for c in ci], **extra}


def spearman(x: np.ndarray, y: np.ndarray, n_boot: int = 1000) -> dict:
    """Spearman rho with a bootstrap interval over units."""
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if len(x) < 4:
        return _result(np.nan, len(x), (np.nan, np.nan))

    def stat(i):
        if np.unique(x[i]).size < 2 or np.unique(y[i]).size < 2:
            return np.nan
        return stats.spearmanr(x[i], y[i]).statistic

    return _result(stats.spearmanr(x, y).statistic, len(x), bootstrap(stat, x, n_boot))


def pearson(x: np.ndarray, y: np.ndarray, n_boot: int = 1000) -> dict:
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    if len(x) < 4:
        return _result(np.nan, len(x), (np.nan, np.nan))
    return _result(float(np.corrcoef(x, y)[0, 1]), len(x),
                   bootstrap(lambda i: float(np.corrcoef(x[i], y[i])[0, 1]), x, n_boot))


def kendall(x: np.ndarray, ranks: np.ndarray, n_boot: int = 1000) -> dict:
    """Kendall tau-b of positions with ordinal categories, plus the category means and
    whether they rise with the categories (``ordered``)."""
    ok = np.isfinite(x) & np.isfinite(ranks)
    x, r = x[ok], ranks[ok]
    if len(x) < 4:
        return _result(np.nan, len(x), (np.nan, np.nan), means={}, ordered=None)
    means = {AMTI_ORDER[int(k)]: float(x[r == k].mean()) for k in sorted(set(r))}
    vals = list(means.values())
    return _result(stats.kendalltau(x, r).statistic, len(x),
                   bootstrap(lambda i: stats.kendalltau(x[i], r[i]).statistic, x, n_boot),
                   means=means, ordered=bool(all(a < b for a, b in zip(vals, vals[1:]))))


def auc(pos: pd.DataFrame, n_boot: int = 500) -> dict:
    """Known-group separation: probability that a US ally's state-year sits closer to the
    US pole than a China partner's in the same year (Mann-Whitney AUC, ties count half),
    with a bootstrap over the states of each group."""
    if pos.empty:  # a stream that codes no rows on this axis (e.g. practice on A2, A3)
        return _result(np.nan, 0, (np.nan, np.nan))
    since = pos["iso3"].map(CHINA_PARTNERS).astype(float)
    allies = pos[pos["iso3"].isin(US_ALLIES)]
    partners = pos[since.notna() & (pos["year"] >= since.fillna(0))]
    if allies.empty or partners.empty:
        return _result(np.nan, 0, (np.nan, np.nan))
    A = allies.pivot_table(index="year", columns="iso3", values="position")
    B = partners.pivot_table(index="year", columns="iso3", values="position").reindex(A.index)
    a, b = A.to_numpy(float), B.to_numpy(float)

    def value(ia, ib) -> float:
        d = a[:, ia][:, :, None] - b[:, ib][:, None, :]
        ok = np.isfinite(d)
        return float(((d > 0) + 0.5 * (d == 0))[ok].mean()) if ok.any() else np.nan

    rng = np.random.default_rng(11)
    boots = [value(rng.integers(0, a.shape[1], a.shape[1]), rng.integers(0, b.shape[1], b.shape[1]))
             for _ in range(n_boot)]
    boots = [v for v in boots if np.isfinite(v)]
    ci = (float(np.quantile(boots, 0.025)), float(np.quantile(boots, 0.975))) if boots else (np.nan, np.nan)
    return _result(value(np.arange(a.shape[1]), np.arange(b.shape[1])), len(allies) + len(partners), ci,
                   allies=int(a.shape[1]), partners=int(b.shape[1]))


def sign_flips(pos: pd.DataFrame) -> dict:
    """Share of adjacent-year pairs of a state whose figure changes side (poles excluded)."""
    p = pos[~pos["iso3"].isin(["CHN", "USA"])].sort_values(["iso3", "year"])
    prev = p.groupby("iso3")[["year", "position"]].shift(1)
    pair = (p["year"] - prev["year"] == 1)
    s0, s1 = np.sign(prev["position"][pair]), np.sign(p["position"][pair])
    flips = int(((s0 * s1) < 0).sum())
    n = int(pair.sum())
    return {"value": flips / n if n else None, "n": n, "flips": flips, "ci": [None, None]}


def split_half_reliability(wide: pd.DataFrame, n_boot: int = 1000) -> dict:
    """How far a criterion agrees with itself across its editions.

    ``wide`` holds one row per state and one column per edition. For every split of the
    editions into two halves, the Spearman correlation over states of the two half-means
    (each the mean of whatever editions of that half a state has); the mean over splits
    is stepped up to the full set of editions by Spearman–Brown, 2r / (1 + r). Its square
    root is the ``ceiling``: the highest correlation an error-free measure of the very
    same construct could reach with the criterion's state means (the attenuation bound).
    The interval resamples states.
    """
    x = wide.to_numpy(float)
    k = x.shape[1]
    if k < 2:
        return _result(np.nan, len(x), (np.nan, np.nan), half_r=None, ceiling=None, splits=0)
    # Halves of floor(k/2) editions; when k is even keep the splits holding the first
    # edition, so that a split and its mirror are counted once.
    splits = [list(c) for c in itertools.combinations(range(k), k // 2) if k % 2 or 0 in c]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)      # a state with no edition in a half
        halves = [(np.nanmean(x[:, a], axis=1), np.nanmean(x[:, [j for j in range(k) if j not in a]], axis=1))
                  for a in splits]

    def half_r(i) -> float:
        rs = []
        for h1, h2 in halves:
            u, v = h1[i], h2[i]
            ok = np.isfinite(u) & np.isfinite(v)
            if ok.sum() >= 4 and np.unique(u[ok]).size > 1 and np.unique(v[ok]).size > 1:
                rs.append(stats.spearmanr(u[ok], v[ok]).statistic)
        return float(np.mean(rs)) if rs else np.nan

    def reliability(i) -> float:
        r = half_r(i)
        return 2 * r / (1 + r) if np.isfinite(r) and r > -1 else np.nan

    idx = np.arange(len(x))
    r, rel = half_r(idx), reliability(idx)
    return _result(rel, len(x), bootstrap(reliability, idx, n_boot), half_r=None if not np.isfinite(r) else r,
                   ceiling=attenuation_ceiling(rel), splits=len(splits), editions=[str(c) for c in wide.columns])


def attenuation_ceiling(reliability: float | None) -> float | None:
    """The highest correlation an error-free measure can reach with a criterion of this
    reliability: its square root (None where the reliability is missing or not positive)."""
    ok = reliability is not None and np.isfinite(reliability) and reliability > 0
    return float(np.sqrt(reliability)) if ok else None


def iseas_reliability(isea: pd.DataFrame | None = None, n_boot: int = 1000) -> dict:
    """:func:`split_half_reliability` of the ISEAS share choosing the US (states x editions);
    ``isea`` is :func:`iseas` if already read."""
    isea = iseas() if isea is None else isea
    return split_half_reliability(isea.pivot_table(index="iso3", columns="year", values="pct_us"), n_boot)
