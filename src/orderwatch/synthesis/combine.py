"""Combine the three streams' positions into one figure per state-year-axis.

Each stream (words, votes, institutions) writes a positions table with the shape in
docs/ARCHITECTURE.md: ``iso3, year, axis, position, lo, hi, n, method``. This module

1. lays the three tables side by side (:func:`stream_wide`), one row per
   ``(iso3, year, axis)`` and one column group per stream;
2. takes a weighted mean over the streams that have evidence for that row
   (:func:`combine`), renormalising the weights over the streams present, so that a
   missing stream changes the weights, never the value (no evidence is NaN, never 0);
3. carries each stream's uncertainty into the combination analytically: with stream
   standard errors :math:`s_k` (recovered from the stream's interval as
   :math:`(hi-lo)/(2z)`) and renormalised weights :math:`\\tilde w_k`, the combined
   standard error is :math:`\\sqrt{\\sum_k \\tilde w_k^2 s_k^2}`. This assumes the
   streams' measurement errors are independent, which holds in the sense that they rest
   on disjoint evidence (speeches, roll calls, treaties); it understates uncertainty if
   the streams share a bias. :func:`monte_carlo_interval` gives the parametric-bootstrap
   counterpart (normal draws per stream, clipped to [-1, 1]) as a check.

References
----------
OECD & JRC (2008). *Handbook on Constructing Composite Indicators*. Paris: OECD, ch. 6-7.
Hedges, L. V. & Olkin, I. (1985). *Statistical Methods for Meta-Analysis*. Orlando:
Academic Press, ch. 4 (variance of a weighted mean of independent estimates).
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd
from scipy import stats

from orderwatch.schema import POSITION_COLUMNS
from orderwatch.synthesis.weights import AXES, STREAMS, validate_weights

KEYS = ["iso3", "year", "axis"]


def z_value(level: float) -> float:
    """Two-sided normal quantile for an interval of the given level (0.95 -> 1.96)."""
    return float(stats.norm.ppf(0.5 + level / 2.0))


# Which method stands for a stream in a cell when a stream table publishes several. The
# words stream's pooled scale is its published figure, the codebook its fallback; the
# focused Wordscores position is no longer used as a fallback (it is read only when a
# caller names it). The votes stream publishes exactly one of kappa_diff / pi_diff per cell.
METHOD_PRIORITY = ("pooled", "codebook", "kappa_diff", "pi_diff", "network")
#: Methods never picked by default (only when named).
METHOD_EXCLUDED = ("wordscores",)
#: A method that, when present, supersedes others entirely (not only cell by cell): the
#: words stream's pooled series is built from the codebook's sentence scores and declines a
#: year with fewer than two scored sentences; falling back to that year's raw codebook
#: figure would bring back the one-sentence figures its minimum rules out.
METHOD_SUPERSEDES = {"pooled": ("codebook",)}


def pick_method(table: pd.DataFrame, method: str | None = None) -> pd.DataFrame:
    """Keep one row per (iso3, year, axis): never two methods for the same cell.

    With ``method`` given, only that method's rows. Otherwise the methods in
    ``METHOD_EXCLUDED``, and those a present method supersedes (``METHOD_SUPERSEDES``), are
    dropped and, per cell, the row of the highest-priority method (``METHOD_PRIORITY``, then alphabetical) that has a position;
    a cell with no position in any method keeps one empty row. The ``method`` column
    says which method each figure comes from.
    """
    if table.empty or "method" not in table.columns:
        return table
    if method is not None:
        return table[table["method"] == method]
    table = table[~table["method"].isin(METHOD_EXCLUDED)]
    present = set(table["method"].dropna())
    superseded = {m for top, ms in METHOD_SUPERSEDES.items() if top in present for m in ms}
    table = table[~table["method"].isin(superseded)]
    keys = [k for k in ("iso3", "year", "axis") if k in table.columns]
    if table["method"].nunique(dropna=False) <= 1 or not keys:
        return table
    rank = {m: i for i, m in enumerate(METHOD_PRIORITY)}
    others = sorted(set(table["method"].dropna()) - set(rank))
    rank.update({m: len(METHOD_PRIORITY) + i for i, m in enumerate(others)})
    order = table.assign(_missing=table["position"].isna(), _rank=table["method"].map(rank).fillna(len(rank)))
    order = order.sort_values(keys + ["_missing", "_rank"], kind="stable")
    return order.drop_duplicates(subset=keys, keep="first").drop(columns=["_missing", "_rank"]).sort_index()


def stream_wide(
    tables: Mapping[str, pd.DataFrame | None],
    methods: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Lay the stream positions tables side by side.

    Parameters
    ----------
    tables : mapping stream -> positions DataFrame (or None when the stream is absent)
        Keys among ``words``, ``votes``, ``institutions``.
    methods : mapping stream -> method id, optional
        Which method to use from a stream table that holds several.

    Returns
    -------
    DataFrame
        Columns ``iso3, year, axis`` and, for each stream ``s``: ``s, s_lo, s_hi, s_n,
        s_method`` (NaN/None where the stream has no row).
    """
    methods = dict(methods or {})
    parts = []
    for stream in STREAMS:
        table = tables.get(stream)
        if table is None or len(table) == 0:
            continue
        missing = [c for c in ("iso3", "year", "axis", "position") if c not in table.columns]
        if missing:
            raise ValueError(f"{stream} positions table lacks column(s) {missing}")
        t = pick_method(table, methods.get(stream)).copy()
        for col in ("lo", "hi", "n", "method"):
            if col not in t.columns:
                t[col] = np.nan
        t = t[POSITION_COLUMNS]
        t["year"] = t["year"].astype(int)
        # One row per key: a stream that repeats a key (should not happen) is averaged.
        if t.duplicated(KEYS).any():
            t = t.groupby(KEYS, as_index=False).agg(
                position=("position", "mean"), lo=("lo", "mean"), hi=("hi", "mean"),
                n=("n", "sum"), method=("method", "first"),
            )
        t = t.rename(columns={"position": stream, "lo": f"{stream}_lo", "hi": f"{stream}_hi",
                              "n": f"{stream}_n", "method": f"{stream}_method"})
        parts.append(t.set_index(KEYS))
    if not parts:
        wide = pd.DataFrame(columns=KEYS).set_index(KEYS)
    else:
        wide = pd.concat(parts, axis=1, join="outer")
    for stream in STREAMS:
        for suffix, fill in (("", np.nan), ("_lo", np.nan), ("_hi", np.nan), ("_n", np.nan),
                             ("_method", None)):
            col = f"{stream}{suffix}"
            if col not in wide.columns:
                wide[col] = fill
    return wide.reset_index()


