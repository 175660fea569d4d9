"""What if: re-rank states under other weights, years, streams or issue subsets.

A scenario is a set of choices -- stream weights, the year range, which streams count,
which axes (issue areas) make up the overall figure. :func:`scenario_ranking` ranks
the states on their mean position over the year range under the scenario and beside
the baseline (default weights, all streams, the streams' own overall), so the user sees
who moves. :func:`pivotal_states` lists the states closest to the midpoint (those whose
interval contains 0 first) and the largest year-on-year moves.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from orderwatch.synthesis.positions import combined_positions


def mean_over_years(positions: pd.DataFrame, axis: str = "overall") -> pd.DataFrame:
    """Mean position per state over the years with evidence (NaN if none).

    The interval is the mean of the yearly intervals: it treats yearly errors as fully
    correlated, the conservative choice for a persistent measurement bias.
    """
    sub = positions[positions["axis"] == axis]
    agg = sub.groupby("iso3").agg(
        position=("position", "mean"), lo=("lo", "mean"), hi=("hi", "mean"),
        years_with_data=("position", "count"),
    ).reset_index()
    return agg


def rank_table(frame: pd.DataFrame, column: str = "position") -> pd.Series:
    """Rank descending (1 = closest to the US pole); NaN stays unranked."""
    return frame[column].rank(ascending=False, method="min")


def scenario_ranking(
    tables: Mapping[str, pd.DataFrame | None],
    countries: pd.DataFrame | None = None,
    weights: Mapping[str, float] | None = None,
    years: tuple[int, int] = (2020, 2025),
    streams: Sequence[str] | None = None,
    axes: Sequence[str] | None = None,
    axis: str = "overall",
    methods: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Rank states under a scenario, beside the baseline.

    Returns
    -------
    DataFrame
        ``iso3, position, lo, hi, years_with_data, rank, base_position, base_rank,
        rank_change`` (positive ``rank_change`` = moved towards the US end of the table).
    """
    scen = combined_positions(tables, countries, weights=weights, years=years, streams=streams,
                              overall_axes=axes, methods=methods)
    base = combined_positions(tables, countries, years=years, methods=methods)
    s = mean_over_years(scen, axis)
    b = mean_over_years(base, axis)
    s["rank"] = rank_table(s)
    b["rank"] = rank_table(b)
    out = s.merge(b[["iso3", "position", "rank"]].rename(
        columns={"position": "base_position", "rank": "base_rank"}), on="iso3", how="left")
    out["rank_change"] = out["base_rank"] - out["rank"]
    return out.sort_values(["rank", "iso3"], na_position="last", ignore_index=True)


def pivotal_states(positions: pd.DataFrame, year: int, axis: str = "overall", k: int = 10) -> dict:
    """States closest to the midpoint in ``year`` and the largest moves since ``year - 1``.

    Returns
    -------
    dict
        ``closest``: DataFrame ``iso3, position, lo, hi, straddles_zero`` sorted by
        ``|position|``; ``movers``: DataFrame ``iso3, position, previous, change`` sorted
        by ``|change|``. Both limited to ``k`` rows; states without data are left out
        (they are not pivotal, they are unmeasured).
    """
    sub = positions[positions["axis"] == axis]
    now = sub[sub["year"] == year].dropna(subset=["position"]).copy()
    now["straddles_zero"] = (now["lo"] <= 0) & (now["hi"] >= 0)
    now["distance"] = now["position"].abs()
    closest = now.sort_values(["straddles_zero", "distance"], ascending=[False, True]).head(k)
    prev = sub[sub["year"] == year - 1][["iso3", "position"]].rename(columns={"position": "previous"})
    moves = now[["iso3", "position"]].merge(prev, on="iso3").dropna()
    moves["change"] = moves["position"] - moves["previous"]
    moves = moves.reindex(moves["change"].abs().sort_values(ascending=False).index).head(k)
    return {
        "closest": closest[["iso3", "position", "lo", "hi", "straddles_zero"]].reset_index(drop=True),
        "movers": moves.reset_index(drop=True),
    }


def year_on_year(positions: pd.DataFrame, axis: str = "overall") -> pd.DataFrame:
    """Change of each state's position from the previous year (NaN across gaps)."""
    sub = positions[positions["axis"] == axis][["iso3", "year", "position"]].sort_values(["iso3", "year"])
    sub["change"] = sub.groupby("iso3")["position"].diff()
    sub.loc[sub.groupby("iso3")["year"].diff() != 1, "change"] = np.nan
    return sub.reset_index(drop=True)
