"""The validity report: statistics with known answers, the vendored criteria, the stored
report on the real build, the CLI and the page."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from orderwatch.cli import app
from orderwatch.validation import amti, bsv_calendar, iseas
from orderwatch.validation.criteria import auc, kendall, sign_flips, spearman, split_half_reliability
from orderwatch.validation.report import report_from_tables

PKG = Path(__file__).resolve().parents[2] / "src" / "orderwatch"


def test_statistics_known_answers():
    x = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6])
    assert spearman(x, x ** 3)["value"] == pytest.approx(1.0)
    assert spearman(x, -x)["value"] == pytest.approx(-1.0) and spearman(x, -x)["n"] == 6
    assert spearman(x[:3], x[:3])["value"] is None                  # too few units: no figure
    k = kendall(np.array([-0.9, -0.5, 0.0, 0.1, 0.5, 0.9]), np.array([0, 0, 1, 2, 3, 3.0]))
    assert k["value"] > 0.9 and k["ordered"] is True
    k = kendall(np.array([0.9, -0.5, 0.0, 0.1, 0.5, -0.9]), np.array([0, 0, 1, 2, 3, 3.0]))
    assert k["ordered"] is False
    pos = pd.DataFrame({"iso3": ["JPN", "PAK", "JPN", "PAK", "AUS", "LAO"], "year": [2020, 2020, 2021, 2021, 2021, 2021],
                        "position": [0.5, -0.5, 0.4, -0.3, -0.4, 0.0]})
    # 2020: JPN>PAK; 2021: JPN>PAK, JPN>LAO, AUS<PAK, AUS<LAO -> 3 of 5 pairs.
    assert auc(pos, n_boot=50)["value"] == pytest.approx(3 / 5)
    flips = sign_flips(pd.DataFrame({"iso3": ["A"] * 4 + ["CHN"] * 2, "year": [1, 2, 3, 5, 1, 2],
                                     "position": [0.2, -0.1, -0.3, 0.4, -1, 1]}))
    assert flips["n"] == 2 and flips["flips"] == 1                 # 3->5 is not adjacent; poles left out


def test_split_half_reliability_known_answers():
    rng = np.random.default_rng(0)
    truth = np.arange(12.0)
    # Editions that rank the states identically agree with themselves perfectly.
    same = pd.DataFrame({y: truth * (1 + 0.1 * y) for y in range(4)})
    r = split_half_reliability(same, n_boot=50)
    assert r["value"] == pytest.approx(1.0) and r["ceiling"] == pytest.approx(1.0)
    assert r["splits"] == 3 and r["n"] == 12                  # {0,1},{0,2},{0,3}: mirrors counted once
    # Editions of pure noise carry no state signal: reliability near 0 or below.
    noise = pd.DataFrame(rng.normal(size=(12, 6)))
    assert split_half_reliability(noise, n_boot=50)["value"] < 0.5
    # Half signal, half noise: in between, and a missing edition per state is tolerated.
    mixed = pd.DataFrame({y: truth + rng.normal(scale=4.0, size=12) for y in range(6)})
    mixed.iloc[0, 2] = np.nan
    m = split_half_reliability(mixed, n_boot=50)
    assert 0.5 < m["value"] < 1.0 and m["ci"][0] < m["value"] < m["ci"][1] + 1e-9


def test_vendored_criteria_match_their_sources():
    i = iseas()
    assert "ASEAN" not in set(i.iso3) and (i.year == i.edition - 1).all()
    phl = i[(i.iso3 == "PHL") & (i.edition == 2024)].iloc[0]
    assert phl.pct_us == pytest.approx(83.3)
    a = amti()
    assert a[(a.iso3 == "PHL") & (a.as_of == "2023-11-07")]["rank"].item() == 3
    assert a[(a.iso3 == "CHN") & (a.as_of == "2023-11-07")]["rank"].item() == 0
    b = bsv_calendar()
    assert b.year.min() == 1946 and b.year.max() == 2025
    assert b[(b.iso3 == "USA") & (b.year == 1946)].ideal_point.item() == pytest.approx(1.7402)


def test_criteria_are_never_read_by_estimation_code():
    for package in ("synthesis", "votes", "text", "institutions"):
        for f in (PKG / package).rglob("*.py"):
            tree = ast.parse(f.read_text(encoding="utf-8"))
            mods = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
            assert not any(m.startswith("orderwatch.validation") for m in mods), f
            text = f.read_text(encoding="utf-8")
            assert "iseas_alignment" not in text and "amti_arbitration" not in text, f


def test_stored_report_on_the_real_build(full_store):
    v = full_store.table("validity")
    goals = full_store.table("validity_goals")
    assert {"index", "latent", "votes", "institutions"} <= set(v.source)
    bsv = v[(v.statistic == "bsv_r") & (v.axis == "2020-2025")].iloc[0]
    assert bsv.value > 0.9 and bsv.n > 500
    latent = v[(v.source == "latent") & (v.axis == "overall")].set_index("statistic")
    # The combined positions separate US allies from China's partners and rarely flip.
    assert latent.at["known_groups_auc", "value"] > 0.9
    assert latent.at["sign_flips", "value"] < 0.05
    assert latent.at["iseas_rho", "n"] >= 8
    assert set(goals.model) == {"index", "latent"} and len(goals) == 12
    rep = report_from_tables(v, goals)
    assert rep["published_axes"] and rep["bsv"]["pooled"]["value"] == pytest.approx(bsv.value)
    # The ISEAS survey against itself (10 states, six editions): the ceiling on any rho with it.
    rel = rep["iseas_reliability"]
    assert rel["n"] == 10 and 0.5 < rel["value"] < 1 and rel["ceiling"] == pytest.approx(np.sqrt(rel["value"]))


def test_cli_validate_json_and_text(full_store_path):
    runner = CliRunner()
    r = runner.invoke(app, ["validate", "--db", str(full_store_path), "--boot", "50", "--json"])
    assert r.exit_code == 0, r.output
    rep = json.loads(r.stdout)
    assert {"note", "criteria", "results", "bsv", "verdicts", "iseas_reliability"} <= set(rep)
    assert rep["iseas_reliability"]["ceiling"] < 1
    assert "not truth" in rep["note"]
    r = runner.invoke(app, ["validate", "--db", str(full_store_path), "--boot", "10"])
    assert r.exit_code == 2                                          # --boot below its minimum


def test_validity_page(full_store):
    from orderwatch.web import create_app

    r = TestClient(create_app(full_store)).get("/validity")
    assert r.status_code == 200
    assert "Goals" in r.text and "not truth" in r.text and 'id="reliability"' in r.text
    assert 'id="criterion-reliability"' in r.text and "Spearman–Brown" in r.text
    # the publication rules at work, per model and axis
    pub = full_store.table("validity_publication")
    assert "published" in set(pub.rule)
    assert set(pub.rule) <= {"published", "single_weak_stream", "axis_single_stream", "axis_not_validated"}
    assert not ((pub.axis == "overall") & pub.rule.str.startswith("axis_")).any()
    assert 'id="publication"' in r.text and all(f"<td>{x}</td>" in r.text for x in set(pub.rule))
    r = TestClient(create_app(None)).get("/validity")
    assert r.status_code == 404 and "Not yet computed" in r.text


def test_publication_counts_show_each_rule():
    from orderwatch.validation.report import publication_counts

    pos = pd.DataFrame({"iso3": ["A", "A", "B", "B", "C"], "year": 2020,
                        "axis": ["overall", "A2", "overall", "A2", "A2"],
                        "position_raw": [0.1, 0.2, -0.3, np.nan, 0.5],
                        "publication": ["", "axis_single_stream", "", "", "axis_not_validated"]})
    pos["position"] = pos.position_raw.where(pos.publication == "")  # withheld figures are null
    c = publication_counts({"latent": pos}, ["latent"]).set_index(["axis", "rule"]).state_years
    # B's A2 has no figure at all, so it is not counted under any rule
    assert c.to_dict() == {("A2", "axis_not_validated"): 1, ("A2", "axis_single_stream"): 1,
                           ("overall", "published"): 2}


def test_methods_page_shows_each_streams_reliability_per_axis(full_store):
    from orderwatch.web import create_app

    html = TestClient(create_app(full_store)).get("/methods").text
    assert 'id="methods-reliability"' in html
    rel = full_store.table("synthesis_reliability")
    assert set(rel.axis) == {"A1", "A2", "A3", "overall"}
    for r in rel.itertuples():
        assert f"<td>{r.axis}</td><td>{r.stream}</td><td>{r.reliability:.2f}</td>" in html
    # the default model's error split is shown: practice's five-year window, a persistent bias
    assert "5-year window" in html and (rel.bias_sd > 0.05).all()


def test_known_groups_auc_of_an_empty_stream_is_missing_not_an_error():
    # A stream with no figures on an axis (e.g. practice on A3) reaches auc() as an empty
    # frame whose iso3 column is a string column.
    empty = pd.DataFrame({"iso3": pd.Series([], dtype="str"), "year": pd.Series([], dtype="int64"),
                          "position": pd.Series([], dtype="float64")})
    result = auc(empty)
    assert result["n"] == 0 and result["value"] is None
