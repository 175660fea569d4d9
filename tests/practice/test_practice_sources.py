"""Practice sources: the vendored SIPRI aggregates respect the licence, agree with each
other and with published anchors; readers reject damaged files with a one-line message."""

from __future__ import annotations

import pandas as pd
import pytest

from orderwatch import bundled, countries
from orderwatch.errors import OrderwatchError
from orderwatch.sources import practice

PRACTICE_FILES = ("sipri_arms_tiv", "sipri_arms_deals", "us_troops", "us_bases", "mme_exercises")
REGISTER_ONLY = {"Weapon designation", "weapon_designation", "designation", "comments", "status",
                 "number_ordered", "number_delivered", "tiv_per_unit"}


@pytest.mark.parametrize("name", PRACTICE_FILES)
def test_record_cites_and_hashes(name):
    rec = bundled.record(name)
    bundled.verify(name)
    assert rec["citation"] and rec["licence"] and rec["rows"] == len(bundled.read(name))


def test_sipri_files_are_aggregates_for_covered_recipients_only():
    covered = set(countries.observed())
    for name in ("sipri_arms_tiv", "sipri_arms_deals"):
        df = bundled.read(name)
        assert not REGISTER_ONLY & set(df.columns), f"{name} carries register-only fields"
        assert set(df.recipient_iso3) <= covered
    assert "SIPRI Arms Transfers Database" in bundled.record("sipri_arms_deals")["citation"]


def test_yearly_tiv_equals_deal_totals_per_recipient():
    deals, tiv = practice.arms_deals(), practice.arms_transfers()
    a = deals.groupby("recipient_iso3").tiv_delivered.sum()
    b = tiv.groupby("recipient_iso3").tiv.sum()
    pd.testing.assert_series_equal(a.sort_index(), b.sort_index(), check_names=False, rtol=1e-9)


def test_known_deliveries_are_there():
    deals = practice.arms_deals()
    # India's Su-30MKI programme (Russia) and Pakistan's JF-17 (China) are the largest lines
    ind = deals[(deals.recipient_iso3 == "IND") & (deals.supplier == "Russia")]
    assert (ind.weapon_description == "FGA aircraft").any()
    pak = deals[deals.recipient_iso3 == "PAK"].groupby("supplier").tiv_delivered.sum()
    assert pak.idxmax() in ("China", "United States")
    # Soviet deliveries are filed under RUS so windows spanning 1991 stay continuous
    assert (deals.loc[deals.supplier == "Soviet Union", "supplier_iso3"] == "RUS").all()


def test_troops_anchor_korea_and_japan():
    t = practice.us_troops().set_index(["iso3", "year"]).troops_ad
    assert 20_000 < t[("KOR", 2024)] < 30_000
    assert 40_000 < t[("JPN", 2020)] < 70_000


def test_exercises_stop_in_2010_and_name_partners():
    e = practice.exercise_participations()
    assert e.year.min() == 1980 and e.year.max() == 2010
    assert e.groupby("mmeid").size().min() >= 2


def test_damaged_file_is_a_one_line_error(monkeypatch):
    good = bundled.read("sipri_arms_deals")
    bad = good.copy()
    bad.loc[3, "tiv_delivered"] = -1.0
    monkeypatch.setattr(bundled, "read", lambda name, columns=None: bad)
    with pytest.raises(OrderwatchError, match=r"sipri_arms_deals\.parquet: field 'tiv_delivered': 1 rows"):
        practice.arms_deals()
