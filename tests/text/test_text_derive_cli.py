"""derive(read) on the real bundled texts, and the words-stream CLI on the derived tables."""

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from orderwatch.cli import app
from orderwatch.schema import POSITION_COLUMNS, check_positions
from orderwatch.store import write_store
from orderwatch.text import derive

runner = CliRunner()


@pytest.fixture(scope="module")
def derived(store):
    """derive() over the 2014-2024 speeches and the MFA and US official documents."""
    def read(name):
        df = store.table(name)
        if name == "speeches":
            return df[df.year >= 2014]
        if name == "documents":
            return df[df.source.isin(["china_mfa", "us_official"])]
        return df
    return derive(read)


@pytest.fixture(scope="module")
def text_db(derived, tmp_path_factory):
    path = tmp_path_factory.mktemp("text") / "text.duckdb"
    write_store(path, derived, {"built_by": "tests/text"})
    return path


def test_positions_table_shape(derived):
    pos = derived["text_positions"]
    check_positions(pos, "text_positions")  # columns, bounds, lo <= position <= hi, keys
    assert list(pos.columns) == POSITION_COLUMNS
    assert set(pos.axis) == {"A1", "A2", "A3", "overall"}
    assert set(pos.method) == {"codebook", "pooled"}
    # No evidence is NaN, never 0 with n = 0.
    assert pos[(pos.n == 0) & (pos.method == "codebook")].position.isna().all()
    assert "USA" in set(pos.iso3) and "IDN" in set(pos.iso3)


def test_pooled_positions_separate_the_poles_and_carry_signal(derived):
    from orderwatch.text.pooled import MIN_SENTENCES, stability

    pos = derived["text_positions"]
    pooled = pos[pos.method == "pooled"]
    ov = pooled[pooled.axis == "overall"]
    assert len(ov) > 100 and ov.position.notna().all() and (ov.n >= MIN_SENTENCES).all()
    assert ((ov.hi - ov.lo) > 0.01).all()  # never a zero-width interval
    assert ((ov.lo <= ov.position) & (ov.position <= ov.hi)).all()
    mean = ov.groupby("iso3").position.mean()
    assert mean["CHN"] < -0.3 < 0.3 < mean["USA"]
    # Known groups (2014-2024): US treaty allies and partners vs China-aligned states.
    allies = mean.reindex(["JPN", "KOR", "PHL", "AUS", "ISR", "SGP"]).mean()
    aligned = mean.reindex(["PRK", "LAO", "KHM", "PAK", "IRN", "SYR", "MMR"]).mean()
    assert allies - aligned > 0.5
    st = stability(pooled)
    assert st["pairs"] > 50 and st["r"] > 0.5 and st["sign_flips"] < 0.08


def test_evidence_spans_match_the_stored_texts(derived, store):
    ev = derived["text_evidence"]
    sp = store.speeches(country="PHL", years=(2016, 2016))
    text = sp.text.iloc[0]
    rows = ev[ev.doc_ref == "ungdc:PHL:2016"]
    assert len(rows) > 0
    for r in rows.itertuples():
        assert text[r.start:r.end] == r.text


def test_mfa_frame_counts_show_gsi_first_on_2022_04_21(derived):
    ev = derived["text_evidence"]
    gsi = ev[(ev.source == "china_mfa") & (ev.text == "全球安全倡议")]
    assert pd.Timestamp(gsi.date.min()).date().isoformat() == "2022-04-21"
    fc = derived["text_frame_counts"]
    mfa = fc[(fc.source == "china_mfa") & (fc.frame == "a3_cold_war_mentality")]
    assert set(mfa.year) >= {2016, 2019, 2022, 2023}
    assert list(fc.columns)[:5] == ["source", "language", "year", "frame", "count"]


