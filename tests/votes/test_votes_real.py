"""The votes stream on the real bundled data: agreement checked against a direct count,
session ideal points that put the known states where they belong, and derive()'s tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from orderwatch.errors import NoSharedVotesError
from orderwatch.schema import POSITION_COLUMNS, check_positions
from orderwatch.votes import agreement, derive, prepare, select
from orderwatch.votes.sessions import fit_session


@pytest.fixture(scope="module")
def vm(store):
    return prepare(store.roll_calls(), store.votes())


@pytest.fixture(scope="module")
def derived(store):
    return derive(store.table)


def test_share_matches_a_direct_count(store, vm):
    r = agreement(select(vm, "2015-01-01", "2019-12-31"), "JPN", "USA", "share", n_boot=200)
    v = store.votes(countries=["JPN", "USA"], years=(2015, 2019))
    w = v.pivot(index="rcid", columns="iso3", values="vote").dropna()
    ok = w.isin(["yes", "no", "abstain"]).all(axis=1)
    assert r.n == int(ok.sum())
    assert r.value == pytest.approx(float((w.loc[ok, "JPN"] == w.loc[ok, "USA"]).mean()))
    assert r.interval[0] < r.value < r.interval[1]
    assert r.evidence[0]["split"] == 1.0


def test_seam_duplicate_roll_call_counted_once(vm):
    res = vm.roll_calls["resolution"]
    assert (res == "A/RES/74/267").sum() == 1


def test_china_seat_before_1971_has_no_shared_votes(vm):
    with pytest.raises(NoSharedVotesError):
        agreement(select(vm, "1960-01-01", "1970-12-31"), "CHN", "USA")


def test_session_ideal_points_put_known_states_in_place(vm):
    t = fit_session(vm, 74, n_boot=0).set_index("iso3")
    x = t["ideal_point"]
    assert x["USA"] > 0 and x["ISR"] > 1.0 and x["CHN"] < 0 and x["RUS"] < x["GBR"]
    # One dimension that tracks agreement with the US: kappa with the US across states.
    sub = select(vm, sessions=(74, 74))
    k = {s: agreement(sub, s, "USA", "kappa", n_boot=0).value for s in x.index if s != "USA"}
    k = pd.Series(k).dropna()
    assert np.corrcoef(x[k.index], k)[0, 1] > 0.8
    assert (t["se"] > 0).all() and (t["se_method"] == "laplace").all()


def test_derive_tables_follow_the_contract(derived):
    pos = derived["votes_positions"]
    check_positions(pos, "votes_positions")  # columns, bounds, lo <= position <= hi, keys
    assert list(pos.columns) == POSITION_COLUMNS
    assert set(pos["axis"]) == {"A1", "A2", "A3", "overall"}
    assert {"JPN", "PHL", "VNM", "KOR", "IND", "USA", "CHN", "RUS"} <= set(pos["iso3"])
    assert pos["year"].min() == 1946 and pos["year"].max() == 2025
    overall = pos[pos["axis"] == "overall"].set_index(["iso3", "year"])["position"]
    assert overall["CHN", 2000] == pytest.approx(-1.0) and overall["USA", 2000] == pytest.approx(1.0)
    # No pole before the PRC took China's seat: no evidence, NaN, never 0.
    assert pos[(pos["year"] < 1971)]["position"].isna().all()
    # Japan sits nearer the US than North Korea does, every year both are scored.
    both = pd.concat([overall.xs("JPN", level="iso3"), overall.xs("PRK", level="iso3")], axis=1).dropna()
    assert len(both) > 20 and (both.iloc[:, 0] > both.iloc[:, 1]).mean() > 0.95


def test_derive_ideal_points_and_alignment(derived):
    ip = derived["votes_ideal_points"]
    assert {"session", "year", "iso3", "ideal_point", "se", "issue"} <= set(ip.columns)
    assert set(ip["issue"]) == {"all", "security"}
    assert ip["session"].min() == 1 and ip["session"].max() >= 79
    us = ip[(ip["iso3"] == "USA") & (ip["issue"] == "all")]
    assert (us["ideal_point"] > 0).all()
    al = derived["votes_pole_alignment"]
    assert {"kappa_chn", "kappa_usa", "diff", "n", "diff_lo", "diff_hi", "ideal_position", "seam"} <= set(al.columns)
    row = al[(al["iso3"] == "PHL") & (al["year"] == 2015) & (al["axis"] == "overall")].iloc[0]
    assert row["diff"] == pytest.approx(row["kappa_chn"] - row["kappa_usa"])
    assert set(al.loc[al["year"] >= 2021, "seam"]) == {"undl"}
    assert set(al.loc[al["year"].between(2016, 2019), "seam"]) == {"voeten"}
    # Viet Nam votes yes on every arms-control roll call of 2019-2021: kappa is 0 by
    # construction there, so the position comes from Scott's pi and leans to China.
    vnm = al[(al["iso3"] == "VNM") & (al["axis"] == "A1") & al["year"].between(2019, 2021)]
    assert (vnm["measure"] == "pi").all() and (vnm["position"] < 0).all()
    pos = derived["votes_positions"]
    assert set(pos["method"]) == {"kappa_diff", "pi_diff"}
