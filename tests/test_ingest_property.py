"""Property: any input the ingest accepts leaves a store that builds.

A full build per example would take minutes, so each accepted input goes where the build
would put it and through the stages that consume user rows: the rows are inserted into
copies of the store's own tables (DuckDB casts them as ``store.append_user_rows`` does),
merged with a slice of the real data, read back, and handed to the votes stream's and the
words stream's ``derive``. Refused inputs must be refused with an InputError (anything else
fails the test). One real ``orderwatch build`` after ingesting edge cases closes the loop.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from orderwatch import ingest
from orderwatch import text as text_stream
from orderwatch import votes as votes_stream
from orderwatch.errors import InputError
from orderwatch.store import Store
from orderwatch.unga import session_of

SLICE = {"roll_calls": "session = 79", "votes": "rcid IN (SELECT rcid FROM real.roll_calls WHERE session = 79)",
         "speeches": "year = 2023 AND iso3 IN ('CHN', 'USA', 'JPN', 'PHL')",
         "documents": "doc_id IN (SELECT doc_id FROM real.documents ORDER BY doc_id LIMIT 4)"}
PROFILE = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def sliced(base_store_path):
    """An in-memory database with the store's schema and a slice of its real rows."""
    con = duckdb.connect()
    con.execute(f"ATTACH '{base_store_path}' AS real (READ_ONLY)")
    for name, where in SLICE.items():
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM real.{name} WHERE {where}")
    con.execute("DETACH real")
    yield con
    con.close()


def through_store(con, tables: dict, derive) -> dict:
    """Insert ``tables`` as append_user_rows does, run ``derive`` on what reads back, roll back."""
    con.execute("BEGIN")
    try:
        for name, df in tables.items():
            con.register("_incoming", df)
            cols = ", ".join(f'"{c}"' for c in df.columns)
            con.execute(f'INSERT INTO "{name}" ({cols}) SELECT {cols} FROM _incoming')
            con.unregister("_incoming")
        return derive(lambda n: con.execute(f'SELECT * FROM "{n}"').df())
    finally:
        con.execute("ROLLBACK")


# -- strategies: mostly valid values (so that many files are accepted), sometimes not --------
def mostly(valid, invalid):
    """``valid`` 19 times in 20, else ``invalid``."""
    return st.integers(0, 19).flatmap(lambda i: invalid if i == 19 else valid)


EDGE_DATES = [ingest.MIN_DATE, ingest.max_date(), dt.date(1946, 1, 10), dt.date(2024, 2, 29),
              dt.date(2024, 9, 16), dt.date(2024, 9, 17), dt.date(1971, 10, 25)]
dates = mostly(st.one_of(st.dates(ingest.MIN_DATE, ingest.max_date()), st.sampled_from(EDGE_DATES)),
               st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)))
date_cells = mostly(dates.map(dt.date.isoformat), st.sampled_from(
    ["9999-12-31", "0001-01-01", "2023-02-30", "2024-1-2", " 2024-01-02 ", ""]))
texty = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
titles = mostly(st.one_of(st.sampled_from(["Question of \"Korea\"", "a, b", "规则", "=1+1", "'quoted'", "  x "]),
                          st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)),
                texty)
COUNTRIES = ["JPN", "CHN", "USA", "PHL", "Viet Nam", "中国", "kor", "cow:710", "TWN", "YUG", "DDR", "PRK",
             "VAT", "PSE"]
countries = mostly(st.sampled_from(COUNTRIES), st.sampled_from(["JPX", "", "SUN", "Atlantis"]))


@st.composite
def vote_files(draw) -> str:
    n_calls = draw(st.integers(1, 3))
    calls = []
    for _ in range(n_calls):
        rcid = draw(mostly(st.integers(9_000_000_000, 2**63 - 1).map(str),
                           st.sampled_from(["²", "١٢", "+7", "0", "-3", "1e9", str(2**63), " 77 "])))
        date = draw(date_cells)
        try:
            derived = session_of(dt.date.fromisoformat(date.strip()))
        except ValueError:
            derived = 78
        session = draw(mostly(st.sampled_from(["", str(derived), str(derived + 1), str(derived - 1)]),
                              st.sampled_from([str(derived - 2), "²", "0", "x"])))
        calls.append((rcid, date, draw(titles), draw(titles), session))
    with_session = draw(st.booleans())
    header = ["undl_id", "ms_code", "ms_vote", "date", "resolution", "title"] + (["session"] if with_session else [])
    rows = []
    for rcid, date, res, title, session in calls:
        for country in draw(st.lists(countries, min_size=1, max_size=4, unique=True)):
            vote = draw(mostly(st.sampled_from(["Y", "N", "A", "X", "", "y"]), st.just("maybe")))
            rows.append([rcid, country, vote, date, res, title] + ([session] if with_session else []))
    buf = io.StringIO()
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    csv.writer(buf, quoting=quoting, lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"]))).writerows(
        [header] + rows)
    return draw(st.sampled_from(["", "\ufeff"])) + buf.getvalue()


@st.composite
def document_folders(draw) -> tuple[str, dict[str, str]]:
    """(manifest.yaml text, {file name: text})."""
    n = draw(st.integers(1, 3))
    entries, files = [], {}
    for i in range(n):
        name = f"d{i}.{draw(st.sampled_from(['txt', 'md']))}"
        files[name] = draw(st.one_of(st.sampled_from([
            "We uphold the rules-based international order and freedom of navigation.",
            "坚持共同、综合、合作、可持续的安全观。反对霸权主义和强权政治。", "x"]), texty))
        date = draw(st.one_of(dates, date_cells))  # a YAML date or a quoted string
        entries.append({"file": name, "country": draw(countries), "date": date, "title": draw(titles),
                        "source_url": draw(mostly(st.sampled_from(["https://example.org/a", "http://x.y/?q=1"]),
                                                  st.sampled_from(["ftp://x", "javascript:alert(1)"]))),
                        "language": draw(mostly(st.sampled_from(["en", "zh", "EN"]), st.just("fr")))})
    lines = []
    for e in entries:
        lines.append("- " + "\n  ".join(f"{k}: {_yaml_scalar(v)}" for k, v in e.items()))
    return "\n".join(lines) + "\n", files


