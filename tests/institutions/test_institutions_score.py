"""The weighing rules (framework scope, one occasion counted once, ATOP pacts, Russia's sign)."""

import datetime as dt

import pandas as pd
import pytest

from orderwatch.institutions.atop import merge, normalise
from orderwatch.institutions.catalog import parse
from orderwatch.institutions.measures import positions, ties, weigh

SRC = [{"citation": "Toy source", "url": "https://example.org/t"}]
D = dt.date(2020, 1, 1)


def _entry(aid, pole, depth, members, axes=("A1", "A2", "A3"), lead="CHN", **kw):
    return {"id": aid, "name": aid, "type": "x", "pole": pole, "lead": lead, "depth": depth, "axes": list(axes),
            "sources": SRC, "members": [{"iso3": m, "joined": D} for m in members], **kw}


def test_regional_framework_is_attached_to_the_organisation_not_each_member():
    cat = parse([_entry("CSF_REG", "China-led", 1, ["CHN", "SGX", "MYX"], scope="framework"),
                 _entry("FORUM", "ASEAN/inclusive", 1, ["SGX", "MYX", "CHN"], lead="ASEAN")])
    w = weigh(ties(cat, years=(2020, 2020))).set_index(["iso3", "arrangement_id"])
    assert w.loc[("SGX", "CSF_REG"), "weight"] == 0 and "framework" in w.loc[("SGX", "CSF_REG"), "note"]
    assert w.loc[("CHN", "CSF_REG"), "weight"] == 1
    p = positions(ties(cat, years=(2020, 2020)), ["SGX"], years=(2020, 2020))
    assert p.set_index("axis").loc["overall", "position"] == 0.0       # the forum only


def test_one_occasion_counts_once_per_state_and_axis():
    occ = "summit X"
    cat = parse([_entry("CSF_A", "China-led", 1, ["CHN", "UZX"], axes=("A3",), occasion=occ),
                 _entry("GSI_A", "China-led", 1, ["CHN", "UZX"], occasion=occ),
                 _entry("PART", "China-led", 2, ["CHN", "UZX"], axes=("A1",), occasion=occ)])
    t = ties(cat, years=(2020, 2020))
    over = weigh(t).query("iso3 == 'UZX'").set_index("arrangement_id")
    assert over["weight"].to_dict() == {"CSF_A": 0.0, "GSI_A": 0.0, "PART": 2.0}
    a3 = weigh(t, "A3").query("iso3 == 'UZX'").set_index("arrangement_id")
    assert a3["weight"].to_dict() == {"CSF_A": 1.0, "GSI_A": 0.0}          # same depth: first id kept
    p = positions(t, ["UZX"], years=(2020, 2020)).set_index("axis")
    assert p.loc["overall", "n"] == 1 and p.loc["overall", "position"] == pytest.approx(-2 / (2 + 5.5))


def test_russia_led_sign_is_a_documented_option():
    cat = parse([_entry("CST", "Russia-led", 4, ["RUS", "KZX"], lead="RUS")])
    t = ties(cat, years=(2020, 2020))
    assert positions(t, ["KZX"], years=(2020, 2020)).set_index("axis").loc["overall", "position"] == 0.0
    p = positions(t, ["KZX"], years=(2020, 2020), russia_with_china=True).set_index("axis")
    assert p.loc["overall", "position"] == pytest.approx(-4 / 9.5)


def test_atop_other_pacts_count_once_and_defence_pledges_carry_past_2018():
    cat = parse([_entry("NOTHING", "US-led", 1, ["USA", "ZZZ"], lead="USA")])
    raw = pd.DataFrame([(a, b, y, 1, 0, 0, 0, 0) for y in (2017, 2018)
                        for a, b in (("KWX", "SAX"), ("KWX", "OMX"), ("KWX", "USA"))]
                       + [("KWX", "IIX", 2018, 0, 0, 0, 0, 1)],
                       columns=["iso3_a", "iso3_b", "year", "defense", "offense", "neutral", "nonagg", "consul"])
    focus = {"KWX", "SAX", "OMX", "USA", "ZZZ", "IIX"}
    t = ties(cat, merge(normalise(raw), cat, focus), years=(2017, 2020))
    kw = weigh(t[t["iso3"] == "KWX"])
    y18 = kw[kw["year"] == 2018]
    assert y18.loc[y18["pole"] == "other", "weight"].tolist().count(4.0) == 1   # two Arab pacts -> one
    assert set(kw.loc[kw["year"] == 2020, "origin"]) == {"atop_carried"}        # defence carried
    assert not (kw["arrangement_id"].eq("ATOP:IIX-KWX") & kw["year"].gt(2018)).any()  # consultation not


def test_network_does_not_link_members_through_a_regional_framework():
    from orderwatch.institutions.network import graph

    cat = parse([_entry("CSF_REG", "China-led", 1, ["CHN", "SGX", "MYX"], scope="framework")])
    g = graph(ties(cat, years=(2020, 2020)), 2020)
    assert not g.has_edge("SGX", "MYX") and not g.has_edge("CHN", "SGX")
