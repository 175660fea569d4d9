"""The registry: round trips between codes, the historical quirks, helpful errors."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from orderwatch import countries
from orderwatch.errors import UnknownCountryError

REG = countries.registry()


@given(st.sampled_from(REG.iso3.tolist()))
@settings(max_examples=100, deadline=None)
def test_round_trip_every_code(iso3):
    row = REG.set_index("iso3").loc[iso3]
    assert countries.to_iso3(iso3) == iso3
    assert countries.to_iso3(iso3.lower()) == iso3
    if isinstance(row.iso2, str) and iso3 not in ("SRB", "YUG"):
        assert countries.to_iso3(row.iso2) == iso3


@pytest.mark.parametrize("query,iso3", [
    ("Viet Nam", "VNM"), ("Vietnam", "VNM"), ("越南", "VNM"), ("印度", "IND"), ("印度尼西亚", "IDN"),
    ("South Korea", "KOR"), ("DPRK", "PRK"), ("Burma", "MMR"), (710, "CHN"), (713, "TWN"), (816, "VNM"),
    (678, "YAR"), (680, "YMD"), (679, "YEM"), ("156", "CHN"), ("Türkiye", "TUR"), ("Turkey", "TUR"),
])
def test_names_and_codes(query, iso3):
    assert countries.to_iso3(query) == iso3


def test_cow_345_is_yugoslavia_then_serbia():
    import datetime as dt

    assert countries.cow_to_iso3(345, dt.date(1990, 1, 1)) == "YUG"
    assert countries.cow_to_iso3(345, dt.date(2010, 1, 1)) == "SRB"


def test_gleditsch_ward_codes_are_right_for_vietnam_and_yemen():
    reg = REG.set_index("iso3")
    assert reg.at["VNM", "gw"] == 816 and reg.at["VNM", "cow"] == 816
    assert reg.at["YEM", "gw"] == 678 and reg.at["YEM", "cow"] == 679


def test_un_membership_years_from_the_votes():
    reg = REG.set_index("iso3")
    assert reg.at["CHN", "un_member_from"] == 1971
    assert reg.at["TWN", "un_member_to"] == 1971
    assert reg.at["TLS", "un_member_from"] == 2002
    assert reg.at["JPN", "un_member_from"] == 1956


def test_groupings_of_the_seed():
    assert countries.group("southeast") == sorted("BRN KHM IDN LAO MYS MMR PHL SGP THA TLS VNM".split())
    assert set(countries.group("central")) == {"KAZ", "KGZ", "TJK", "TKM", "UZB"}
    assert set(countries.group("oceania_partner")) == {"AUS", "NZL", "PNG"}
    assert {"USA", "CHN", "RUS"} <= set(REG[REG.is_reference].iso3)
    assert len(countries.asian()) >= 45
    assert REG.name_zh.notna().all() and REG.m49_subregion.notna().all()


def test_unknown_country_suggests_closest():
    with pytest.raises(UnknownCountryError) as exc:
        countries.to_iso3("Phillipines")
    assert "PHL (Philippines)" in str(exc.value)


def test_no_country_converter_needed():
    import sys

    assert "country_converter" not in sys.modules


def test_each_cow_code_names_one_state_except_yugoslavia_serbia():
    cow = REG.dropna(subset=["cow"])
    shared = cow[cow.cow.duplicated(keep=False)]
    assert set(shared.iso3) == {"YUG", "SRB"}, shared[["iso3", "cow"]].to_dict("records")
    reg = REG.set_index("iso3")
    assert reg.at["ITA", "cow"] == 325 and reg.at["ITA", "un_member_from"] == 1955
    assert pd.isna(reg.at["VAT", "un_member_from"])  # the Holy See is an observer: it never votes
