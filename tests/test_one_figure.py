"""The goal of the read side: a state shows the same figure, year and evidence everywhere.

On the real store built from the bundled data, for a few states: the overview
(`orderwatch overview --json`), the map's data (/api/map), the rankings, the country page
(/country/X and /api/country/X with its evidence), the CLI (`orderwatch country X --json`)
and the country report agree on the default year, the combined overall figure and the
evidence lists, because all of them come from orderwatch.observatory.
"""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from orderwatch.cli import app as cli_app
from orderwatch.observatory import Observatory
from orderwatch.reports import country_report
from orderwatch.web import create_app

STATES = ["PHL", "VNM", "IND", "JPN"]
runner = CliRunner()


def cli_json(*args: str):
    r = runner.invoke(cli_app, list(args))
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


@pytest.fixture(scope="module")
def surfaces(full_store, full_store_path):
    obs = Observatory(full_store)
    client = TestClient(create_app(full_store))
    overview = cli_json("overview", "--db", str(full_store_path), "--json")["latest_positions"]
    return obs, client, overview


def test_one_default_year_everywhere(surfaces, full_store_path):
    obs, client, overview = surfaces
    year = obs.default_year()
    assert year is not None and year not in obs.provisional()   # a thin year is never "latest"
    assert overview["year"] == year
    assert client.get("/api/map").json()["year"] == year
    assert client.get("/api/rankings").json()["year"] == year
    listing = cli_json("positions", "--db", str(full_store_path), "--json")
    assert {r["year"] for r in listing} == {year}


@pytest.mark.parametrize("iso3", STATES)
def test_same_figure_year_and_evidence(surfaces, full_store, full_store_path, iso3):
    obs, client, overview = surfaces
    cli = cli_json("country", iso3, "--db", str(full_store_path), "--json")
    year, figure = cli["year"], cli["headline"]["position"]
    assert year == obs.default_year() and cli["latest"] == {"year": year, "overall": figure,
                                                            "interval": [cli["headline"]["lo"], cli["headline"]["hi"]]}
    # the overview and the map
    assert next(r for r in overview["rows"] if r["iso3"] == iso3)["position"] == pytest.approx(figure)
    mapped = next(r for r in client.get("/api/map").json()["rows"] if r["iso3"] == iso3)
    assert mapped["position"] == pytest.approx(figure)
    # the country page's JSON and its evidence: the same dicts as the CLI's
    page = client.get(f"/api/country/{iso3}").json()
    assert page["year"] == year and page["headline"]["position"] == pytest.approx(figure)
    evidence = client.get(f"/api/country/{iso3}/evidence").json()
    for key in ("passages", "roll_calls", "ties", "arrangements"):
        assert evidence[key] == cli["evidence"][key], key
    assert evidence["year"] == cli["evidence"]["year"] == year
    # the votes evidence is the set of roll calls the votes figure rests on
    votes = full_store.table("votes_positions")
    n = votes[(votes.iso3 == iso3) & (votes.year == year) & (votes.axis == "overall")]["n"]
    assert set(n) == {cli["evidence"]["roll_calls"]["n_roll_calls"]}
    assert len(cli["evidence"]["roll_calls"]["rows"]) == cli["evidence"]["roll_calls"]["n_roll_calls"]
    # the HTML page and the report show that figure, year and the first roll calls
    signed = f"{figure:+.2f}"
    html = client.get(f"/country/{iso3}", headers={"accept": "text/html"}).text
    report = country_report(full_store, iso3)
    split = [r for r in cli["evidence"]["roll_calls"]["rows"] if r["vote"] != r["CHN"] or r["vote"] != r["USA"]]
    for text in (html, report):
        assert f"Figures in {year}" in text and f"Evidence behind the figures <small>({year})</small>" in text
        assert signed in text
        assert split and all(str(r["resolution"]) in text for r in split[:5])
    assert re.search(rf"In {year}, [^.]* stands at {re.escape(signed)}", report)
