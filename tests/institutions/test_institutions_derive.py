"""derive(read) on the real bundled ATOP data, and the CLI."""

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from orderwatch import bundled
from orderwatch.institutions import derive, focus_states

ASIA = ("CHN JPN KOR PRK MNG TWN VNM LAO KHM THA MMR MYS SGP IDN PHL BRN TLS IND PAK BGD LKA NPL "
        "BTN MDV AFG KAZ KGZ TJK UZB TKM").split()


def _countries():
    try:
        from orderwatch import countries

        return countries.registry()
    except Exception:  # registry not bundled yet: a minimal one from the COW crosswalk
        cw = bundled.read("cow_iso3").rename(columns={"ccode": "cow", "iso3c": "iso3"})
        cw = pd.concat([cw[["iso3", "cow"]], pd.DataFrame({"iso3": ["TLS"], "cow": [860]})])
        return cw.drop_duplicates("iso3").assign(is_asian=lambda d: d["iso3"].isin(ASIA))


@pytest.fixture(scope="module")
def out():
    tables = {"countries": _countries(), "alliances": bundled.read("atop")}
    return derive(tables.__getitem__)


def test_positions_shape_and_bounds(out):
    p = out["institutions_positions"]
    assert list(p.columns) == ["iso3", "year", "axis", "position", "lo", "hi", "n", "method"]
    states = focus_states(_countries())
    assert len(p) == len(states) * 36 * 4
    assert p["year"].between(1990, 2025).all() and set(p["axis"]) == {"A1", "A2", "A3", "overall"}
    ok = p["position"].notna()
    assert p.loc[ok, "position"].between(-1, 1).all()
    assert (p.loc[ok, "lo"] <= p.loc[ok, "position"]).all() and (p.loc[ok, "position"] <= p.loc[ok, "hi"]).all()
    assert (p.loc[~ok, "n"] == 0).all()


def test_known_orientation_2024(out):
    p = out["institutions_positions"]
    o = p[(p["axis"] == "overall") & (p["year"] == 2024)].set_index("iso3")["position"]
    assert o["JPN"] > 0.5 and o["USA"] > 0.5 and o["PHL"] > 0.3 and o["KOR"] > 0.3
    assert o["CHN"] < -0.5 and o["PRK"] < -0.2
    assert -0.5 < o["VNM"] < 0.2                                  # hedger between the poles


def test_atop_merge_on_real_data(out):
    a = out["institutions_atop"]
    usa_pak = a[(a["iso3_a"] == "PAK") & (a["iso3_b"] == "USA")]
    assert len(usa_pak) and (usa_pak["status"] == "overridden").all()
    assert a["year"].max() == 2018
    assert (a.loc[a["status"] == "confirmed"].merge(
        a.loc[(a["iso3_a"] == "JPN") & (a["iso3_b"] == "USA")]).shape[0]) > 0


def test_state_year_blocs_and_asean_betweenness(out):
    sy = out["institutions_state_year"].set_index(["iso3", "year"])
    assert sy.loc[("USA", 2024), "community"] == sy.loc[("JPN", 2024), "community"] == "bloc_USA"
    assert sy.loc[("CHN", 2024), "community"].startswith("bloc_CHN")
    asean = sy[(sy["is_asean"]) & (sy.index.get_level_values("year") == 2024)]
    assert len(asean) == 10 and asean["betweenness"].notna().all()
    for col in ("ties_us", "ties_china", "ties_inclusive", "ties_russia", "alignment"):
        assert col in sy.columns
    m = out["institutions_memberships"]
    assert m["source_url"].str.startswith("http").all()


def test_cli_list_show_network():
    from orderwatch.cli.institutions import inst

    r = CliRunner().invoke(inst, ["list", "--country", "VNM", "--year", "2024", "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    ids = {a["arrangement_id"] for a in doc["arrangements"]}
    assert {"CSF_VNM", "US_VNM_CSP", "ARF", "ASEAN"} <= ids and "QUAD" not in ids
    assert all(a["sources"] and a["sources"][0]["url"].startswith("http") for a in doc["arrangements"])
    r = CliRunner().invoke(inst, ["show", "AUKUS", "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["members"][0]["iso3"] == "AUS"
    r = CliRunner().invoke(inst, ["show", "QUADD"])
    assert r.exit_code != 0
    r = CliRunner().invoke(inst, ["network", "--year", "2024", "--format", "graphml"])
    assert r.exit_code == 0 and r.stdout.startswith("<?xml")
    r = CliRunner().invoke(inst, ["network", "--year", "2024", "--format", "json"])
    g = json.loads(r.stdout)
    assert any(n["id"] == "USA" for n in g["nodes"]) and g["links"]
