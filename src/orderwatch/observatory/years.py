"""The one default-year rule: which year every surface shows when none is asked for.

The rule is the synthesis' publication rule (:func:`orderwatch.synthesis.publish.default_year`):
the newest *non-provisional* year in which nearly as many states have a published figure
as in the best-covered year. A year is provisional when its evidence is thin across the
board (few recorded votes, no General Debate speech scored yet:
:func:`orderwatch.synthesis.publish.year_evidence`), so a newest year that only the votes
and institutions reach is never the default "latest".

The combined table carries ``published`` and ``provisional`` columns; a stream's table
does not, so its provisional years are taken from the same year evidence. The overview,
the map and rankings, the country page and report, and ``orderwatch positions`` /
``country`` all call :func:`default_year` here.
"""

from __future__ import annotations

from typing import Iterable, Mapping

import pandas as pd

from orderwatch.synthesis.publish import default_year as publication_default_year
from orderwatch.synthesis.publish import year_evidence


def provisional_years(tables: Mapping[str, pd.DataFrame | None]) -> set[int]:
    """Calendar years whose evidence is thin, from the votes and words stream tables.

    >>> votes = pd.DataFrame({"iso3": ["PHL"] * 2, "year": [2024, 2025], "axis": ["overall"] * 2,
    ...                       "position": [0.1, 0.2], "n": [80, 12]})
    >>> sorted(provisional_years({"votes": votes}))
    [2025]
    """
    ev = year_evidence(tables)
    return {int(y) for y in ev.loc[ev["provisional"].astype(bool), "year"]}


def default_year(positions: pd.DataFrame, axis: str = "overall",
                 provisional: Iterable[int] = ()) -> int | None:
    """The default year of a positions table (combined or one stream's); None when empty.

    ``provisional`` marks thin years in a table that has no ``provisional`` column. When
    every year is provisional, the rule falls back to coverage alone.

    >>> pos = pd.DataFrame({"iso3": ["PHL", "VNM", "PHL", "VNM"], "year": [2024, 2024, 2025, 2025],
    ...                     "axis": ["overall"] * 4, "position": [0.3, -0.2, 0.3, -0.1]})
    >>> default_year(pos), default_year(pos, provisional={2025}), default_year(pos, provisional={2024, 2025})
    (2025, 2024, 2025)
    """
    if "provisional" not in positions.columns:
        positions = positions.assign(provisional=positions["year"].isin(set(provisional)))
    year = publication_default_year(positions, axis)
    if year is None and positions["provisional"].astype(bool).any():
        # Every year with figures is provisional (a store of thin data): the rule on coverage alone.
        year = publication_default_year(positions.drop(columns="provisional"), axis)
    return year


def figure_year(rows: pd.DataFrame, until: int | None, provisional: Iterable[int] = ()) -> int | None:
    """The year of a state's figure to show: the newest year up to ``until`` with a
    position, non-provisional years first. ``rows`` are one state's rows on one axis.

    >>> rows = pd.DataFrame({"year": [2022, 2023, 2025], "position": [0.1, None, 0.3]})
    >>> figure_year(rows, 2024), figure_year(rows, None, provisional={2025}), figure_year(rows, 2021)
    (2022, 2022, None)
    """
    have = rows[rows["position"].notna()]
    if until is not None:
        have = have[have["year"] <= until]
    if have.empty:
        return None
    thin = have["provisional"].astype(bool) if "provisional" in have.columns \
        else have["year"].isin(set(provisional))
    settled = have[~thin.to_numpy()]
    return int((settled if len(settled) else have)["year"].max())
