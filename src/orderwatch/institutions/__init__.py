"""Institutions stream: Asia's security arrangements 1990-2025 as a dated, cited network.

``derive(read)`` turns the curated catalogue (data/arrangements.yaml) and ATOP 5.1 into
the stream's store tables; ``arrangements_for``, ``arrangement`` and ``network`` answer
the CLI, the web and the synthesis. See docs/institutions.md for the depth scale, the
ATOP conflict rule and the alignment score.
"""

from __future__ import annotations

from typing import Callable

import pandas as pd

from orderwatch.institutions.atop import merge as merge_atop
from orderwatch.institutions.atop import normalise as normalise_atop
from orderwatch.institutions.catalog import Catalog, load_catalog
from orderwatch.countries import covered_states
from orderwatch.institutions.measures import YEARS, positions, ties, ties_by_pole
from orderwatch.institutions.network import CoMembershipNetwork
from orderwatch.institutions.why import why
from orderwatch.institutions.query import (
    arrangement, arrangements_for, network, network_graphml, network_json, position_result,
)

__all__ = [
    "TABLES",
    "derive", "load_catalog", "Catalog", "arrangements_for", "arrangement", "network",
    "network_json", "network_graphml", "position_result", "CoMembershipNetwork", "focus_states", "why",
]

#: The store tables this stream's ``derive`` writes (the build checks it).
TABLES: tuple[str, ...] = (
    "institutions_arrangements",
    "institutions_atop",
    "institutions_memberships",
    "institutions_positions",
    "institutions_sources",
    "institutions_state_year",
    "institutions_ties",
)


def focus_states(countries: pd.DataFrame) -> list[str]:
    """Asian states (registry ``is_asian``), the Oceania partners and the reference powers."""
    return covered_states(countries)


def derive(read: Callable[[str], pd.DataFrame], random_state: int = 0) -> dict[str, pd.DataFrame]:
    """Build the institutions tables from the store.

    Parameters
    ----------
    read : callable
        ``read(name)`` returns a base table; uses 'countries' and 'alliances'.
    random_state : int
        Seed for Louvain community detection.

    Returns
    -------
    dict of DataFrame
        institutions_positions (positions-table shape), institutions_memberships,
        institutions_arrangements, institutions_sources, institutions_state_year,
        institutions_ties, institutions_atop.
    """
    countries = read("countries")
    catalog = load_catalog()
    states = focus_states(countries)
    atop = merge_atop(normalise_atop(read("alliances"), countries), catalog, set(states))
    tie_table = ties(catalog, atop)
    pos = positions(tie_table, states)

    nets = []
    for year in range(YEARS[0], YEARS[1] + 1):
        nets.append(CoMembershipNetwork(random_state=random_state).fit(tie_table, year).table())
    net = pd.concat(nets, ignore_index=True)
    sy = ties_by_pole(tie_table, states)
    overall = pos[pos["axis"] == "overall"][["iso3", "year", "position", "lo", "hi", "n"]].rename(
        columns={"position": "alignment", "lo": "alignment_lo", "hi": "alignment_hi", "n": "n_arrangements"})
    sy = sy.merge(overall, on=["iso3", "year"], how="left").merge(net, on=["iso3", "year"], how="left")
    asean = catalog.memberships[catalog.memberships["arrangement_id"] == "ASEAN"]
    sy["is_asean"] = [
        bool(((asean["iso3"] == i) & (asean["joined"].map(lambda d: d.year) <= y)).any())
        for i, y in zip(sy["iso3"], sy["year"])
    ]

    arr = catalog.arrangements.copy()
    arr["phases"] = arr["phases"].map(lambda ps: "; ".join(
        f"{p['start']}..{p['end'] or ''} depth {p['depth']} ({p['level']})" for p in ps) or None)
    arr["atop_override"] = arr["atop_override"].map(lambda o: str(o) if o else None)
    mem = catalog.memberships.merge(arr[["arrangement_id", "name", "type", "pole", "depth"]], on="arrangement_id")
    for col in ("joined", "left"):
        mem[col] = pd.to_datetime(mem[col])
    arr["start"] = pd.to_datetime(arr["start"])
    return {
        "institutions_positions": pos,
        "institutions_memberships": mem,
        "institutions_arrangements": arr,
        "institutions_sources": catalog.sources.copy(),
        "institutions_state_year": sy,
        "institutions_ties": tie_table,
        "institutions_atop": atop,
    }
