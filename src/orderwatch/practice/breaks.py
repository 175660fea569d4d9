"""Regime breaks: a moving window must not lend a new regime its predecessor's practice.

When power changes hands by force, the arms a state imported in the years before belong to
the government that was ousted: the Taliban's Afghanistan did not receive the US aircraft
delivered to the Islamic Republic up to mid-2021. A five-year window ending in 2022-24 would
still hold them and read the new regime as +1. So a state-year governed by the new regime
reads only deliveries made under it.

The dates are the ones the votes stream uses for contested UN seats
(:data:`orderwatch.votes.contested.CONTESTED_SEATS`: Myanmar 2021-02-01, Afghanistan
2021-08-15): one list of regime changes for the whole project, not a copy.

SIPRI dates deliveries by year only, so the year of the break goes to the regime that held
power for most of it: the new one if the break falls on or before 2 July (Myanmar 2021),
the old one otherwise (Afghanistan 2021, whose 2021 deliveries were the Republic's).
State-years before that first new-regime year are unchanged.
"""

from __future__ import annotations

from datetime import date

from orderwatch.votes.contested import CONTESTED_SEATS

MID_YEAR = (7, 2)  # 2 July: from here on, the majority of the year is behind


def first_regime_year(since: str) -> int:
    """The first calendar year whose deliveries belong to the regime that took power on ``since``."""
    d = date.fromisoformat(since)
    return d.year if (d.month, d.day) <= MID_YEAR else d.year + 1


#: iso3 -> first year of the new regime (its deliveries and state-years).
REGIME_YEARS: dict[str, int] = {iso: first_regime_year(since) for iso, since in CONTESTED_SEATS.items()}


def window_start(iso3: str, year: int, window: int) -> int:
    """First delivery year of state-year (iso3, year)'s window: ``year - window + 1``, but
    never before the first year of the regime that governs ``year``."""
    start = year - window + 1
    first = REGIME_YEARS.get(iso3)
    if first is not None and year >= first:
        start = max(start, first)
    return start
