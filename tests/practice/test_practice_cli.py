"""`orderwatch practice ...` on a store built from the bundled data: JSON is one document
with the evidence; bad input is a one-line error with the documented exit code."""

from __future__ import annotations

import json
import subprocess
import sys


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "orderwatch", *args], capture_output=True, text=True)


def test_arms_json_has_rows_deals_and_citation(base_store_path):
    r = run("practice", "arms", "--country", "VNM", "--years", "2000-2024", "--json", "--db", str(base_store_path))
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert [row["year"] for row in doc["rows"]] == list(range(2000, 2025))
    assert doc["deals"][0]["supplier"] == "Russia" and "SIPRI" in doc["citation"]
    alt = json.loads(run("practice", "arms", "--country", "VNM", "--years", "2010", "--russia-with-china", "--json",
                         "--db", str(base_store_path)).stdout)
    assert alt["rows"][0]["position"] < doc["rows"][10]["position"]  # Russia's deliveries now count for China


def test_forces_and_exercises_text(base_store_path):
    r = run("practice", "forces", "--country", "KHM", "--years", "2022-2024", "--db", str(base_store_path))
    assert r.returncode == 0 and "Ream" in r.stdout and "https://" in r.stdout
    r = run("practice", "exercises", "--country", "THA", "--years", "2009-2011", "--db", str(base_store_path))
    assert r.returncode == 0 and "stop in 2010" in r.stdout and "no exercise data" in r.stdout


def test_errors_are_one_line(base_store_path, tmp_path):
    r = run("practice", "arms", "--country", "Atlantis", "--db", str(base_store_path))
    assert r.returncode == 1 and r.stderr.strip().count("\n") == 0 and "Atlantis" in r.stderr
    r = run("practice", "arms", "--country", "VNM", "--years", "2024-2000", "--db", str(base_store_path))
    assert r.returncode == 2 and "--years: first year 2024 is after last year 2000" in r.stderr  # usage
    r = run("practice", "arms", "--country", "VNM", "--years", "soon", "--db", str(base_store_path))
    assert r.returncode == 2
    r = run("practice", "forces", "--country", "VNM", "--db", str(tmp_path / "none.duckdb"))
    assert r.returncode == 1 and "no store" in r.stderr


def test_build_writes_the_stream_with_lineage(full_store):
    lineage = full_store.table("table_provenance").set_index("table")
    for t in ("practice_positions", "practice_arms", "practice_arms_deals", "practice_forces", "practice_exercises"):
        assert lineage.at[t, "stream"] == "practice" and lineage.at[t, "rows"] > 0
    pos = full_store.sql("SELECT * FROM practice_positions WHERE iso3 = 'PHL' AND year = 2020 ORDER BY axis")
    # US arms and troops, but most 2016-20 TIV came from South Korea (FA-50s), a neutral supplier
    assert list(pos.axis) == ["A1", "overall"] and pos.position.iloc[0] == pos.position.iloc[1] > 0.2
    ev = full_store.sql("SELECT sum(tiv) AS t FROM practice_arms_deals WHERE iso3 = 'PHL' AND year BETWEEN 2016 AND 2020")
    arms = full_store.sql("SELECT tiv_total FROM practice_arms WHERE iso3 = 'PHL' AND year = 2020")
    assert abs(float(ev.t.iloc[0]) - float(arms.tiv_total.iloc[0])) < 1e-6
