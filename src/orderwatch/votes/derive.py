"""The votes stream's derived tables, written into the store by ``orderwatch build``.

``derive(read)`` reads the base tables ``roll_calls`` and ``votes`` and returns

votes_positions
    The positions-table shape of docs/ARCHITECTURE.md (iso3, year, axis, position, lo, hi,
    n, method) for every Asian state and the reference powers (USA, CHN, RUS), every year
    1946–2025 and the axes A1, A2, A3 and overall; method ``kappa_diff`` (the
    pole-normalised kappa difference of :mod:`orderwatch.votes.alignment`), or ``pi_diff``
    where a one-category ballot makes kappa 0 by construction; NaN where
    there is no evidence (before China's pole exists in 1971, or under 5 roll calls).
votes_ideal_points
    Per-session ideal points (issue ``all`` and ``security``) for every state:
    session, year, iso3, ideal_point, se, se_method, issue, n_votes, n_rollcalls, method.
    Standard errors here are the Laplace ones (the bootstrap for every session would cost
    most of the build; ``orderwatch votes ideal`` and ``fit_session(n_boot=...)`` give
    bootstrap standard errors on demand).
votes_pole_alignment
    Per state, year and axis: kappa_chn, kappa_usa, diff (= kappa_chn − kappa_usa) with
    its bootstrap interval diff_lo/diff_hi, kappa_cu, pi_chn, pi_usa, position/lo/hi, n,
    measure (which index the position uses), the ideal points
    of the state and the poles and ideal_position, and ``seam`` (which data regime the year
    is in: see :data:`orderwatch.votes.alignment.SEAM_NOTES`).
"""

from __future__ import annotations

from typing import Callable

import pandas as pd

from orderwatch import countries
from orderwatch.schema import POSITION_COLUMNS
from orderwatch.votes.alignment import pole_alignment
from orderwatch.votes.data import prepare
from orderwatch.votes.sessions import fit_sessions

N_BOOT_ALIGNMENT = 200
SEED = 20240101


def report_states() -> list[str]:
    """Asian states, the Oceania partners and the reference powers (``countries.observed``)."""
    return countries.observed()


def derive(read: Callable[[str], pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Compute the votes stream's tables from the store's base tables.

    Parameters
    ----------
    read : callable
        ``read(name)`` returns a store table as a DataFrame (``roll_calls``, ``votes``).

    Returns
    -------
    dict
        ``votes_positions``, ``votes_ideal_points``, ``votes_pole_alignment``.
    """
    vm = prepare(read("roll_calls"), read("votes"))
    ideal = pd.concat(
        [fit_sessions(vm, issue="all", n_boot=0), fit_sessions(vm, issue="security", n_boot=0)],
        ignore_index=True,
    )
    align = pole_alignment(vm, report_states(), ideal_points=ideal, n_boot=N_BOOT_ALIGNMENT, random_state=SEED)
    method = align["measure"].map({"kappa": "kappa_diff", "pi": "pi_diff"})
    positions = align.assign(method=method)[POSITION_COLUMNS].reset_index(drop=True)
    return {"votes_positions": positions, "votes_ideal_points": ideal, "votes_pole_alignment": align}
