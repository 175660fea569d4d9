"""Known answers for the alignment score, the ATOP merge rule and the network."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orderwatch.institutions.atop import merge, normalise
from orderwatch.institutions.catalog import parse
from orderwatch.institutions.measures import alignment, positions, ties
from orderwatch.institutions.network import CoMembershipNetwork


def test_alignment_known_answers():
    pos, lo, hi = alignment(np.array([4.0, 0, 2, 1, 0]), np.array([0, 4.0, 2, 1, 0]), np.array([0, 0, 0, 2, 0]))
    # (W_US - W_CN) / (W + 1.5 + 4): one treaty alliance alone is 4 / 9.5, not 1
    np.testing.assert_allclose(pos[:4], [4 / 9.5, -4 / 9.5, 0.0, 0.0])
    assert np.isnan(pos[4]) and np.isnan(lo[4])                 # no evidence is NaN, never 0
    assert lo[0] < 0.2 and hi[1] > -0.2                         # thin evidence, wide interval
    # without the neutral prior the estimate is the Jeffreys posterior mean
    np.testing.assert_allclose(alignment(np.array([4.0]), np.array([0.0]), np.array([0.0]), 0.0)[0], [4 / 5.5])
    # the prior's weight fades with evidence: 40 units of one pole reach 40 / 45.5
    np.testing.assert_allclose(alignment(np.array([40.0]), np.array([0.0]), np.array([0.0]))[0], [40 / 45.5])
    # more evidence, narrower interval
    _, lo1, hi1 = alignment(np.array([1.0]), np.array([0.0]), np.array([1.0]))
    _, lo2, hi2 = alignment(np.array([10.0]), np.array([0.0]), np.array([10.0]))
    assert (hi2 - lo2)[0] < (hi1 - lo1)[0]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20), st.integers(0, 20)), min_size=1, max_size=20))
def test_alignment_bounded_and_interval_contains_point(ws):
    u, c, z = (np.array(x, float) for x in zip(*ws))
    pos, lo, hi = alignment(u, c, z)
    ok = ~np.isnan(pos)
    assert np.all((pos[ok] >= -1) & (pos[ok] <= 1))
    assert np.all((lo[ok] <= pos[ok] + 1e-12) & (pos[ok] <= hi[ok] + 1e-12))
    assert np.all((lo[ok] >= -1) & (hi[ok] <= 1))
    # swapping the poles mirrors the score
    np.testing.assert_allclose(alignment(c, u, z)[0][ok], -pos[ok])


def _toy_catalog():
    src = [{"citation": "Toy source", "url": "https://example.org/t"}]
    d = dt.date
    return parse([
        {"id": "US_A", "name": "a", "type": "treaty alliance", "pole": "US-led", "lead": "USA", "depth": 4,
         "axes": ["A1"], "sources": src,
         "members": [{"iso3": "USA", "joined": d(2000, 1, 1)}, {"iso3": "AAA", "joined": d(2000, 1, 1)}]},
        {"id": "CN_B", "name": "b", "type": "partnership declaration", "pole": "China-led", "lead": "CHN",
         "depth": 1, "axes": ["A3"], "sources": src,
         "members": [{"iso3": "CHN", "joined": d(2010, 6, 1)}, {"iso3": "BBB", "joined": d(2010, 6, 1)},
                     {"iso3": "AAA", "joined": d(2010, 6, 1)}]},
        {"id": "FORUM", "name": "f", "type": "multilateral forum", "pole": "ASEAN/inclusive", "lead": "ASEAN",
         "depth": 1, "axes": ["A1", "A2", "A3"], "sources": src,
         "members": [{"iso3": x, "joined": d(2005, 1, 1)} for x in ("USA", "CHN", "AAA", "BBB")]},
        {"id": "PAKT", "name": "p", "type": "security agreement", "pole": "US-led", "lead": "USA", "depth": 2,
         "axes": ["A1"], "sources": src, "atop_override": {"dyad": ["USA", "PPP"], "depth": 2},
         "members": [{"iso3": "USA", "joined": d(1959, 1, 1)}, {"iso3": "PPP", "joined": d(1959, 1, 1)}]},
        {"id": "LAPSE", "name": "l", "type": "treaty alliance", "pole": "Russia-led", "lead": "RUS", "depth": 4,
         "axes": ["A1"], "sources": src,
         "members": [{"iso3": "RUS", "joined": d(1994, 1, 1)},
                     {"iso3": "UUU", "joined": d(1994, 1, 1), "left": d(1999, 4, 2)}]},
    ])


def test_positions_hand_computed():
    cat = _toy_catalog()
    t = ties(cat, years=(2000, 2012))
    p = positions(t, ["AAA", "BBB", "ZZZ"], years=(2000, 2012)).set_index(["iso3", "year", "axis"])
    k = 1.5 + 4                                                                    # prior mass
    assert p.loc[("AAA", 2000, "overall"), "position"] == pytest.approx(4 / (4 + k))             # alliance only
    assert p.loc[("AAA", 2006, "overall"), "position"] == pytest.approx((4 - 0) / (4 + 1 + k))   # + forum
    assert p.loc[("AAA", 2011, "overall"), "position"] == pytest.approx((4 - 1) / (4 + 1 + 1 + k))  # + CSF
    assert p.loc[("AAA", 2011, "A3"), "position"] == pytest.approx((0 - 1) / (1 + 1 + k))
    assert p.loc[("BBB", 2011, "overall"), "n"] == 2
    assert np.isnan(p.loc[("ZZZ", 2011, "overall"), "position"])                   # no ties: NaN
    assert p.loc[("ZZZ", 2011, "overall"), "n"] == 0


def test_atop_conflict_rule():
    cat = _toy_catalog()
    raw = pd.DataFrame([
        # iso3_a, iso3_b, year, defense, offense, neutral, nonagg, consul
        ("PPP", "USA", 2010, 1, 0, 0, 0, 1),   # curated override -> overridden
        ("RUS", "UUU", 1998, 1, 0, 0, 0, 0),   # curated and active -> confirmed
        ("UUU", "RUS", 2005, 1, 0, 0, 0, 0),   # curated but lapsed (left 1999) -> lapsed_in_catalog
        ("CHN", "QQQ", 2010, 1, 0, 0, 0, 0),   # unknown to catalogue, defence -> atop_only China-led
        ("CHN", "III", 2010, 0, 0, 0, 0, 1),   # consultation only -> atop_only, pole other
        ("AAA", "III", 2010, 0, 0, 0, 1, 0),   # non-aggression only -> not_used
    ], columns=["iso3_a", "iso3_b", "year", "defense", "offense", "neutral", "nonagg", "consul"])
    focus = {"PPP", "USA", "RUS", "UUU", "CHN", "QQQ", "III", "AAA"}
    m = merge(normalise(raw), cat, focus).set_index(["iso3_a", "iso3_b"])
    assert m.loc[("PPP", "USA"), "status"] == "overridden"
    assert m.loc[("RUS", "UUU")].set_index("year").loc[1998, "status"] == "confirmed"
    assert m.loc[("RUS", "UUU")].set_index("year").loc[2005, "status"] == "lapsed_in_catalog"
    assert (m.loc[("CHN", "QQQ"), ["status", "pole", "used_depth"]].tolist() == ["atop_only", "China-led", 4])
    assert (m.loc[("CHN", "III"), ["status", "pole", "used_depth"]].tolist() == ["atop_only", "other", 2])
    assert m.loc[("AAA", "III"), "status"] == "not_used"
    t = ties(cat, merge(normalise(raw), cat, focus), years=(2010, 2010))
    assert set(t.loc[t["origin"] == "atop", "iso3"]) == {"CHN", "QQQ", "III"}


def test_network_two_blocs_and_a_broker():
    rows = []
    for aid, members in {"W": ["USA", "W1", "W2"], "E": ["CHN", "E1", "E2"], "BR": ["W1", "BROKER"],
                         "BR2": ["BROKER", "E1"]}.items():
        rows += [{"iso3": m, "year": 2020, "arrangement_id": aid, "depth": 4} for m in members]
    net = CoMembershipNetwork(random_state=1).fit(pd.DataFrame(rows), 2020)
    c = net.communities_
    assert c["USA"] == c["W2"] == "bloc_USA" and c["CHN"] == c["E2"] == "bloc_CHN"
    b = net.betweenness_
    assert b["BROKER"] == max(b.values())
    again = CoMembershipNetwork(random_state=1).fit(pd.DataFrame(rows), 2020).communities_
    assert again == c
