"""One state's practice figures with the evidence behind them, for the CLI, the web and
notebooks. Each function takes the store's base tables as DataFrames and recomputes the
state's figures with the stream's own code and seed, so the answer equals the stored
tables for the default options and also serves the options the build does not store
(``russia_with_china``, another window).
"""

from __future__ import annotations

import math

import pandas as pd

from orderwatch.errors import OrderwatchError
from orderwatch.practice import arms, exercises, forces
from orderwatch.sources.practice import state_years

SIPRI_CITATION = "SIPRI Arms Transfers Database, Stockholm International Peace Research Institute, 2025"
EXERCISES_NOTE = ("exercise data (MME v7) stop in 2010: later years are null; extending them needs a curated, "
                  "sourced exercise list")


def _records(df: pd.DataFrame) -> list[dict]:
    return [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
            for r in df.to_dict("records")]


def _grid(iso3: str, years: tuple[int, int]) -> pd.DataFrame:
    if years[0] > years[1]:
        raise OrderwatchError(f"years {years[0]}-{years[1]}: the first year is after the last")
    grid = state_years([iso3], years)
    if grid.empty:
        raise OrderwatchError(f"{iso3}: no state-years in {years[0]}-{years[1]} (not a state in the "
                              "Gleditsch-Ward list then, or not covered)")
    return grid


def arms_result(deals: pd.DataFrame, iso3: str, years: tuple[int, int], *, russia_with_china: bool = False,
                window: int = arms.WINDOW, random_state: int = 0, allies_with_us: bool = False) -> dict:
    """Per-year arms position, shares and interval, plus the deals delivered in the span."""
    if window < 1:
        raise OrderwatchError(f"window must be at least 1 year, not {window}")
    grid = _grid(iso3, years)
    mine = deals[deals.recipient_iso3 == iso3]
    dy = arms.deal_years(mine)
    table = arms.arms_positions(dy, grid, window=window, russia_with_china=russia_with_china,
                                allies_with_us=allies_with_us, random_state=random_state).table
    span = dy[(dy.year > years[0] - window) & (dy.year <= years[1])]
    in_span = span.groupby("deal_id").agg(tiv_in_span=("tiv", "sum"), pole=("pole", "last"))
    ev = mine.set_index("deal_id").loc[in_span.index].join(in_span).reset_index()
    ev = ev.sort_values(["tiv_in_span", "deal_id"], ascending=[False, True])
    cols = ["deal_id", "supplier", "supplier_iso3", "pole", "weapon_description", "order_year", "first_delivery",
            "last_delivery", "tiv_delivered", "tiv_in_span", "tiv_by_year"]
    return {"iso3": iso3, "years": list(years), "window": window, "russia_with_china": russia_with_china,
            "allies_with_us": allies_with_us,
            "method": arms.METHOD if window == arms.WINDOW else f"tiv_share_{window}y",
            "rows": _records(table.drop(columns=["russia_with_china", "allies_with_us"])), "deals": _records(ev[cols]),
            "citation": SIPRI_CITATION}


def forces_result(troops: pd.DataFrame, bases: pd.DataFrame, iso3: str, years: tuple[int, int], *,
                  russia_with_china: bool = False) -> dict:
    """Per-year US troops, presence levels and position, the curated Chinese and Russian
    presences (with sources) and the undated US base list."""
    grid = _grid(iso3, years)
    presence = forces.foreign_presence()
    table = forces.forces_positions(troops, presence, grid, russia_with_china=russia_with_china)
    mine = presence[(presence.host_iso3 == iso3) & (presence.from_year <= years[1])
                    & (presence.to_year.isna() | (presence.to_year.fillna(9999) >= years[0]))]
    return {"iso3": iso3, "years": list(years), "russia_with_china": russia_with_china, "method": forces.METHOD,
            "thresholds": list(forces.THRESHOLDS), "rows": _records(table.drop(columns=["russia_with_china"])),
            "foreign_presence": _records(mine.astype(object)),
            "us_bases_snapshot": _records(bases[bases.iso3 == iso3].drop(columns=["iso3"])),
            "citation": "DMDC via troopdata (Allen, Flynn & Machain); Vine (2015) Base Nation"}


def exercises_result(participations: pd.DataFrame, iso3: str, years: tuple[int, int], *,
                     russia_with_china: bool = False, random_state: int = 0) -> dict:
    """Per-year exercise position (1980-2010) and the exercises behind it with partners."""
    grid = _grid(iso3, years)
    sides = exercises.exercise_sides(participations, [iso3], russia_with_china=russia_with_china)
    table = exercises.exercise_positions(sides, grid, random_state=random_state)
    table = grid.merge(table, how="left", on=["iso3", "year"])
    for col in ("n", "n_us", "n_gsi", "n_both", "n_neither", "n_with_russia"):
        table[col] = table[col].fillna(0).astype("int64")
    ev = sides[(sides.year > years[0] - exercises.WINDOW) & (sides.year <= years[1])].sort_values(["year", "mmeid"])
    return {"iso3": iso3, "years": list(years), "russia_with_china": russia_with_china, "method": exercises.METHOD,
            "coverage": list(exercises.YEARS), "note": EXERCISES_NOTE, "rows": _records(table),
            "exercises": _records(ev.drop(columns=["iso3"])),
            "citation": "D'Orazio & Galambos (2021), Multinational Military Exercises 1980-2010, "
                        "doi:10.7910/DVN/KHFODX"}
