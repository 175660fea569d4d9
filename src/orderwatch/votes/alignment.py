"""Where each state votes between the two poles, per calendar year and axis.

Kappa difference
----------------
For state i in year t, on the roll calls of one axis subset that i, China and the United
States all voted on: ``kappa_chn`` and ``kappa_usa`` (Cohen's kappa of i with each pole,
:mod:`orderwatch.votes.agreement`) and ``diff = kappa_chn - kappa_usa``. On the
positions scale (−1 China's pole, +1 the US pole) the figure is

    position = clip((kappa_usa - kappa_chn) / (1 - kappa_cu), -1, 1)

where ``kappa_cu`` is the poles' kappa with each other in the same roll calls. The
denominator makes the two poles land on −1 and +1 exactly (China: kappa_chn = 1,
kappa_usa = kappa_cu), so a state's position reads as its place on the line between
them; it is undefined (NaN) when the poles agree too closely (``1 - kappa_cu < 0.1``).
Each figure keeps n and a percentile bootstrap interval from resampling the roll calls
(the same resample for both poles, so the interval is that of the difference).

Kappa is 0 by construction when a state casts a single vote category on every roll call
of a cell (or a pole does): that is a lopsided ballot, not a middle position. Such cells
use Scott's pi in the same formula (``measure = 'pi'``; method ``pi_diff`` in the positions
table); ``kappa_chn``, ``kappa_usa`` and ``diff`` stay the kappa figures.

Ideal-point position
--------------------
``ideal_position = clip(2 (x_i - x_CHN) / (x_USA - x_CHN) - 1, -1, 1)`` with the per-session
ideal points of the session whose votes fall mostly in that year
(:mod:`orderwatch.votes.sessions`): −1 at China's ideal point, +1 at the US one.

China's pole exists only from 25 October 1971: before then the Republic of China held the
seat and the store codes China ``non_member``, so earlier years have no pole and no
position (NaN, not 0).

The 2019/2020 seam: Voeten's data (to 2019) include amendment, paragraph and failed-draft
votes and, to 2015, absences; the UN Digital Library records (2020–2025) hold adopted
resolutions with a recorded vote only, with absences. ``seam`` says which regime a year is
in, and :func:`seam_summary` reports what changes across it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orderwatch.votes.agreement import bootstrap_weights, measure_from_tables, percentile_interval
from orderwatch.votes.matrix import VoteMatrix
from orderwatch.votes.subsets import AXES, axis_masks

MIN_ROLLCALLS = 5
SEAM_NOTES = {
    "voeten_absences": "Voeten data: all roll calls incl. amendments and paragraph votes; absences recorded",
    "voeten": "Voeten data: all roll calls incl. amendments and paragraph votes; absences not recorded (2016-2019)",
    "undl": "UN Digital Library: adopted resolutions with a recorded vote only (no amendment, paragraph or "
    "failed-draft votes); issue flags inferred from titles",
}
COLUMNS = [
    "iso3", "year", "axis", "kappa_chn", "kappa_usa", "diff", "diff_lo", "diff_hi", "kappa_cu",
    "pi_chn", "pi_usa", "position", "lo", "hi", "n", "measure", "ideal_point", "ideal_chn", "ideal_usa",
    "ideal_position", "seam",
]


def seam_regime(rc: pd.DataFrame) -> str:
    """Which data regime a set of roll calls belongs to (see :data:`SEAM_NOTES`)."""
    if (rc["source"] != "voeten").any():
        return "undl"
    return "voeten_absences" if (rc["year"] <= 2015).all() else "voeten"


def pole_kappas(
    codes: np.ndarray, chn: np.ndarray, usa: np.ndarray, n_boot: int, rng: np.random.Generator, level: float
) -> dict[str, np.ndarray]:
    """Kappa of every column with each pole, their difference and the position, with intervals.

    Parameters
    ----------
    codes : ndarray, shape (n, m)
        Votes of the states on roll calls where both poles voted.
    chn, usa : ndarray, shape (n,)
        The poles' votes.
    n_boot : int
    rng : Generator
    level : float

    Returns
    -------
    dict of arrays of shape (m,)
    """
    n, m = codes.shape
    weights = np.vstack([np.ones((1, n)), bootstrap_weights(n, n_boot, rng)])
    # Both poles against every state in one product: the columns are the states' one-hot
    # votes plus the US's (for kappa_cu), the rows the weights times each pole's one-hot
    # vote. float32 holds these integer counts exactly and halves the cost.
    cols = np.concatenate([codes, usa[:, None]], axis=1)
    onehot = np.stack([cols == c for c in range(3)], axis=-1).reshape(n, -1).astype(np.float32)
    w32 = weights.astype(np.float32)
    r = weights.shape[0]
    tables = np.empty((2, r, m + 1, 3, 3))
    for p, pole in enumerate((chn, usa)):
        for c in range(3):
            tables[p, :, :, c, :] = ((w32 * (pole == c)) @ onehot).reshape(r, m + 1, 3)
    k_chn, counts = measure_from_tables(tables[0, :, :m], "kappa")
    k_usa, _ = measure_from_tables(tables[1, :, :m], "kappa")
    k_cu, _ = measure_from_tables(tables[0, :, m:], "kappa")
    pi_chn, _ = measure_from_tables(tables[0, :, :m], "pi")
    pi_usa, _ = measure_from_tables(tables[1, :, :m], "pi")
    pi_cu, _ = measure_from_tables(tables[0, :, m:], "pi")
    # Kappa is 0 by construction for a state (or against a pole) that casts one vote
    # category throughout: no evidence of a middle position, only of a lopsided ballot.
    # Those cells use Scott's pi, whose pooled chance model keeps the information.
    used = np.stack([(codes == c).any(axis=0) for c in range(3)]).sum(axis=0)
    degenerate = (used <= 1) | (len(set(chn.tolist())) <= 1) | (len(set(usa.tolist())) <= 1)
    use_pi = np.broadcast_to(degenerate, k_chn.shape)
    a_chn = np.where(use_pi, pi_chn, k_chn)
    a_usa = np.where(use_pi, pi_usa, k_usa)
    a_cu = np.where(use_pi, pi_cu, k_cu)
    denom = 1.0 - a_cu
    with np.errstate(invalid="ignore", divide="ignore"):
        pos = np.where(denom > 0.1, np.clip((a_usa - a_chn) / denom, -1.0, 1.0), np.nan)
    diff = k_chn - k_usa
    nan = np.full(m, np.nan)
    d_lo, d_hi = percentile_interval(diff[1:], level) if n_boot else (nan, nan)
    p_lo, p_hi = percentile_interval(pos[1:], level) if n_boot else (nan, nan)
    return {
        "kappa_chn": k_chn[0], "kappa_usa": k_usa[0], "diff": diff[0], "diff_lo": d_lo, "diff_hi": d_hi,
        "kappa_cu": np.repeat(k_cu[0, 0], m), "pi_chn": pi_chn[0], "pi_usa": pi_usa[0],
        "position": pos[0], "lo": p_lo, "hi": p_hi, "n": counts[0],
        "measure": np.where(degenerate, "pi", "kappa"),
    }


def pole_alignment(
    vm: VoteMatrix,
    states: list[str],
    ideal_points: pd.DataFrame | None = None,
    axes: tuple[str, ...] = AXES,
    n_boot: int = 200,
    level: float = 0.95,
    random_state: int | None = 0,
    min_rollcalls: int = MIN_ROLLCALLS,
) -> pd.DataFrame:
    """Pole alignment of ``states`` for every calendar year in ``vm`` and every axis.

    Parameters
    ----------
    vm : VoteMatrix
        All roll calls (prepared with :func:`orderwatch.votes.data.prepare`).
    states : list of str
        ISO3 of the states to report (rows are made even where a state has no votes).
    ideal_points : DataFrame, optional
        Per-session ideal points for the ``all`` subset (:func:`~orderwatch.votes.sessions.fit_sessions`);
        gives the ``ideal_*`` columns.
    axes : tuple of str
    n_boot : int
    level : float
    random_state : int or None
    min_rollcalls : int
        Fewer shared roll calls than this give NaN kappas and positions.

    Returns
    -------
    DataFrame
        Columns of :data:`COLUMNS`, one row per state, year and axis.
    """
    rng = np.random.default_rng(random_state)
    sub = vm.subset_columns(list(states))
    chn_all = vm.subset_columns(["CHN"]).codes[:, 0]
    usa_all = vm.subset_columns(["USA"]).codes[:, 0]
    rc = vm.roll_calls
    # Yes against no between the poles: the bloc-splitting roll calls that join A3.
    pole_split = ((chn_all == 0) & (usa_all == 2)) | ((chn_all == 2) & (usa_all == 0))
    masks = axis_masks(rc, pole_split=pole_split)
    both = (chn_all >= 0) & (chn_all <= 2) & (usa_all >= 0) & (usa_all <= 2)
    years = rc["year"].to_numpy()
    frames = []
    for year in np.unique(years):
        in_year = years == year
        regime = seam_regime(rc.loc[in_year])
        for ax in axes:
            rows = in_year & masks[ax] & both
            out = {c: np.full(len(states), np.nan) for c in COLUMNS[3:] if c not in ("measure", "seam")}
            out["n"] = np.zeros(len(states))
            out["measure"] = np.full(len(states), "kappa", dtype=object)
            if rows.sum() >= 1:
                codes = sub.codes[rows]
                # Absences are excluded (codes 3 and -1 fall outside the 3 categories).
                res = pole_kappas(codes, chn_all[rows], usa_all[rows], n_boot, rng, level)
                few = res["n"] < min_rollcalls
                for key, val in res.items():
                    if key == "measure":
                        out[key] = np.asarray(val, dtype=object)
                        continue
                    val = np.asarray(val, dtype=float).copy()
                    if key != "n":
                        val[few] = np.nan
                    out[key] = val
            frame = pd.DataFrame(out)
            frame.insert(0, "axis", ax)
            frame.insert(0, "year", int(year))
            frame.insert(0, "iso3", list(states))
            frame["seam"] = regime
            frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    table["n"] = table["n"].round().astype("int64")
    if ideal_points is not None and len(ideal_points):
        table = _join_ideal(table, ideal_points)
    return table[COLUMNS]


def _join_ideal(table: pd.DataFrame, ideal_points: pd.DataFrame) -> pd.DataFrame:
    """Add the ideal point of the session that falls mostly in each year, and its position."""
    ip = ideal_points[ideal_points["issue"] == "all"] if "issue" in ideal_points else ideal_points
    # One session per year: the one with the most roll calls (a year rarely holds two).
    best = (
        ip.drop_duplicates(["session"])[["session", "year", "n_rollcalls"]]
        .sort_values(["year", "n_rollcalls"], ascending=[True, False])
        .drop_duplicates("year")
    )
    ip = ip.merge(best[["session"]], on="session")
    wide = ip.pivot_table(index="year", columns="iso3", values="ideal_point")
    poles = pd.DataFrame(
        {"year": wide.index, "ideal_chn": wide.get("CHN", np.nan), "ideal_usa": wide.get("USA", np.nan)}
    ).reset_index(drop=True)
    table = table.drop(columns=["ideal_point", "ideal_chn", "ideal_usa", "ideal_position"])
    table = table.merge(ip[["year", "iso3", "ideal_point"]], on=["year", "iso3"], how="left")
    table = table.merge(poles, on="year", how="left")
    with np.errstate(invalid="ignore", divide="ignore"):
        span = table["ideal_usa"] - table["ideal_chn"]
        pos = 2.0 * (table["ideal_point"] - table["ideal_chn"]) / span - 1.0
    table["ideal_position"] = pos.where(span > 0).clip(-1.0, 1.0)
    return table


def seam_summary(table: pd.DataFrame, iso3: str, axis: str = "overall", before=(2015, 2019), after=(2020, 2024)) -> dict:
    """What changes across the 2019/2020 seam for one state: mean position and n either side."""
    t = table[(table["iso3"] == iso3) & (table["axis"] == axis)]
    b = t[t["year"].between(*before)]
    a = t[t["year"].between(*after)]
    return {
        "before": {"years": list(before), "mean_position": b["position"].mean(), "mean_n": b["n"].mean()},
        "after": {"years": list(after), "mean_position": a["position"].mean(), "mean_n": a["n"].mean()},
        "note": "before 2020: " + SEAM_NOTES["voeten"] + ". From 2020: " + SEAM_NOTES["undl"] + ".",
    }


def alignment_evidence(vm: VoteMatrix, iso3: str, year: int, axis: str = "overall", limit: int | None = 20) -> list[dict]:
    """The roll calls behind one alignment figure, with the state's and both poles' votes.

    Ordered where the poles split yes against no first, then where one pole abstained,
    then the rest; within a rank, where the state sided with one pole and not the other
    first, newest first. Only roll calls that entered the figure (all three voted yes,
    abstain or no) are listed.
    """
    from orderwatch.votes.dyad import _SPLIT  # the same vote distances as dyad evidence
    from orderwatch.votes.matrix import CODE_LABELS

    cols = vm.subset_columns([iso3, "CHN", "USA"]).codes
    rc = vm.roll_calls
    split = ((cols[:, 1] == 0) & (cols[:, 2] == 2)) | ((cols[:, 1] == 2) & (cols[:, 2] == 0))
    mask = axis_masks(rc, pole_split=split)[axis] & (rc["year"] == year).to_numpy()
    mask &= ((cols >= 0) & (cols <= 2)).all(axis=1)
    idx = np.flatnonzero(mask)
    c = cols[idx]
    pole_gap = _SPLIT[c[:, 1], c[:, 2]]
    sided = np.abs(_SPLIT[c[:, 0], c[:, 1]] - _SPLIT[c[:, 0], c[:, 2]])
    dates = rc["date"].to_numpy()[idx].astype("datetime64[s]").astype(np.int64)
    order = np.lexsort((-dates, -sided, -pole_gap))
    if limit is not None:
        order = order[:limit]
    out = []
    for k in order:
        row = rc.iloc[idx[k]]
        out.append({
            "rcid": int(row["rcid"]),
            "date": pd.Timestamp(row["date"]).date().isoformat(),
            "resolution": row.get("resolution"),
            "short": row.get("short"),
            "source": row.get("source"),
            "votes": {iso3: CODE_LABELS[c[k, 0]], "CHN": CODE_LABELS[c[k, 1]], "USA": CODE_LABELS[c[k, 2]]},
        })
    return out
