"""From the store's ``roll_calls`` and ``votes`` tables to one clean :class:`VoteMatrix`.

Two things are fixed here, once, for every votes model:

* The seam. Voeten's file ends with a roll call of 14 January 2020 that the UN Digital
  Library file (2020–2025) also holds; a roll call present in both (same resolution and
  date) is kept from Voeten's data only, so no vote is counted twice.
* Contested seats. Votes cast from a seat whose credentials the General Assembly left
  with an ousted government (Myanmar from February 2021, Afghanistan from August 2021;
  :mod:`orderwatch.votes.contested`) are set to missing: they are not the position of
  the government in power.
* Periods. :func:`select` cuts the matrix by dates, calendar years or sessions and by a
  named roll-call subset (see :mod:`orderwatch.votes.subsets`).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from orderwatch.votes.contested import CONTESTED_SEATS
from orderwatch.votes.matrix import MISSING, VoteMatrix, vote_matrix
from orderwatch.votes.subsets import subset_mask


def dedupe_roll_calls(roll_calls: pd.DataFrame) -> pd.DataFrame:
    """Drop non-Voeten roll calls that repeat a Voeten one (same resolution and date)."""
    rc = roll_calls.copy()
    if "source" not in rc or "resolution" not in rc:
        return rc
    key = rc["resolution"].astype(str) + "|" + pd.to_datetime(rc["date"]).dt.date.astype(str)
    voeten_keys = set(key[rc["source"] == "voeten"])
    dup = (rc["source"] != "voeten") & key.isin(voeten_keys) & rc["resolution"].notna()
    return rc.loc[~dup].reset_index(drop=True)


def prepare(roll_calls: pd.DataFrame, votes: pd.DataFrame) -> VoteMatrix:
    """Build the roll-call x state matrix used by agreement, ideal points and alignment.

    Parameters
    ----------
    roll_calls : DataFrame
        The store's ``roll_calls`` table (any subset of rows).
    votes : DataFrame
        The store's ``votes`` table (rows for roll calls not in ``roll_calls`` are ignored).

    Returns
    -------
    VoteMatrix
        Rows ordered by date then rcid; ``roll_calls`` carries a ``date`` of dtype
        datetime64 and a ``year``.
    """
    rc = dedupe_roll_calls(roll_calls)
    rc["date"] = pd.to_datetime(rc["date"])
    if "year" not in rc:
        rc["year"] = rc["date"].dt.year
    rc = rc.sort_values(["date", "rcid"], kind="stable").reset_index(drop=True)
    vm = vote_matrix(votes, rc)
    drop_contested(vm)
    return vm


def drop_contested(vm: VoteMatrix) -> None:
    """Set the votes cast from contested seats to missing, in place (see module docstring)."""
    if vm.codes.size == 0 or "date" not in vm.roll_calls:
        return
    dates = pd.to_datetime(vm.roll_calls["date"]).to_numpy()
    for iso, since in CONTESTED_SEATS.items():
        cols = np.flatnonzero(vm.iso3 == iso)
        if len(cols):
            rows = dates >= np.datetime64(pd.Timestamp(since))
            vm.codes[np.ix_(rows, cols)] = MISSING


def _as_date(value: str | dt.date | None) -> pd.Timestamp | None:
    return None if value is None else pd.Timestamp(value)


def select(
    vm: VoteMatrix,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    sessions: tuple[int, int] | None = None,
    years: tuple[int, int] | None = None,
    subset: str = "all",
) -> VoteMatrix:
    """The roll calls of a period and subset.

    Parameters
    ----------
    vm : VoteMatrix
    start, end : date-like, optional
        Inclusive date bounds.
    sessions : (int, int), optional
        Inclusive session bounds.
    years : (int, int), optional
        Inclusive calendar-year bounds (a roll call belongs to the year of its date).
    subset : str
        A name accepted by :func:`orderwatch.votes.subsets.subset_mask`.
    """
    rc = vm.roll_calls
    mask = np.array(subset_mask(rc, subset), dtype=bool)  # a copy: pandas may hand out read-only views
    s, e = _as_date(start), _as_date(end)
    if s is not None:
        mask &= (rc["date"] >= s).to_numpy()
    if e is not None:
        mask &= (rc["date"] <= e).to_numpy()
    if sessions is not None:
        mask &= rc["session"].between(*sessions).to_numpy()
    if years is not None:
        mask &= rc["year"].between(*years).to_numpy()
    return vm.subset_rows(np.asarray(mask, dtype=bool))
