"""Agreement of two states as a :class:`~orderwatch.evidence.Result`, with its roll calls.

The figure carries n (the roll calls both states voted on under the absence rule), a
percentile bootstrap interval from resampling those roll calls, and the roll calls
themselves, most decisive first: yes against no, then a yes or no against an abstention
(or an absence, when absences count), then agreements; newest first within each rank.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orderwatch.errors import NoSharedVotesError
from orderwatch.evidence import Provenance, Result
from orderwatch.votes.agreement import (
    bootstrap_weights,
    dyad_codes,
    measure_from_tables,
    n_categories,
    percentile_interval,
    tables_against,
)
from orderwatch.votes.matrix import CODE_LABELS, VoteMatrix

# How far apart two votes are, for ordering evidence: yes/no 1, one side abstaining or
# absent 0.5, the same vote 0.
_SPLIT = np.array(
    [
        [0.0, 0.5, 1.0, 0.5],
        [0.5, 0.0, 0.5, 0.5],
        [1.0, 0.5, 0.0, 0.5],
        [0.5, 0.5, 0.5, 0.0],
    ]
)


def evidence_rows(vm: VoteMatrix, a: str, b: str, mask: np.ndarray, limit: int | None = 20) -> list[dict]:
    """The roll calls behind a dyad figure, most decisive first.

    Parameters
    ----------
    vm : VoteMatrix
    a, b : str
        ISO3 of the two states.
    mask : ndarray of bool
        The roll calls that entered the figure.
    limit : int or None
        How many to return (None: all).
    """
    ca, cb = vm.codes[:, vm.column(a)], vm.codes[:, vm.column(b)]
    idx = np.flatnonzero(mask)
    split = _SPLIT[ca[idx], cb[idx]]
    dates = vm.roll_calls["date"].to_numpy()[idx]
    # Decisive first, then newest first (lexsort sorts by the last key first).
    order = np.lexsort((-dates.astype("datetime64[s]").astype(np.int64), -split))
    if limit is not None:
        order = order[:limit]
    rc = vm.roll_calls
    out = []
    for k in order:
        i = idx[k]
        row = rc.iloc[i]
        out.append(
            {
                "rcid": int(row["rcid"]),
                "date": pd.Timestamp(row["date"]).date().isoformat(),
                "session": int(row["session"]) if "session" in rc and pd.notna(row["session"]) else None,
                "resolution": row.get("resolution"),
                "short": row.get("short"),
                "source": row.get("source"),
                "votes": {a: CODE_LABELS[ca[i]], b: CODE_LABELS[cb[i]]},
                "split": float(split[k]),
            }
        )
    return out


def agreement(
    vm: VoteMatrix,
    a: str,
    b: str,
    measure: str = "share",
    include_absent: bool = False,
    n_boot: int = 1000,
    level: float = 0.95,
    random_state: int | None = 0,
    n_evidence: int | None = 20,
    label: str = "all",
) -> Result:
    """Agreement of states ``a`` and ``b`` over the roll calls of ``vm``.

    Parameters
    ----------
    vm : VoteMatrix
        Already cut to the period and subset wanted (:func:`orderwatch.votes.data.select`).
    a, b : str
        ISO3 codes.
    measure : {'share', 'kappa', 'pi', 's'}
    include_absent : bool
        Count absences as a vote category (share, kappa); S always excludes them.
    n_boot : int
        Bootstrap resamples of the shared roll calls.
    level : float
        Interval coverage.
    random_state : int or None
    n_evidence : int or None
        Roll calls to attach (most decisive first; None: all).
    label : str
        The subset name, for provenance.

    Returns
    -------
    Result
        ``value`` (NaN -> None when kappa is undefined), ``interval``, ``n``, ``evidence``;
        ``extra`` holds ``a``, ``b``, ``measure``.

    Raises
    ------
    NoSharedVotesError
        When the two states share no roll call in ``vm``.
    """
    k = n_categories(measure, include_absent)
    ja, jb = vm.column(a), vm.column(b)
    if ja < 0 or jb < 0:
        missing = a if ja < 0 else b
        raise NoSharedVotesError(f"no shared votes: {missing} cast no vote in the period and subset asked for")
    ca, cb = vm.codes[:, ja], vm.codes[:, jb]
    mask = dyad_codes(ca, cb, include_absent, measure)
    n = int(mask.sum())
    if n == 0:
        raise NoSharedVotesError(f"no shared votes: {a} and {b} both voted on no roll call in the period and subset asked for")
    rng = np.random.default_rng(random_state)
    weights = np.vstack([np.ones((1, n)), bootstrap_weights(n, n_boot, rng)])
    tables = tables_against(ca[mask], cb[mask][:, None], weights, k)[:, 0]
    values, _ = measure_from_tables(tables, measure)
    value = float(values[0])
    warnings = []
    lo = hi = None
    if n_boot > 0:
        lo_, hi_ = percentile_interval(values[1:], level)
        lo, hi = float(lo_), float(hi_)
    if np.isnan(value):
        warnings.append(f"{measure} is undefined: both states cast one and the same vote on every roll call")
    elif measure == "kappa" and (len(set(ca[mask])) == 1 or len(set(cb[mask])) == 1):
        warnings.append("one state cast a single vote category throughout, so kappa is 0 by construction; "
                        "Scott's pi (--measure pi) stays informative")
    if measure == "s" and include_absent:
        warnings.append("S places no absence on the yes-abstain-no line, so absences are excluded for S")
    if n < 10:
        warnings.append(f"only {n} shared roll calls: the interval is wide and unstable")
    src = sorted(set(vm.roll_calls.loc[mask, "source"])) if "source" in vm.roll_calls else []
    if "undl" in src:
        warnings.append(
            "2020-2025 roll calls (UN Digital Library) are adopted resolutions with a recorded vote only: "
            "no amendment, paragraph or failed-draft votes as in Voeten's data"
        )
    dates = vm.roll_calls.loc[mask, "date"]
    return Result(
        value=None if np.isnan(value) else value,
        interval=(lo, hi) if n_boot > 0 else None,
        level=level,
        n=n,
        evidence=evidence_rows(vm, a, b, mask, n_evidence),
        provenance=Provenance(
            method=f"votes.agreement.{measure}",
            parameters={
                "subset": label,
                "include_absent": include_absent,
                "n_boot": n_boot,
                "first": dates.min().date().isoformat(),
                "last": dates.max().date().isoformat(),
            },
            sources=[f"roll_calls:{s}" for s in src],
            random_state=random_state,
        ),
        warnings=warnings,
        extra={"a": a, "b": b, "measure": measure, "issue": label},
    )
