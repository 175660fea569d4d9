"""Movers: window means, the change with its interval, stream contributions that add up, ranking."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from orderwatch.cli import app
from orderwatch.synthesis import combined_positions
from orderwatch.synthesis.movers import ChangeSpecError, movers, parse_change
from synthetic_positions import registry, stream_table

runner = CliRunner()


def _positions():
    years = range(2014, 2025)
    votes = stream_table({("UPP", y): (0.0 if y <= 2017 else 0.6) for y in years}
                         | {("DWN", y): (0.2 if y <= 2017 else -0.4) for y in years}
                         | {("FLT", y): 0.1 for y in years})
    # Words exist only in the end window for FLT: its change comes from the entry of a stream.
    words = stream_table({("UPP", y): 0.3 for y in years} | {("FLT", y): 0.5 for y in (2023, 2024)})
    reg = registry({"UPP": "southeast", "DWN": "southeast", "FLT": "south", "NON": "south"})
    return combined_positions({"votes": votes, "words": words, "institutions": None}, reg, years=(2014, 2024))


def test_window_means_change_interval_and_rank():
    m = movers(_positions(), (2015, 2017), (2023, 2024)).set_index("iso3")
    # UPP: votes 0 -> 0.6, words 0.3 throughout; equal weights -> 0.15 -> 0.45.
    assert m.loc["UPP", "start"] == pytest.approx(0.15)
    assert m.loc["UPP", "end"] == pytest.approx(0.45)
    assert m.loc["UPP", "change"] == pytest.approx(0.30)
    # Interval: window se = mean of yearly se (correlated within), windows independent.
    se_year = np.sqrt(0.5 ** 2 * (0.1 / 1.959964) ** 2 * 2)
    half = 1.959964 * np.sqrt(2) * se_year
    assert m.loc["UPP", "change_hi"] - m.loc["UPP", "change"] == pytest.approx(half, rel=1e-4)
    assert bool(m.loc["UPP", "significant"])
    assert m.loc["DWN", "change"] == pytest.approx(-0.6)
    # Ranked from the largest move towards the US pole; no evidence last, unranked, NaN (never 0).
    ranked = movers(_positions(), (2015, 2017), (2023, 2024))
    assert list(ranked["iso3"]) == ["UPP", "FLT", "DWN", "NON"]
    assert list(ranked["rank"][:3]) == [1, 2, 3] and pd.isna(ranked["rank"].iloc[3])
    assert pd.isna(m.loc["NON", "change"]) and m.loc["NON", "years_start"] == 0


def test_contributions_add_up_to_the_change_and_name_the_stream():
    m = movers(_positions(), (2015, 2017), (2023, 2024)).set_index("iso3")
    contrib = m[["contrib_words", "contrib_votes", "contrib_institutions"]].fillna(0).sum(axis=1)
    for code in ("UPP", "DWN", "FLT"):
        assert contrib[code] == pytest.approx(m.loc[code, "change"], abs=1e-12)
        assert m.loc[code, "contrib_model"] == pytest.approx(0.0, abs=1e-12)  # a weighted mean: nothing left
    assert m.loc["UPP", "contrib_votes"] == pytest.approx(0.30)
    assert m.loc["UPP", "contrib_words"] == pytest.approx(0.0)
    # FLT: votes did not move (own change 0); the change is the words stream entering.
    assert m.loc["FLT", "votes_change"] == pytest.approx(0.0)
    assert m.loc["FLT", "streams_start"] == "votes" and m.loc["FLT", "streams_end"] == "words,votes"
    assert m.loc["FLT", "change"] == pytest.approx(0.2)


def test_states_filter_and_min_years():
    m = movers(_positions(), (2015, 2017), (2023, 2024), states=["UPP", "DWN"])
    assert set(m["iso3"]) == {"UPP", "DWN"}
    strict = movers(_positions(), (2015, 2017), (2023, 2024), min_years=3).set_index("iso3")
    assert pd.isna(strict.loc["UPP", "change"])  # the end window has two years only


@pytest.mark.parametrize("text", ["2017-2015:2023-2024", "2015-2017:2016-2024", "2015", "abc:def", ""])
def test_bad_change_specs_are_refused(text):
    with pytest.raises(ChangeSpecError):
        parse_change(text)


def test_cli_movers_on_the_real_store(full_store_path):
    args = ["positions", "--db", str(full_store_path), "--group", "southeast", "--change", "2015-2017:2023-2024"]
    out = runner.invoke(app, args)
    assert out.exit_code == 0, out.output
    assert "contribution" in out.output and "Why:" in out.output
    assert "None" not in out.output and "nan" not in out.output
    js = runner.invoke(app, args + ["--json"])
    doc = json.loads(js.stdout)
    rows = doc["rows"]
    assert {r["iso3"] for r in rows} <= {"BRN", "IDN", "KHM", "LAO", "MMR", "MYS", "PHL", "SGP", "THA", "TLS", "VNM"}
    assert len(rows) >= 10
    changes = [r["change"] for r in rows if r["change"] is not None]
    assert changes == sorted(changes, reverse=True)
    for r in rows:
        if r["change"] is not None:
            parts = sum(r.get(f"contrib_{s}") or 0 for s in ("words", "votes", "institutions", "practice", "model"))
            assert parts == pytest.approx(r["change"], abs=1e-9)
            assert r["change_lo"] <= r["change"] <= r["change_hi"]
    csv = runner.invoke(app, args + ["--csv"])
    lines = csv.stdout.strip().splitlines()
    assert lines[0].startswith("rank,iso3,name,start,end,change,change_lo,change_hi")
    assert len(lines) == len(rows) + 1
    bad = runner.invoke(app, ["positions", "--db", str(full_store_path), "--change", "2024:2016"])
    assert bad.exit_code == 1 and "--change" in (bad.output + str(bad.exception))
    grp = runner.invoke(app, ["positions", "--db", str(full_store_path), "--group", "nowhere"])
    assert grp.exit_code == 1 and "southeast" in grp.output


def test_a_model_that_is_not_a_weighted_mean_leaves_a_model_part():
    pos = _positions()
    # Stand-in for a smoothing model: the figure is shrunk towards 0, the stream terms are not.
    pos["position"] = pos["position"] * 0.5
    m = movers(pos, (2015, 2017), (2023, 2024)).set_index("iso3")
    assert m.loc["UPP", "change"] == pytest.approx(0.15)
    assert m.loc["UPP", "contrib_votes"] == pytest.approx(0.30)
    assert m.loc["UPP", "contrib_model"] == pytest.approx(-0.15)
