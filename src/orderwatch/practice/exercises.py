"""Military exercises 1980-2010 (Multinational Military Exercises v7): with whom a state
trains, as a position per state-year.

Each exercise a state joined in the window (the five years ending at ``year``, as for
arms) scores +1 if its partners include the US or a US treaty ally (blocs.py) and no
member of China's pole, -1 if they include China (or Russia, with ``russia_with_china``)
and nobody from the US pole, and 0 if they include both or neither. The position is the
mean score; the interval resamples exercises (B = 500, seeded per state-year), with the same
rule-of-three floor as arms (``blocs.widen``); null where the state joined no exercise in
the window.

The data stop in 2010. Years after 2010 are null, never carried forward. Extending them
needs an exercise list curated with a source per row (e.g. the US Indo-Pacific Command and
PLA press releases, Vostok/Tsentr/Peace Mission for the SCO, Cobra Gold, RIMPAC, Balikatan,
Talisman Sabre, Malabar), coded like MME: participants, dates, domains.

References
----------
D'Orazio, V. & Galambos, A. (2021). Multinational Military Exercises, 1980-2010. Harvard
Dataverse, doi:10.7910/DVN/KHFODX.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orderwatch.practice.arms import rng_for
from orderwatch.practice.blocs import is_us_ally, widen

YEARS = (1980, 2010)
WINDOW = 5
N_BOOT = 500
METHOD = "exercise_partners_5y"


def exercise_sides(participations: pd.DataFrame, states: list[str], russia_with_china: bool = False) -> pd.DataFrame:
    """One row per (state, exercise) for the given states: partners, the side and score."""
    gsi = {"CHN"} | ({"RUS"} if russia_with_china else set())
    wanted = set(states)
    p = participations.dropna(subset=["iso3"])
    members: dict[str, set] = {}
    meta: dict[str, tuple[int, str]] = {}
    for mmeid, year, name, iso3 in zip(p.mmeid, p.year, p.exercise, p.iso3):
        members.setdefault(mmeid, set()).add(iso3)
        meta.setdefault(mmeid, (int(year), name))
    rows = []
    for mmeid, who in members.items():
        year, name = meta[mmeid]
        for iso3 in sorted(who & wanted):
            partners = sorted(who - {iso3})
            us = any(is_us_ally(q, year) for q in partners)
            cn = any(q in gsi for q in partners)
            side = "both" if us and cn else "us" if us else "gsi" if cn else "neither"
            rows.append((iso3, year, mmeid, name, ";".join(partners), side, {"us": 1, "gsi": -1}.get(side, 0),
                         "RUS" in partners))
    out = pd.DataFrame(rows, columns=["iso3", "year", "mmeid", "exercise", "partners", "side", "score", "with_russia"])
    return out.sort_values(["iso3", "year", "mmeid"]).reset_index(drop=True)


def exercise_positions(sides: pd.DataFrame, state_years: pd.DataFrame, *, window: int = WINDOW,
                       n_boot: int = N_BOOT, random_state: int = 0, level: float = 0.95) -> pd.DataFrame:
    """Mean exercise score per state-year in YEARS (null outside them or with no exercise)."""
    a = (1 - level) / 2
    grid = state_years[state_years.year.between(*YEARS)]
    by_state = {k: (g.year.to_numpy(), g.score.to_numpy(float), g.side.to_numpy(), g.with_russia.to_numpy(bool))
                for k, g in sides.groupby("iso3")}
    rows = []
    for iso3, years in grid.groupby("iso3").year:
        empty = (np.array([], int), np.array([]), np.array([], object), np.array([], bool))
        yrs, scores, side, russia = by_state.get(iso3, empty)
        for y in sorted(int(v) for v in years):
            m = (yrs > y - window) & (yrs <= y)
            s = scores[m]
            row = {"iso3": iso3, "year": y, "n": int(m.sum())}
            if len(s):
                boot = s[rng_for(random_state, iso3, y).integers(0, len(s), size=(n_boot, len(s)))].mean(axis=1)
                lo, hi = widen(float(s.mean()), np.quantile(boot, [a, 1 - a]), len(s))
                row.update(position=float(s.mean()), lo=lo, hi=hi,
                           n_with_russia=int(russia[m].sum()),
                           **{f"n_{k}": int((side[m] == k).sum()) for k in ("us", "gsi", "both", "neither")})
            rows.append(row)
    out = pd.DataFrame(rows)
    counts = ("n_us", "n_gsi", "n_both", "n_neither", "n_with_russia")
    for col in ("position", "lo", "hi", *counts):
        if col not in out:
            out[col] = np.nan
    for col in counts:
        out[col] = out[col].fillna(0).astype("int64")
    out["method"] = METHOD
    return out[["iso3", "year", "position", "lo", "hi", "n", *counts, "method"]]
