import numpy as np
import pandas as pd
import pytest

from orderwatch.synthesis import (
    combined_positions, disputes_table, dispute_years, driver_panel, fit_drivers, pivotal_states,
    rank_sensitivity, say_do_gap, scenario_ranking, stream_wide, weight_grid, year_on_year,
)
from orderwatch.synthesis.sensitivity import combine_matrix
from synthetic_positions import registry, stream_table

Z = 1.959963984540054


def test_weight_grid_covers_the_simplex():
    g = weight_grid(0.1, streams=("words", "votes", "institutions"))
    assert g.shape == (66, 3)
    assert weight_grid(0.1).shape == (286, 4)  # with the practice stream
    assert np.allclose(g.sum(axis=1), 1)
    assert (g >= 0).all()


def test_rank_sensitivity_known_answer():
    # AAA: words high, votes low; BBB: the reverse; CCC: 0 everywhere.
    w = stream_table({("AAA", 2020): 0.8, ("BBB", 2020): -0.8, ("CCC", 2020): 0.0}, axes=["overall"])
    v = stream_table({("AAA", 2020): -0.8, ("BBB", 2020): 0.8, ("CCC", 2020): 0.0}, axes=["overall"])
    i = stream_table({("AAA", 2020): 0.1, ("BBB", 2020): 0.0, ("CCC", 2020): 0.0}, axes=["overall"])
    wide = stream_wide({"words": w, "votes": v, "institutions": i})
    r = rank_sensitivity(wide, step=0.5).set_index("iso3")
    # Equal weights: AAA 0.1/3, BBB 0, CCC 0 -> AAA first.
    assert r.at["AAA", "rank"] == 1
    # Over the grid AAA goes from first (words only) to last (votes only).
    assert r.at["AAA", "rank_min"] == 1 and r.at["AAA", "rank_max"] == 3
    assert r.at["CCC", "share_us_side"] == 0.0


def test_combine_matrix_renormalises_over_present_streams():
    P = np.array([[0.5, np.nan, np.nan]])
    out = combine_matrix(P, weight_grid(0.5, streams=("words", "votes", "institutions")))
    # every weight vector that gives words any weight yields 0.5; others have no value.
    assert np.allclose(out[~np.isnan(out)], 0.5)


def test_say_do_gap_known_answer():
    words = stream_table({("AAA", 2020): -0.4, ("BBB", 2020): 0.2}, half_width=0.1 * Z)
    votes = stream_table({("AAA", 2020): 0.4, ("BBB", 2020): 0.25}, half_width=0.1 * Z)
    g = say_do_gap(stream_wide({"words": words, "votes": votes}))
    a = g[(g.iso3 == "AAA") & (g.axis == "overall")].iloc[0]
    assert a.gap == pytest.approx(-0.8)
    assert a.gap_hi == pytest.approx(-0.8 + Z * np.sqrt(0.02))
    assert a.significant and a.opposite_sides and a.direction == "says_more_gsi"
    b = g[(g.iso3 == "BBB") & (g.axis == "overall")].iloc[0]
    assert not b.significant and b.direction == "consistent"


def test_say_do_gap_needs_both_sides():
    words = stream_table({("AAA", 2020): -0.4})
    g = say_do_gap(stream_wide({"words": words}))
    assert g.empty


def test_scenario_and_pivotal_states():
    v = stream_table({("AAA", y): 0.5 for y in (2020, 2021)} | {("BBB", 2020): 0.05, ("BBB", 2021): -0.3},
                     half_width=0.1)
    w = stream_table({("AAA", 2021): -0.9, ("BBB", 2021): 0.2}, half_width=0.1)
    t = {"votes": v, "words": w}
    reg = registry({"AAA": "south", "BBB": "south"})
    base = scenario_ranking(t, reg, years=(2021, 2021)).set_index("iso3")
    assert base.at["AAA", "position"] == pytest.approx(-0.2)
    only_votes = scenario_ranking(t, reg, years=(2021, 2021), streams=["votes"]).set_index("iso3")
    assert only_votes.at["AAA", "rank"] == 1 and only_votes.at["AAA", "rank_change"] == 1
    pos = combined_positions({"votes": v}, reg, years=(2020, 2021))
    piv = pivotal_states(pos, 2021)
    assert piv["closest"].iso3.iloc[0] == "BBB"
    assert piv["movers"].iso3.iloc[0] == "BBB" and piv["movers"].change.iloc[0] == pytest.approx(-0.35)
    yoy = year_on_year(pos).dropna()
    assert set(yoy.iso3) == {"AAA", "BBB"}


def test_disputes_table_is_cited_and_dated():
    t = disputes_table()
    assert {"IND", "JPN", "PHL", "VNM"} <= set(t[t.status == "active"].iso3)
    assert t.citations.str.len().gt(20).all()
    assert (t.since <= t.settled.fillna(9999)).all()
    d = dispute_years(range(1997, 2001)).set_index(["iso3", "year"])
    assert d.at[("KGZ", 1998), "dispute"] == 1 and d.at[("KGZ", 1999), "dispute"] == 0
    assert d.at[("VNM", 2000), "dispute_land"] == 0 and d.at[("VNM", 2000), "dispute_maritime"] == 1


def test_fit_drivers_recovers_known_coefficients():
    rng = np.random.default_rng(3)
    rows = []
    states = [f"S{i:02d}" for i in range(25)]
    for s in states:
        fe = rng.normal(0, 0.3)
        for y in range(2000, 2019):
            china = rng.uniform(5, 35)
            ally = float(rng.random() < 0.3)
            milex = rng.uniform(0.5, 4)
            pos = fe - 0.02 * china + 0.3 * ally + 0.05 * milex + 0.01 * (y - 2000) + rng.normal(0, 0.05)
            rows.append({"iso3": s, "year": y, "position": pos, "china_trade_share": china,
                         "us_trade_share": rng.uniform(5, 20), "us_ally": ally, "dispute": 0.0,
                         "milex_gdp": milex})
    table, info = fit_drivers(pd.DataFrame(rows))
    fe = table[table.model == "two_way_fe"].set_index("term")
    assert fe.at["china_trade_share", "coef"] == pytest.approx(-0.02, abs=0.004)
    assert fe.at["us_ally", "coef"] == pytest.approx(0.3, abs=0.03)
    assert fe.at["milex_gdp", "coef"] == pytest.approx(0.05, abs=0.01)
    assert "dispute" in info["two_way_fe"]["dropped"]          # no variation: not estimated
    assert any("reverse causation" in n for n in info["notes"])


def test_driver_panel_on_real_covariates(store):
    pos = pd.DataFrame({"iso3": ["PHL", "PHL", "JPN", "CHN"], "year": [2010, 2019, 2010, 2010],
                        "axis": "overall", "position": [0.1, 0.2, 0.5, -1.0]})
    panel = driver_panel(pos, trade=store.table("trade"), milex=store.table("military_expenditure"),
                         alliances=store.table("alliances")).set_index(["iso3", "year"])
    assert "CHN" not in panel.index.get_level_values(0)
    assert panel.at[("PHL", 2010), "us_ally"] == 1.0        # US-Philippines mutual defence treaty
    assert np.isnan(panel.at[("PHL", 2019), "us_ally"])     # ATOP ends in 2018: missing, not 0
    assert panel.at[("PHL", 2010), "dispute"] == 1.0
    assert 0 < panel.at[("JPN", 2010), "milex_gdp"] < 2
    assert panel[["china_trade_share", "us_trade_share"]].notna().any().all()
