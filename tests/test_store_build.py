"""The store: idempotent and atomic builds, the Python API, parameterised SQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest

import orderwatch as ow
from orderwatch import build as builder
from orderwatch.errors import OrderwatchError
from orderwatch.store import Store, default_db_path


def test_unchanged_inputs_make_a_no_op(base_store_path):
    before = base_store_path.stat().st_mtime_ns
    report = builder.build(base_store_path, with_streams=False)
    assert report.skipped and report.seconds < 2
    assert base_store_path.stat().st_mtime_ns == before


def test_default_path_and_env_override(monkeypatch, tmp_path):
    monkeypatch.setenv("ORDERWATCH_DB", str(tmp_path / "x.duckdb"))
    assert default_db_path() == tmp_path / "x.duckdb"
    monkeypatch.delenv("ORDERWATCH_DB")
    assert default_db_path().name == "orderwatch.duckdb"


def test_python_api_returns_dataframes(store):
    c = store.countries()
    assert isinstance(c, pd.DataFrame) and {"iso3", "name_zh", "cow"} <= set(c.columns)
    v = store.votes(countries=["JPN", "CHN"], years=(2015, 2019), with_roll_calls=True)
    assert set(v.iso3) == {"JPN", "CHN"} and v.year.between(2015, 2019).all()
    s = store.speeches(country="PHL", years=(2020, 2024))
    assert len(s) == 5 and (s.iso3 == "PHL").all()
    d = store.documents(source="china_mfa", language="en")
    assert len(d) == 500


def test_sql_takes_parameters_not_strings(store):
    df = store.sql("SELECT count(*) AS n FROM votes WHERE iso3 = ? AND vote = ?", ["JPN", "yes"])
    assert df.n[0] > 1000
    hostile = store.sql("SELECT count(*) AS n FROM countries WHERE iso3 = ?", ["JPN' OR '1'='1"])
    assert hostile.n[0] == 0


def test_store_is_read_only(store):
    with pytest.raises(duckdb.Error):
        store.sql("DELETE FROM countries")


def test_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(OrderwatchError, match="orderwatch build"):
        ow.open(tmp_path / "none.duckdb")


def test_unknown_table_lists_the_known_ones(store):
    with pytest.raises(OrderwatchError, match="countries"):
        store.table("nope")


def _counts(path: Path) -> tuple[int, int]:
    with Store(path) as st:
        return int(st.sql("SELECT count(*) FROM votes").iloc[0, 0]), int(st.sql("SELECT count(*) FROM speeches").iloc[0, 0])


@pytest.mark.slow
def test_killed_build_leaves_previous_store_usable(store_copy):
    """SIGKILL a forced rebuild at several moments: the old store always opens and answers."""
    want = _counts(store_copy)
    for delay in (0.3, 1.5, 3.0, 4.5):
        proc = subprocess.Popen([sys.executable, "-m", "orderwatch", "build", "--force", "--base-only",
                                 "--quiet", "--db", str(store_copy)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert _counts(store_copy) == want, f"store broken after kill at {delay}s"
    # the next build cleans the dead builds' temp files and still works
    builder.build(store_copy, with_streams=False)
    assert not list(store_copy.parent.glob(f".{store_copy.name}.*"))
    assert _counts(store_copy) == want


def test_votes_by_session(store):
    v = store.votes(countries=["JPN"], sessions=74, with_roll_calls=True)
    assert len(v) > 50 and set(v.session) == {74}


def test_undl_issue_codes_are_unknown_not_false(store):
    df = store.sql("SELECT source, count(nu) AS known FROM roll_calls GROUP BY 1").set_index("source")
    assert df.at["undl", "known"] == 0 and df.at["voeten", "known"] == 6203


def test_every_derived_table_has_its_lineage(full_store):
    lineage = full_store.table("table_provenance").set_index("table")
    derived = [t for t in full_store.tables()
               if t not in ("meta", "table_provenance", "text_embeddings") and t not in builder.store.BASE_TABLES]
    assert derived and set(derived) <= set(lineage.index)
    assert lineage.code_sha256.str.fullmatch(r"[0-9a-f]{64}").all()
    assert (lineage.rows > 0).all()
    for t in ("positions", "votes_positions", "text_positions", "institutions_positions"):
        assert int(full_store.sql(f"SELECT count(*) FROM {t}").iloc[0, 0]) == lineage.at[t, "rows"]