def _yaml_scalar(v) -> str:
    if isinstance(v, dt.date):
        return v.isoformat()
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


# -- properties ---------------------------------------------------------------------------
@PROFILE
@given(text=vote_files())
def test_accepted_vote_files_build(sliced, text):
    try:
        tables = ingest.votes_from_text(text, "v.csv")
    except InputError:
        event("refused")
        return
    event("accepted")
    rc = tables["roll_calls"]
    assert rc.session.notna().all() and (rc.session >= 1).all()
    out = through_store(sliced, tables, votes_stream.derive)
    assert len(out["votes_ideal_points"]) > 0


@PROFILE
@given(folder=document_folders())
def test_accepted_documents_build(sliced, folder):
    manifest, files = folder
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "manifest.yaml").write_text(manifest, encoding="utf-8")
        for name, body in files.items():
            (Path(tmp) / name).write_text(body, encoding="utf-8")
        try:
            rows = ingest.documents(tmp)
        except InputError:
            event("refused")
            return
    event("accepted")
    out = through_store(sliced, {"documents": rows}, text_stream.derive)
    assert set(rows.doc_id) <= set(out["text_documents"].doc_id)


# -- one real build after ingesting accepted edge cases -------------------------------------
EDGE_VOTES = (  # no session column, CR-only line ends, a BOM, the date bounds, a historical state
    "\ufeffundl_id,ms_code,ms_vote,date,resolution,title\r"
    f"9900001,JPN,Y,{ingest.MIN_DATE},A/RES/1/1,\"First, \"\"quoted\"\" vote\"\r"
    f"9900002,YUG,N,1991-09-16,A/RES/45/1,Before the opening\r"
    f"9900003,CHN,A,{ingest.max_date()},A/RES/81/1,Tomorrow\r"
    f"9900003,PHL,,{ingest.max_date()},A/RES/81/1,Tomorrow\r"
)
EDGE_MANIFEST = (
    "- &doc\n  file: a.txt\n  country: PHL\n  date: 1945-06-26\n  title: Oldest\n"
    "  source_url: https://example.org/a\n  language: en\n"
    f"- <<: *doc\n  file: b.md\n  date: {ingest.max_date()}\n  country: 中国\n  language: zh\n  title: 最新\n"
)


@pytest.mark.slow
def test_real_build_after_edge_case_ingests(base_store_path, tmp_path):
    db = tmp_path / "edge.duckdb"
    shutil.copyfile(base_store_path, db)
    (tmp_path / "v.csv").write_text(EDGE_VOTES, encoding="utf-8", newline="")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "manifest.yaml").write_text(EDGE_MANIFEST, encoding="utf-8")
    (docs / "a.txt").write_text("We uphold the rules-based international order.", encoding="utf-8")
    (docs / "b.md").write_text("坚持共同、综合、合作、可持续的安全观。", encoding="utf-8")

    def run(*args):
        r = subprocess.run([sys.executable, "-m", "orderwatch", *args, "--db", str(db)], capture_output=True,
                           text=True)
        assert r.returncode == 0, r.stderr
    run("ingest", "votes", str(tmp_path / "v.csv"))
    run("ingest", "documents", str(docs))
    run("build", "--force", "--quiet")
    with Store(db) as st:
        rc = st.sql("SELECT rcid, session FROM roll_calls WHERE source = 'user' ORDER BY rcid")
        assert rc.session.tolist() == [1, 45, session_of(ingest.max_date())]
        assert st.sql("SELECT count(*) AS n FROM text_documents WHERE doc_id LIKE 'user:%'").n[0] == 2
        assert len(st.sql("SELECT * FROM votes_ideal_points WHERE session = 1")) > 0


def test_rows_ingested_before_these_checks_still_build(sliced):
    """A store written by an older ingest may hold a roll call without session and
    documents dated 9999-12-31 or 0001-01-01: the stages read them instead of failing."""
    def derive_both(read):
        return {**votes_stream.derive(read), **text_stream.derive(read)}

    sliced.execute("BEGIN")
    try:
        for i, d in enumerate([dt.date(9999, 12, 31), dt.date(1, 1, 1)]):
            sliced.execute("INSERT INTO documents VALUES (?, 'PHL', ?, ?, 't', 'en', 'user_document', 'user', "
                           "'https://example.org', 'We uphold the rules-based international order.')",
                           [f"user:old{i}", d, d.year])
        sliced.execute("INSERT INTO roll_calls (rcid, session, date, year, resolution, short, descr, source) "
                       "VALUES (99000001, NULL, DATE '2025-03-03', 2025, 'r', 't', 't', 'user')")
        sliced.execute("INSERT INTO votes VALUES (99000001, 'JPN', 'yes', 'user'), (99000001, 'CHN', 'no', 'user')")
        out = derive_both(lambda n: sliced.execute(f'SELECT * FROM "{n}"').df())
    finally:
        sliced.execute("ROLLBACK")
    docs = out["text_documents"].set_index("doc_id")
    assert docs.loc["user:old0", "year"] == 9999 and docs.loc["user:old0", "date"] is pd.NaT
    assert 79 in set(out["votes_ideal_points"].session)
