"""Practice methods on hand-made inputs with known answers: blocs, arms shares and
intervals, the presence scale, exercise sides, the combination."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from orderwatch.errors import OrderwatchError
from orderwatch.practice import arms, blocs, exercises, forces
from orderwatch.practice.positions import combine, positions_table


def deals(rows):
    df = pd.DataFrame(rows, columns=["recipient_iso3", "supplier", "supplier_iso3", "tiv_by_year"])
    df.insert(0, "deal_id", [f"d{i}" for i in range(len(df))])
    return df


def grid(iso3, years):
    return pd.DataFrame({"iso3": iso3, "year": list(years)})


def test_blocs_follow_treaty_years():
    assert blocs.pole("POL", 1998) == "other" and blocs.pole("POL", 1999) == "ally"
    assert blocs.pole("NZL", 1986) == "ally" and blocs.pole("NZL", 1987) == "other"
    assert blocs.pole("TWN", 1979) == "ally" and blocs.pole("TWN", 1980) == "other"
    assert blocs.pole("RUS", 1985) == "russia" and blocs.pole(None, 2000, "NATO**") == "us"
    assert blocs.pole("ISR", 2020) == "other" and blocs.pole("CHN", 2020) == "china"
    assert blocs.pole("USA", 1960) == "us" and blocs.pole("KOR", 2020) == "ally" and blocs.pole("FRA", 2020) == "ally"


def test_a_treaty_allys_arms_are_neutral_unless_asked():
    # US 30, South Korea 40, France 20, China 10 in one window
    d = deals([["XXX", "United States", "USA", "2020:30"], ["XXX", "South Korea", "KOR", "2020:40"],
               ["XXX", "France", "FRA", "2021:20"], ["XXX", "China", "CHN", "2021:10"]])
    dy = arms.deal_years(d)
    t = arms.arms_positions(dy, grid("XXX", [2021]), n_boot=0).table.iloc[0]
    assert t.position == pytest.approx((30 - 10) / 100)          # the allies sit in the denominator
    assert t.share_ally == pytest.approx(0.6) and t.share_us == pytest.approx(0.3) and not t.allies_with_us
    shares = [t[f"share_{p}"] for p in blocs.SUPPLIER_BLOCS]
    assert sum(shares) == pytest.approx(1.0)
    old = arms.arms_positions(dy, grid("XXX", [2021]), allies_with_us=True, n_boot=0).table.iloc[0]
    assert old.position == pytest.approx((30 + 40 + 20 - 10) / 100)
    # a state buying only from third countries sits at the midpoint, not at the US pole
    only = deals([["YYY", "France", "FRA", "2020:50"], ["YYY", "Turkey", "TUR", "2020:5"]])
    assert arms.arms_positions(arms.deal_years(only), grid("YYY", [2020]), n_boot=0).table.position.iloc[0] == 0.0


def test_arms_shares_window_and_null():
    d = deals([["XXX", "United States", "USA", "2000:30"], ["XXX", "China", "CHN", "2002:10"],
               ["XXX", "Russia", "RUS", "2003:60"]])
    t = arms.arms_positions(arms.deal_years(d), grid("XXX", range(2000, 2010)), n_boot=200).table.set_index("year")
    # 2003 window 1999-2003: US 30, China 10, Russia 60 -> (30 - 10) / 100
    assert t.at[2003, "position"] == pytest.approx(0.2)
    assert t.at[2003, "share_russia"] == pytest.approx(0.6)
    alt = arms.arms_positions(arms.deal_years(d), grid("XXX", [2003]), russia_with_china=True, n_boot=0).table
    assert alt.position.iloc[0] == pytest.approx(-0.4)
    # 2005 window 2001-2005 drops the US deal; 2008 window 2004-2008 has nothing -> null, not 0
    assert t.at[2005, "position"] == pytest.approx(-10 / 70)
    assert np.isnan(t.at[2008, "position"]) and t.at[2008, "n"] == 0


def test_arms_interval_contains_point_and_is_wide_with_few_deals():
    d = deals([["XXX", "United States", "USA", "2000:5"], ["XXX", "United States", "USA", "2001:5"]])
    t = arms.arms_positions(arms.deal_years(d), grid("XXX", [2001])).table.iloc[0]
    assert t.position == 1.0 and t.hi == 1.0 and t.lo <= -0.4  # two deals: rule-of-three floor 1.5


def test_arms_seed_is_per_state():
    d = deals([["AAA", "China", "CHN", "2000:5"], ["AAA", "France", "FRA", "2000:9"], ["AAA", "Israel", "ISR", "2000:4"],
               ["BBB", "China", "CHN", "2000:5"]])
    dy = arms.deal_years(d)
    both = arms.arms_positions(dy, pd.concat([grid("AAA", [2000]), grid("BBB", [2000])])).table
    one = arms.arms_positions(dy, grid("AAA", [2000])).table
    assert both.iloc[0].lo == one.iloc[0].lo and both.iloc[0].hi == one.iloc[0].hi


def test_presence_scale():
    assert forces.us_level(pd.Series([0, 99, 100, 999, 1000, 9999, 10000])).tolist() == [0, 0, 1, 1, 2, 2, 3]
    troops = pd.DataFrame({"iso3": ["KGZ", "KGZ"], "year": [2005, 2016], "troops_ad": [1200, 5]})
    presence = forces.foreign_presence()
    t = forces.forces_positions(troops, presence, grid("KGZ", [2005, 2016])).set_index("year")
    # 2005: US level 2 (Manas) and Russia's Kant level 1: Russia sits in the denominator by
    # default and counts against the US only with Russia on China's side
    assert t.at[2005, "position"] == pytest.approx(2 / 3) and t.at[2005, "strength"] == pytest.approx(2 / 3)
    alt = forces.forces_positions(troops, presence, grid("KGZ", [2005]), russia_with_china=True)
    assert alt.position.iloc[0] == pytest.approx(1 / 3)
    assert t.at[2016, "position"] == 0.0 and t.at[2016, "russia_level"] == 1
    assert t.at[2016, "strength"] == pytest.approx(1 / 3)


def test_forces_null_without_any_presence():
    t = forces.forces_positions(pd.DataFrame({"iso3": ["NPL"], "year": [2010], "troops_ad": [20]}),
                                forces.foreign_presence(), grid("NPL", [2010]))
    assert np.isnan(t.position.iloc[0]) and t.n.iloc[0] == 0


def test_curated_presence_rows_have_sources_and_real_years():
    p = forces.foreign_presence()
    assert p.source_url.str.match(r"https?://").all() and p.source_title.str.len().gt(10).all()
    ream = p.set_index("presence_id").loc["CHN-KHM-REAM"]
    assert ream.from_year == 2023 and ream.host_iso3 == "KHM"
    assert p.set_index("presence_id").loc["RUS-VNM-CAMRANH-2"].to_year == 2002


def test_exercise_sides_and_stop_in_2010():
    parts = pd.DataFrame({"mmeid": ["mme1", "mme1", "mme2", "mme2", "mme3", "mme3", "mme3"],
                          "year": [2005, 2005, 2006, 2006, 2007, 2007, 2007], "exercise": ["a", "a", "b", "b", "c", "c", "c"],
                          "iso3": ["THA", "USA", "THA", "CHN", "THA", "CHN", "AUS"]})
    s = exercises.exercise_sides(parts, ["THA"]).set_index("mmeid")
    assert s.side.to_dict() == {"mme1": "us", "mme2": "gsi", "mme3": "both"}
    t = exercises.exercise_positions(exercises.exercise_sides(parts, ["THA"]), grid("THA", range(2005, 2013)))
    t = t.set_index("year")
    assert t.at[2007, "position"] == pytest.approx(0.0) and t.at[2007, "n"] == 3
    assert 2011 not in t.index and 2012 not in t.index  # no figure after the data stop


def test_one_component_keeps_its_interval():
    sy = pd.DataFrame({"iso3": ["NPL"], "year": [2024]})
    a = pd.DataFrame({"iso3": ["NPL"], "year": [2024], "position": [-1.0], "lo": [-1.0], "hi": [1.0], "n": [1]})
    w = combine({"arms": a}, sy).iloc[0]
    assert (w.position, w.lo, w.hi) == (-1.0, -1.0, 1.0)


def test_combine_weights_and_reference_powers():
    sy = pd.DataFrame({"iso3": ["AAA", "CHN"], "year": [2000, 2000]})
    a = pd.DataFrame({"iso3": ["AAA", "CHN"], "year": 2000, "position": [0.8, 0.5], "lo": [0.6, 0.4],
                      "hi": [1.0, 0.6], "n": [10, 5]})
    f = pd.DataFrame({"iso3": ["AAA"], "year": [2000], "position": [1.0], "lo": [0.67], "hi": [1.0], "n": [1],
                      "strength": [1 / 3]})
    e = pd.DataFrame({"iso3": [], "year": [], "position": [], "lo": [], "hi": [], "n": []}).astype({"year": int})
    w = combine({"arms": a, "forces": f, "exercises": e}, sy).set_index("iso3")
    # a small US presence (strength 1/3) nudges toward the US pole, it never drags an ally down
    wf = 0.25 / 3
    assert w.at["AAA", "position"] == pytest.approx((0.5 * 0.8 + wf * 1.0) / (0.5 + wf))
    assert w.at["AAA", "position"] > 0.8
    assert w.at["AAA", "lo"] == pytest.approx((0.5 * 0.6 + wf * 0.67) / (0.5 + wf))
    assert w.at["AAA", "n"] == 11 and w.at["AAA", "components"] == "arms,forces"
    assert np.isnan(w.at["CHN", "position"])  # the poles are not scored
    pt = positions_table(w.reset_index())
    assert set(pt.axis) == {"A1", "overall"} and list(pt.columns) == ["iso3", "year", "axis", "position", "lo", "hi",
                                                                        "n", "method"]
    with pytest.raises(ValueError):
        combine({"arms": a}, sy, weights={"arms": -1.0})


def test_bad_presence_file_is_a_one_line_error(tmp_path):
    bad = forces.foreign_presence().astype(object).copy()
    bad.loc[0, "level"] = 7
    bad.to_csv(tmp_path / "presence.csv", index=False)
    with pytest.raises(OrderwatchError, match=r"line 2 \(CHN-KHM-REAM\): level must be 1, 2 or 3"):
        forces.load_presence(tmp_path / "presence.csv")


def test_windows_do_not_reach_back_across_a_regime_break():
    from orderwatch.practice import breaks
    from orderwatch.votes.contested import CONTESTED_SEATS

    # the dates are the votes stream's, not a copy; the break year goes to whoever held most of it
    assert set(breaks.REGIME_YEARS) == set(CONTESTED_SEATS)
    assert breaks.first_regime_year("2021-08-15") == 2022 and breaks.first_regime_year("2021-02-01") == 2021
    assert breaks.first_regime_year("2021-07-02") == 2021 and breaks.first_regime_year("2021-07-03") == 2022
    assert breaks.window_start("AFG", 2021, 5) == 2017 and breaks.window_start("AFG", 2023, 5) == 2022
    assert breaks.window_start("AFG", 2030, 5) == 2026 and breaks.window_start("VNM", 2023, 5) == 2019
    # old regime's deliveries (US, to 2021) do not reach the new regime's years; nothing new -> null
    d = deals([("AFG", "United States", "USA", "2019:10;2021:5"), ("AFG", "China", "CHN", "2023:2")])
    t = arms.arms_positions(arms.deal_years(d), grid("AFG", [2021, 2022, 2023]), n_boot=0).table.set_index("year")
    assert t.at[2021, "position"] == 1.0 and t.at[2021, "tiv_total"] == 15
    assert np.isnan(t.at[2022, "position"]) and t.at[2022, "n"] == 0 and t.at[2022, "window_start"] == 2022
    assert t.at[2023, "position"] == -1.0 and t.at[2023, "tiv_total"] == 2