def test_mfa_texts_sit_on_the_gsi_side_us_texts_on_the_us_side(derived):
    d = derived["text_documents"]
    mfa = d[(d.source == "china_mfa")].position.dropna()
    us = d[(d.source == "us_official")].position.dropna()
    assert mfa.median() < 0 < us.median()


def test_cli_positions_json(text_db):
    r = runner.invoke(app, ["text", "positions", "--country", "IDN", "--years", "2015-2024", "--json",
                            "--db", str(text_db)])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["iso3"] == "IDN" and doc["positions"]
    assert {p["year"] for p in doc["positions"]} <= set(range(2015, 2025))


def test_cli_frames_and_evidence(text_db):
    r = runner.invoke(app, ["text", "frames", "--source", "china_mfa", "--json", "--db", str(text_db)])
    assert r.exit_code == 0 and json.loads(r.stdout)["frame_counts"]
    r = runner.invoke(app, ["text", "evidence", "--country", "PHL", "--year", "2016", "--json", "--db", str(text_db)])
    assert r.exit_code == 0 and json.loads(r.stdout)["evidence"]


def test_cli_score_file_and_stdin(tmp_path):
    f = tmp_path / "s.txt"
    f.write_text("We reject the Cold War mentality and bloc confrontation. 反对冷战思维。", encoding="utf-8")
    r = runner.invoke(app, ["score", str(f), "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["position"] < 0 and doc["method"] == "codebook"
    assert set(doc["axes"]) == {"A1", "A2", "A3"}
    r = runner.invoke(app, ["score", "-", "--json"], input="The Quad and AUKUS. Integrated deterrence.")
    assert r.exit_code == 0 and json.loads(r.stdout)["position"] > 0


@pytest.mark.parametrize("content,needle", [
    (b"\x00\x01\x02binary\x00", "binary"),
    (b"   \n", "empty text"),
])
def test_cli_score_bad_input(tmp_path, content, needle):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    r = runner.invoke(app, ["score", str(f)])
    assert r.exit_code == 1 and needle in r.output


def test_cli_score_non_utf8_is_decoded_with_warning(tmp_path):
    f = tmp_path / "latin.txt"
    f.write_bytes("The Quad meets for a free and open Indo-Pacific. Caf\xe9 talk on freedom of navigation "
                  "with our allies.".encode("latin-1"))
    r = runner.invoke(app, ["score", str(f), "--json"])
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert any("not valid UTF-8" in w for w in doc["warnings"]) and doc["position"] > 0


def test_cli_score_size_limit_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("ORDERWATCH_MAX_TEXT_MB", "0.001")
    f = tmp_path / "big.txt"
    f.write_text("security " * 1000)
    r = runner.invoke(app, ["score", str(f)])
    assert r.exit_code == 1 and "limit" in r.output


def test_cli_help_has_examples():
    for cmd in (["score"], ["text", "positions"], ["text", "frames"], ["text", "evidence"], ["text", "codebook"],
                ["text", "semantic"]):
        r = runner.invoke(app, cmd + ["--help"])
        assert r.exit_code == 0 and "Example" in r.output, cmd


def test_derived_tables_are_json_safe(derived):
    from orderwatch.evidence import json_safe

    json.dumps(json_safe(derived["text_positions"].head(50).to_dict(orient="records")))
    assert np.isnan(derived["text_positions"].position).any()


def test_positions_keys_are_unique(derived):
    pos = derived["text_positions"]
    assert not pos.duplicated(["iso3", "year", "axis", "method"]).any()


def test_cli_unknown_country_is_one_line_error(text_db):
    r = runner.invoke(app, ["text", "positions", "--country", "Atlantis", "--db", str(text_db)])
    assert r.exit_code == 1 and r.output.startswith("error: unknown country") and r.output.count("\n") == 1


def test_speech_frames_agree_with_evidence(derived):
    sf = derived["text_speech_frames"]
    ev = derived["text_evidence"]
    assert sf["count"].sum() == (ev.source == "ungdc").sum()
    assert (sf.rate > 0).all()