def stream_se(wide: pd.DataFrame, stream: str, level: float = 0.95) -> np.ndarray:
    """Standard error of a stream's position recovered from its interval (NaN if none)."""
    lo = pd.to_numeric(wide[f"{stream}_lo"], errors="coerce").to_numpy(float)
    hi = pd.to_numeric(wide[f"{stream}_hi"], errors="coerce").to_numpy(float)
    return (hi - lo) / (2.0 * z_value(level))


def combine(
    wide: pd.DataFrame,
    weights: Mapping[str, float] | None = None,
    level: float = 0.95,
    min_streams: int = 1,
) -> pd.DataFrame:
    """Weighted mean of the streams present, with an analytic interval.

    Parameters
    ----------
    wide : DataFrame from :func:`stream_wide`
    weights : mapping stream -> weight (>= 0, not all 0); None for equal weights
    level : float
        Level of the stream intervals and of the combined interval.
    min_streams : int
        Fewer streams with evidence than this gives a NaN position (default 1).

    Returns
    -------
    DataFrame
        ``wide`` plus ``position, lo, hi, se, n_streams, streams`` and one ``w_<stream>``
        column per stream (the weight actually applied in that row after
        renormalisation, 0 where the stream is missing).
    """
    w = validate_weights(weights)
    out = wide.copy()
    P = np.column_stack([pd.to_numeric(out[s], errors="coerce").to_numpy(float) for s in STREAMS]) \
        if len(out) else np.empty((0, len(STREAMS)))
    S = np.column_stack([stream_se(out, s, level) for s in STREAMS]) if len(out) else P.copy()
    W = np.array([w[s] for s in STREAMS], dtype=float)
    present = ~np.isnan(P) & (W > 0)
    Wr = np.where(present, W, 0.0)
    total = Wr.sum(axis=1)
    n_streams = present.sum(axis=1)
    ok = (total > 0) & (n_streams >= max(1, min_streams))
    with np.errstate(invalid="ignore", divide="ignore"):
        Wn = np.where(ok[:, None], Wr / np.where(total > 0, total, 1.0)[:, None], 0.0)
        pos = np.where(ok, np.nansum(np.where(present, P, 0.0) * Wn, axis=1), np.nan)
        # A contributing stream without an interval makes the combined interval unknown.
        se_known = ~(present & np.isnan(S)).any(axis=1)
        var = np.nansum(np.where(present, S, 0.0) ** 2 * Wn**2, axis=1)
        se = np.where(ok & se_known, np.sqrt(var), np.nan)
    z = z_value(level)
    out["position"] = pos
    out["se"] = se
    out["lo"] = np.clip(pos - z * se, -1.0, 1.0)
    out["hi"] = np.clip(pos + z * se, -1.0, 1.0)
    out["n_streams"] = n_streams.astype(int)
    out["streams"] = [",".join(s for s, p in zip(STREAMS, row) if p) for row in present]
    for i, s in enumerate(STREAMS):
        out[f"w_{s}"] = Wn[:, i] if len(out) else []
    return out


