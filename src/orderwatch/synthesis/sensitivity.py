"""How ranks move when the stream weights move: a grid over the weight simplex.

For every weight vector on a regular grid over the simplex
:math:`\\{w \\ge 0, \\sum w = 1\\}` (step ``step``), the states are ranked by their
combined position (rank 1 = closest to the US pole). A state whose rank hardly moves is
robustly placed; one whose rank spans half the table owes its place to the weighting.
This is the one-at-a-time-free, global variant of the sensitivity analysis recommended
for composite indicators (all weights varied jointly).

References
----------
Saisana, M., Saltelli, A. & Tarantola, S. (2005). Uncertainty and sensitivity analysis
techniques as tools for the quality assessment of composite indicators. *Journal of the
Royal Statistical Society A*, 168(2), 307-323.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from orderwatch.synthesis.weights import STREAMS, validate_weights


def weight_grid(step: float = 0.1, streams=STREAMS) -> np.ndarray:
    """All weight vectors on the simplex with the given step (rows sum to 1).

    >>> weight_grid(0.5, streams=("words", "votes", "institutions")).tolist()
    [[0.0, 0.0, 1.0], [0.0, 0.5, 0.5], [0.0, 1.0, 0.0], [0.5, 0.0, 0.5], [0.5, 0.5, 0.0], [1.0, 0.0, 0.0]]
    """
    if not 0 < step <= 1:
        raise ValueError("step must be in (0, 1]")
    k = int(round(1 / step))
    rows = [c for c in itertools.product(range(k + 1), repeat=len(streams)) if sum(c) == k]
    return np.array(rows, dtype=float) / k


def combine_matrix(P: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Combined positions for every state (rows of P) under every weight vector.

    Weights are renormalised over the streams present per state, as in
    :func:`orderwatch.synthesis.combine.combine`. Returns shape (n_grid, n_states).
    """
    present = ~np.isnan(P)
    Pz = np.where(present, P, 0.0)
    num = grid @ Pz.T
    den = grid @ present.T.astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den, np.nan)


def rank_desc(values: np.ndarray) -> np.ndarray:
    """Rank each row descending (1 = highest); NaN stays NaN. Ties get the average rank."""
    out = np.full(values.shape, np.nan)
    for i, row in enumerate(values):
        ok = ~np.isnan(row)
        if ok.any():
            out[i, ok] = rankdata(-row[ok], method="average")
    return out


def rank_sensitivity(
    wide: pd.DataFrame,
    weights=None,
    step: float = 0.1,
) -> pd.DataFrame:
    """Rank range of each state across the weight grid, for one slice (e.g. a year-axis).

    Parameters
    ----------
    wide : DataFrame with one row per state and columns ``iso3`` and the stream names
        (as from :func:`orderwatch.synthesis.combine.stream_wide`, filtered to one year
        and axis).
    weights : the reference weights (default equal)
    step : grid step on the simplex (0.1 gives 66 weight vectors)

    Returns
    -------
    DataFrame
        ``iso3, position, rank, rank_min, rank_max, rank_range, share_us_side,
        n_ranked, n_grid``: ``rank`` under the reference weights, the extreme ranks over
        the grid, and the share of weight vectors that put the state on the US side
        (position > 0). States without any stream evidence are kept with NaN.
    """
    w = validate_weights(weights)
    # The grid spans the streams with any evidence here: an absent stream (e.g. no
    # practice table) would only add weight vectors that place nobody.
    active = [s for s in STREAMS if s in wide.columns and pd.to_numeric(wide[s], errors="coerce").notna().any()]
    active = active or list(STREAMS)
    P = np.column_stack([pd.to_numeric(wide[s], errors="coerce").to_numpy(float) for s in active]) \
        if len(wide) and set(active) <= set(wide.columns) else np.empty((len(wide), len(active)))
    grid = weight_grid(step, streams=active)
    ref = np.array([[w[s] for s in active]])
    if ref.sum() <= 0:
        ref = np.full((1, len(active)), 1.0 / len(active))
    comb = combine_matrix(P, grid)
    ranks = rank_desc(comb)
    ref_pos = combine_matrix(P, ref)[0]
    ref_rank = rank_desc(ref_pos[None, :])[0]
    with np.errstate(invalid="ignore"):
        out = pd.DataFrame({
            "iso3": wide["iso3"].to_numpy(),
            "position": ref_pos,
            "rank": ref_rank,
            "rank_min": np.nanmin(np.where(np.isnan(ranks), np.inf, ranks), axis=0),
            "rank_max": np.nanmax(np.where(np.isnan(ranks), -np.inf, ranks), axis=0),
        })
    out.loc[~np.isfinite(out["rank_min"]), ["rank_min", "rank_max"]] = np.nan
    # Share of the grid points (where the state has a value at all) on the US side.
    valid = (~np.isnan(comb)).sum(axis=0)
    out["share_us_side"] = np.where(valid > 0, np.nansum(comb > 0, axis=0) / np.maximum(valid, 1), np.nan)
    out["rank_range"] = out["rank_max"] - out["rank_min"]
    out["n_ranked"] = int(np.sum(~np.isnan(ref_pos)))
    out["n_grid"] = len(grid)
    return out.sort_values(["rank", "iso3"], na_position="last", ignore_index=True)


def sensitivity_table(wide: pd.DataFrame, weights=None, step: float = 0.25) -> pd.DataFrame:
    """:func:`rank_sensitivity` for every year and axis in ``wide`` (long table)."""
    parts = []
    for (year, axis), sub in wide.groupby(["year", "axis"], sort=True):
        r = rank_sensitivity(sub.reset_index(drop=True), weights, step)
        r.insert(1, "year", year)
        r.insert(2, "axis", axis)
        parts.append(r)
    if not parts:
        return pd.DataFrame(columns=["iso3", "year", "axis", "position", "rank", "rank_min",
                                     "rank_max", "share_us_side", "rank_range", "n_ranked", "n_grid"])
    return pd.concat(parts, ignore_index=True)
