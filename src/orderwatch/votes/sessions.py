"""Ideal points for every UNGA session (and for the security subset of each session).

Each session is fitted on its own (as Voeten's per-session estimates, unlike Bailey,
Strezhnev & Voeten's dynamic model that bridges sessions through repeated resolutions), so
ideal points are comparable *within* a session; across sessions compare positions relative
to the two poles (:mod:`orderwatch.votes.alignment`), not raw values.

A session's ``year`` is the calendar year holding most of its roll calls (sessions open in
September and vote mostly in December). A roll call without a session (a user's vote export
without the column, ingested before sessions were derived) is placed by its date with
:func:`orderwatch.unga.session_of`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orderwatch.unga import session_of
from orderwatch.votes.ideal import EMIdealPoints
from orderwatch.votes.matrix import VoteMatrix
from orderwatch.votes.subsets import subset_mask

COLUMNS = ["session", "year", "iso3", "ideal_point", "se", "se_method", "issue", "n_votes", "n_rollcalls", "method"]


def sessions(rc: pd.DataFrame) -> np.ndarray:
    """The session of each roll call as int64, a missing one derived from its date (-1 when
    the date is missing too)."""
    s = pd.to_numeric(rc["session"], errors="coerce")
    if not s.isna().any():
        return s.to_numpy(dtype="int64")
    dates = pd.to_datetime(rc["date"], errors="coerce") if "date" in rc else pd.Series(pd.NaT, index=rc.index)
    derived = [session_of(d.date()) if pd.notna(d) else -1 for d in dates]
    return s.fillna(pd.Series(derived, index=rc.index)).to_numpy(dtype="int64")


def session_years(vm: VoteMatrix) -> pd.Series:
    """Modal calendar year of each session's roll calls (ties: the earlier year)."""
    rc = vm.roll_calls.assign(session=sessions(vm.roll_calls))
    counts = rc.groupby(["session", "year"]).size().reset_index(name="k")
    counts = counts.sort_values(["session", "k", "year"], ascending=[True, False, True])
    return counts.drop_duplicates("session").set_index("session")["year"]


def fit_session(
    vm: VoteMatrix,
    session: int,
    issue: str = "all",
    n_boot: int = 50,
    random_state: int | None = 0,
    issue_mask: np.ndarray | None = None,
    **kwargs,
) -> pd.DataFrame:
    """Ideal points of one session (rows only for states with an estimate).

    Parameters
    ----------
    vm : VoteMatrix
    session : int
    issue : str
        Roll-call subset (``all``, ``security``, an issue code ...).
    n_boot : int
        Bootstrap resamples of roll calls for the standard errors; 0 gives the Laplace
        (curvature) standard errors instead (``se_method`` says which).
    random_state : int or None
    issue_mask : ndarray of bool, optional
        The rows of ``issue`` if already computed (saves recomputing it per session).
    **kwargs
        Passed to :class:`~orderwatch.votes.ideal.EMIdealPoints`.

    Returns
    -------
    DataFrame
        Columns of :data:`COLUMNS`.
    """
    rc = vm.roll_calls
    if issue_mask is None:
        issue_mask = subset_mask(rc, issue)
    mask = (sessions(rc) == session) & np.asarray(issue_mask, dtype=bool)
    if not mask.any():
        return pd.DataFrame(columns=COLUMNS)
    codes = vm.codes[mask]
    present = (codes >= 0).any(axis=0)
    codes = codes[:, present]
    iso3 = vm.iso3[present]
    model = EMIdealPoints(n_boot=n_boot, random_state=random_state, **kwargs).fit(codes, orient=iso3 == "USA")
    ok = ~np.isnan(model.ideal_points_)
    year = rc.loc[mask, "year"].mode().min()
    return pd.DataFrame(
        {
            "session": int(session),
            "year": int(year),
            "iso3": iso3[ok],
            "ideal_point": model.ideal_points_[ok],
            "se": (model.se_ if n_boot > 0 else model.se_laplace_)[ok],
            "se_method": "bootstrap" if n_boot > 0 else "laplace",
            "issue": issue,
            "n_votes": model.n_votes_[ok].astype("int64"),
            "n_rollcalls": int(np.isfinite(model.beta_).sum()),
            "method": "em_probit",
        }
    )[COLUMNS]


def fit_sessions(
    vm: VoteMatrix, issue: str = "all", n_boot: int = 20, random_state: int | None = 0, **kwargs
) -> pd.DataFrame:
    """Ideal points of every session in ``vm`` (see :func:`fit_session`)."""
    # sessions derived once here (fit_session would derive them again per session)
    vm = VoteMatrix(vm.codes, vm.rcids, vm.iso3, vm.roll_calls.assign(session=sessions(vm.roll_calls)))
    issue_mask = subset_mask(vm.roll_calls, issue)
    frames = [
        fit_session(vm, int(s), issue, n_boot=n_boot, random_state=random_state, issue_mask=issue_mask, **kwargs)
        for s in np.unique(sessions(vm.roll_calls)) if s > 0
    ]
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)
