"""`orderwatch votes ...`: the JSON contracts other tools rely on, and one-line errors."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from orderwatch.cli import app

runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, list(args))


def test_agreement_json_contract(base_store_path):
    r = invoke("votes", "agreement", "JPN", "USA", "--from", "2015-01-01", "--to", "2019-12-31",
               "--measure", "kappa", "--issue", "security", "--n-boot", "100", "--json", "--db", str(base_store_path))
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert {"a", "b", "measure", "value", "n", "interval", "evidence"} <= set(d)
    assert d["a"] == "JPN" and d["b"] == "USA" and d["measure"] == "kappa"
    assert d["n"] > 0 and d["interval"][0] <= d["value"] <= d["interval"][1]
    e = d["evidence"][0]
    assert {"rcid", "date", "resolution", "short", "votes"} <= set(e) and set(e["votes"]) == {"JPN", "USA"}


def test_unknown_country_suggests(base_store_path):
    r = invoke("votes", "agreement", "Japn", "USA", "--db", str(base_store_path))
    assert r.exit_code == 1
    assert "JPN" in r.output and len(r.output.strip().splitlines()) == 1


def test_no_shared_votes_exit_1(base_store_path):
    r = invoke("votes", "agreement", "JPN", "USA", "--from", "1950-01-01", "--to", "1950-12-31",
               "--db", str(base_store_path))
    assert r.exit_code == 1 and "no shared votes" in r.output


def test_ideal_json_list(base_store_path):
    r = invoke("votes", "ideal", "--session", "74", "--n-boot", "5", "--json", "--db", str(base_store_path))
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert isinstance(d, list) and {"iso3", "ideal_point", "se"} <= set(d[0])
    assert d[0]["iso3"] in {"USA", "ISR"}  # sorted, US side first


def test_align_json(base_store_path):
    r = invoke("votes", "align", "--country", "PHL", "--years", "2017-2022", "--json", "--db", str(base_store_path))
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["iso3"] == "PHL" and [x["year"] for x in d["rows"]] == list(range(2017, 2023))
    assert d["seam"] is not None and "adopted resolutions" in d["seam"]["note"]
    assert all(-1 <= x["position"] <= 1 for x in d["rows"])
