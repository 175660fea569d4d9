"""Practice stream: what states do with their armed forces — whose arms they import, whose
troops they host, with whom they exercise — as positions between China's pole (−1) and
the US pole (+1).

``derive(read)`` writes the stream's tables (docs/practice.md): ``practice_positions``
(standard shape, A1 and overall), ``practice_state_year`` (the components side by side),
and the evidence tables ``practice_arms``, ``practice_arms_deals``, ``practice_forces``,
``practice_foreign_presence``, ``practice_exercises``, ``practice_exercise_partners``.
"""

from __future__ import annotations

from typing import Callable

import pandas as pd

from orderwatch.practice import arms, exercises, forces
from orderwatch.countries import covered_states
from orderwatch.practice.positions import DEFAULT_WEIGHTS, REFERENCE_POWERS, combine, positions_table
from orderwatch.practice.query import arms_result, exercises_result, forces_result
from orderwatch.sources.practice import state_years

YEARS = (arms.YEARS[0], arms.YEARS[1])
__all__ = ["TABLES", "derive", "covered_states", "arms_result", "forces_result", "exercises_result", "DEFAULT_WEIGHTS",
           "REFERENCE_POWERS", "YEARS"]

#: The store tables this stream's ``derive`` writes (the build checks it).
TABLES: tuple[str, ...] = (
    "practice_arms",
    "practice_arms_deals",
    "practice_exercise_partners",
    "practice_exercises",
    "practice_forces",
    "practice_foreign_presence",
    "practice_positions",
    "practice_state_year",
)


def derive(read: Callable[[str], pd.DataFrame], random_state: int = 0) -> dict[str, pd.DataFrame]:
    """Build the practice tables from the store's base tables.

    Parameters
    ----------
    read : callable
        ``read(name)`` returns a base table; uses countries, arms_deals, us_troops,
        exercise_participations.
    random_state : int
        Seed of the bootstrap intervals (arms deals, exercises).
    """
    states = covered_states(read("countries"))
    grid = state_years(states, YEARS)
    deals = read("arms_deals")
    dy = arms.deal_years(deals)
    arms_tab = arms.arms_positions(dy, grid, random_state=random_state).table
    alt = arms.arms_positions(dy, grid, russia_with_china=True, n_boot=0).table
    arms_tab["position_russia_with_china"] = alt.position.to_numpy()
    # the pre-7-Dec-2026 rule (US treaty allies on the US side), kept beside it for comparison
    old = arms.arms_positions(dy, grid, allies_with_us=True, n_boot=0).table
    arms_tab["position_allies_with_us"] = old.position.to_numpy()
    presence = forces.foreign_presence()
    forces_tab = forces.forces_positions(read("us_troops"), presence, grid)
    sides = exercises.exercise_sides(read("exercise_participations"), states)
    ex_tab = exercises.exercise_positions(sides, grid, random_state=random_state)
    wide = combine({"arms": arms_tab, "forces": forces_tab, "exercises": ex_tab}, grid)
    evidence = dy.merge(deals[["deal_id", "weapon_description", "order_year", "tiv_delivered"]], on="deal_id")
    evidence = evidence.rename(columns={"recipient_iso3": "iso3"})[
        ["deal_id", "iso3", "year", "supplier", "supplier_iso3", "pole", "weapon_description", "order_year", "tiv",
         "tiv_delivered"]]
    return {
        "practice_positions": positions_table(wide),
        "practice_state_year": wide,
        "practice_arms": arms_tab,
        "practice_arms_deals": evidence,
        "practice_forces": forces_tab,
        "practice_foreign_presence": presence.copy(),
        "practice_exercises": ex_tab,
        "practice_exercise_partners": sides,
    }
