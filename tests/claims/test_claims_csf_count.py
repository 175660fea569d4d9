"""The community-with-a-shared-future count claim, on a toy catalogue and on the real one."""

from __future__ import annotations

import pandas as pd

from orderwatch.claims.data import ClaimData
from orderwatch.claims.measures import measure_csf_count
from orderwatch.institutions import catalog

CLAIM = {"id": "csf", "measure": "csf_count", "date": "2024-07-29", "neighbours": 2, "regional": 1}


def toy(rows):
    tables = {"institutions_arrangements": pd.DataFrame(rows, columns=["arrangement_id", "name", "csf", "start"])}
    return ClaimData(lambda name: tables[name])


def test_counts_only_declarations_on_or_before_the_date():
    data = toy([("A", "a", "neighbour", "2015-04-20"), ("B", "b", "neighbour", "2024-07-29"),
                ("C", "c", "neighbour", "2024-07-30"), ("R", "r", "regional", "2013-10-03"),
                ("X", "x", None, "2000-01-01")])
    out = measure_csf_count(CLAIM, data)
    assert out["verdict"] == "supported"
    assert out["figures"]["neighbour_observed"] == 2 and out["figures"]["regional_observed"] == 1


def test_one_count_off_is_mixed_both_off_contradicted():
    data = toy([("A", "a", "neighbour", "2015-04-20"), ("R", "r", "regional", "2013-10-03")])
    assert measure_csf_count(CLAIM, data)["verdict"] == "mixed"
    data = toy([("A", "a", "neighbour", "2015-04-20")])
    assert measure_csf_count(CLAIM, data)["verdict"] == "contradicted"


def test_missing_table_is_not_testable():
    out = measure_csf_count(CLAIM, ClaimData(lambda name: (_ for _ in ()).throw(KeyError(name))))
    assert out["verdict"] == "not_testable"


def test_real_catalogue_gives_the_seed_neighbour_count():
    arr = catalog.load_catalog().arrangements
    out = measure_csf_count({**CLAIM, "neighbours": 14, "regional": 2}, ClaimData(lambda n: arr))
    assert out["figures"]["neighbour_observed"] == 14


def test_arrangement_measure_checks_members_on_the_date():
    from orderwatch.claims.measures import measure_arrangement

    arr = pd.DataFrame({"arrangement_id": ["GSI_X"], "name": ["x"], "type": ["GSI endorsement"],
                        "source_citation": ["a joint statement"], "source_url": ["https://example.org/x"]})
    mem = pd.DataFrame({"arrangement_id": ["GSI_X", "GSI_X"], "iso3": ["CHN", "IDN"],
                        "joined": ["2022-07-26", "2022-07-26"], "left": [None, None]})
    data = ClaimData(lambda n: {"institutions_arrangements": arr, "institutions_memberships": mem}[n])
    claim = {"arrangement": "GSI_X", "date": "2022-07-26", "countries": ["IDN"]}
    out = measure_arrangement(claim, data)
    assert out["verdict"] == "supported" and out["evidence"][0]["url"] == "https://example.org/x"
    assert measure_arrangement({**claim, "date": "2022-07-25"}, data)["verdict"] == "contradicted"
    assert measure_arrangement({**claim, "countries": ["IDN", "MYS"]}, data)["verdict"] == "mixed"
    assert measure_arrangement({**claim, "arrangement": "NOPE"}, data)["verdict"] == "not_testable"