def monte_carlo_interval(
    wide: pd.DataFrame,
    weights: Mapping[str, float] | None = None,
    level: float = 0.95,
    n_draws: int = 2000,
    random_state: int | None = 0,
) -> pd.DataFrame:
    """Parametric-bootstrap interval of the combined position.

    Draws each stream's position from a normal with the stream's point estimate and
    standard error, clips the draw to [-1, 1] (positions are bounded), combines with the
    renormalised weights and takes the percentile interval.

    Returns
    -------
    DataFrame
        ``iso3, year, axis, position_mc, lo_mc, hi_mc``.
    """
    w = validate_weights(weights)
    rng = np.random.default_rng(random_state)
    P = np.column_stack([pd.to_numeric(wide[s], errors="coerce").to_numpy(float) for s in STREAMS])
    S = np.column_stack([stream_se(wide, s, level) for s in STREAMS])
    W = np.array([w[s] for s in STREAMS])
    present = ~np.isnan(P) & (W > 0)
    Wr = np.where(present, W, 0.0)
    total = Wr.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        Wn = Wr / np.where(total > 0, total, np.nan)[:, None]
    draws = rng.standard_normal((n_draws,) + P.shape)
    sim = np.clip(np.nan_to_num(P) + draws * np.nan_to_num(S), -1.0, 1.0)
    comb = (sim * np.nan_to_num(Wn)).sum(axis=2)
    alpha = (1.0 - level) / 2.0
    lo, mid, hi = np.quantile(comb, [alpha, 0.5, 1 - alpha], axis=0)
    bad = (total <= 0) | (present & np.isnan(S)).any(axis=1)
    out = wide[KEYS].copy()
    out["position_mc"] = np.where(bad, np.nan, mid)
    out["lo_mc"] = np.where(bad, np.nan, lo)
    out["hi_mc"] = np.where(bad, np.nan, hi)
    return out


def full_grid(states: list[str], years: range | list[int], axes=AXES) -> pd.DataFrame:
    """Every state x year x axis, so that a state without evidence shows as a NaN row."""
    idx = pd.MultiIndex.from_product([sorted(set(states)), list(years), list(axes)], names=KEYS)
    return idx.to_frame(index=False)
