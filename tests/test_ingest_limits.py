"""Issue 17's reproducers: inputs that used to be accepted and break later builds, or that
gave tracebacks. Each is now either accepted in a form every stage reads, or refused with
one InputError line naming the file, the line and the field."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time

import numpy as np
import pandas as pd
import pytest

from orderwatch import ingest, safeyaml
from orderwatch.claims.ledger import parse_ledger
from orderwatch.errors import InputError
from orderwatch.unga import session_of, session_opening
from orderwatch.votes.matrix import vote_matrix
from orderwatch.votes.sessions import fit_sessions

HEADER = "undl_id,ms_code,ms_vote,date,resolution,title"


def votes(text: str, name: str = "v.csv"):
    return ingest.votes_from_text(text, name)


def refused(fn, *args) -> str:
    with pytest.raises(InputError) as exc:
        fn(*args)
    message = str(exc.value)
    assert "\n" not in message and "Traceback" not in message
    return message


# -- sessions --------------------------------------------------------------------------------
def test_session_is_derived_from_the_date_when_the_column_is_absent():
    rc = votes(HEADER + "\n1,JPN,Y,2024-09-16,A/RES/78/1,t\n2,JPN,Y,2024-09-17,A/RES/79/1,t\n"
               "3,JPN,Y,2022-03-02,A/RES/ES-11/1,t\n")["roll_calls"]
    assert rc.session.tolist() == [78, 79, 76]  # the opening of session 79: 17 September 2024
    assert rc.session.dtype.kind == "i"


@pytest.mark.parametrize("date,session", [("1946-01-10", 1), ("1947-09-16", 2), ("1947-09-15", 1),
                                          ("2011-09-13", 66), ("2020-09-11", 74), ("2025-09-19", 80)])
def test_unga_calendar(date, session):
    assert session_of(dt.date.fromisoformat(date)) == session


def test_calendar_agrees_with_the_bundled_roll_calls(store):
    rc = store.roll_calls()
    derived = np.array([session_of(pd.Timestamp(d).date()) for d in rc.date])
    recent = (pd.to_datetime(rc.date) >= "1990-01-01").to_numpy()
    assert (derived == rc.session.to_numpy())[recent].mean() > 0.995
    assert (derived == rc.session.to_numpy())[(rc.source == "undl").to_numpy()].all()
    assert session_opening(2024) == dt.date(2024, 9, 17)


def test_a_given_session_must_fit_the_date():
    ok = votes("undl_id,ms_code,ms_vote,date,resolution,title,session\n1,JPN,Y,2024-09-18,r,t,78\n")
    assert ok["roll_calls"].session.tolist() == [78]  # within one of the date's session: kept
    msg = refused(votes, "undl_id,ms_code,ms_vote,date,resolution,title,session\n1,JPN,Y,2024-10-01,r,t,5\n")
    assert "line 2, field 'session'" in msg and "session 79" in msg


def test_sessions_fit_with_missing_session_values(store):
    """Rows ingested before sessions were derived (session NULL) no longer break the build."""
    rc = store.roll_calls(years=(2023, 2024)).reset_index(drop=True)
    v = store.votes(years=(2023, 2024))
    rc.loc[rc.index[:10], "session"] = pd.NA
    rc["session"] = rc["session"].astype("Int64")
    fits = fit_sessions(vote_matrix(v, rc), n_boot=0)
    assert set(fits.session) == {77, 78, 79}
    assert fits.ideal_point.notna().all()


# -- dates -------------------------------------------------------------------------------------
@pytest.mark.parametrize("date,message", [
    ("9999-12-31", "outside 1945-06-26"), ("0001-01-01", "outside 1945-06-26"), ("1945-06-25", "outside"),
    ("2023-02-30", "no such day"), ("2024-13-01", "no such day"), ("20240101", "YYYY-MM-DD"),
    ("2024-W01-1", "YYYY-MM-DD"), ("２０２４-０１-０１", "YYYY-MM-DD"), ("2024-1-1", "YYYY-MM-DD"),
])
def test_vote_dates_out_of_range_or_impossible(date, message):
    msg = refused(votes, f"{HEADER}\n1,JPN,Y,{date},r,t\n")
    assert message in msg and "line 2, field 'date'" in msg


def test_date_bounds_are_inclusive():
    tomorrow = ingest.max_date().isoformat()
    rc = votes(f"{HEADER}\n1,JPN,Y,1945-06-26,r,t\n2,JPN,Y,{tomorrow},r,t\n")["roll_calls"]
    assert rc.session.tolist() == [1, session_of(ingest.max_date())]
    day_after = (ingest.max_date() + dt.timedelta(days=1)).isoformat()
    assert "outside" in refused(votes, f"{HEADER}\n1,JPN,Y,{day_after},r,t\n")


def docs_folder(tmp_path, manifest: str, name: str = "manifest.yaml", files=None):
    (tmp_path / name).write_text(manifest, encoding="utf-8")
    for fname, text in (files or {"a.txt": "We uphold the rules-based order."}).items():
        (tmp_path / fname).write_text(text, encoding="utf-8")
    return tmp_path


YAML_DOC = ("- file: a.txt\n  country: PHL\n  date: {date}\n  title: T\n"
            "  source_url: https://example.org/a\n  language: en\n")


@pytest.mark.parametrize("date,message,line", [
    ("9999-12-31", "outside", 3), ("0001-01-01", "outside", 3), ("2023-02-30", "day is out of range", 3),
    ("'2023-02-30'", "no such day", 3), ("2024-01-01 10:00:00", "YYYY-MM-DD", 3),
])
def test_document_dates_in_yaml(tmp_path, date, message, line):
    msg = refused(ingest.documents, docs_folder(tmp_path, YAML_DOC.format(date=date)))
    assert message in msg and f"line {line}" in msg, msg


# -- CSV dialect -------------------------------------------------------------------------------
def test_unterminated_quote_is_refused_naming_its_line():
    text = f'{HEADER}\n1,JPN,Y,2024-01-02,r,"Title\n1,CHN,N,2024-01-02,r,Title\n1,USA,N,2024-01-02,r,Title\n'
    msg = refused(votes, text)
    assert "line 2" in msg and "quote" in msg
    text = f'{HEADER}\n1,JPN,Y,2024-01-02,r,"Title\n1,CHN,N,2024-01-02,r,Title"\n'
    msg = refused(votes, text)
    assert "runs over lines 2-3" in msg and "field 'title'" in msg
    assert "line 2" in refused(votes, f'{HEADER}\n1,JPN,Y,2024-01-02,r,"Ti"tle\n')


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_line_endings_read_alike(newline):
    rows = [HEADER, '1,JPN,Y,2024-01-02,r,"a, b"', "1,CHN,N,2024-01-02,r,\"a, b\"", "2,USA,A,2024-01-03,r,t"]
    out = votes(newline.join(rows) + newline)
    assert out["votes"].iso3.tolist() == ["JPN", "CHN", "USA"]
    assert out["roll_calls"].short.tolist() == ["a, b", "t"]


@pytest.mark.parametrize("cell,message", [
    ("x" * 131_073, "field larger than field limit"), ("x" * 5000, "the limit is 2,000"),
    ("a\x00b", "U+0000"), ("a\x07b", "control character U+0007"),
])
def test_huge_fields_nul_and_control_characters(cell, message):
    msg = refused(votes, f"{HEADER}\n1,JPN,Y,2024-01-02,r,{cell}\n")
    assert message in msg and "line 2" in msg


@pytest.mark.parametrize("column,value,ok", [
    ("session", "²", False), ("session", "٧٨", False), ("session", "+78", False), ("session", "78", True),
    ("undl_id", str(2**63), False), ("undl_id", str(2**63 - 1), True), ("undl_id", "1_000", False),
    ("undl_id", "0", False), ("year", "2024", True), ("year", "2023", False),
])
def test_ascii_integers(column, value, ok):
    row = {"undl_id": "5", "ms_code": "JPN", "ms_vote": "Y", "date": "2024-01-02", "resolution": "r",
           "title": "t", "session": "", "year": "", column: value}
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(row))
    w.writeheader()
    w.writerow(row)
    if ok:
        assert len(votes(buf.getvalue())["votes"]) == 1
    else:
        assert f"field '{column}'" in refused(votes, buf.getvalue())


def test_duplicate_header_and_short_rows():
    assert "more than once" in refused(votes, HEADER + ",title\n1,JPN,Y,2024-01-02,r,t,t\n")
    assert "fewer than the header" in refused(votes, f"{HEADER}\n1,JPN,Y,2024-01-02,r\n")


# -- YAML --------------------------------------------------------------------------------------
BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{n}: &{n} [{','.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi"))


def test_alias_bomb_is_refused_fast(tmp_path):
    assert len(BOMB) < 500
    t = time.perf_counter()
    msg = refused(safeyaml.load, BOMB, "bomb.yaml")
    assert "aliases are expanded" in msg and time.perf_counter() - t < 1
    ledger = "claims:\n" + "".join("  " + line + "\n" for line in ["- id: x", "  claim: y"]) + BOMB.replace(
        "a: &a", "z: &a")
    assert "aliases are expanded" in refused(parse_ledger, ledger, "ledger.yaml")
    msg = refused(ingest.documents, docs_folder(tmp_path, "- " + BOMB.replace("\n", "\n  ")))
    assert "manifest.yaml" in msg and "aliases" in msg


def test_deep_nesting_recursive_aliases_and_surrogates(tmp_path):
    assert "nest" in refused(safeyaml.load, "[" * 20_000 + "]" * 20_000, "deep.yaml")  # ours or libyaml's
    assert "nested deeper than 64" in refused(safeyaml.load, "[" * 65 + "]" * 65, "deep.yaml")
    assert safeyaml.load("[" * 64 + "]" * 64, "ok.yaml") is not None
    # depth through aliases: a 40-deep anchor used 40 levels down
    through = "a: &a " + "[" * 40 + "]" * 40 + "\nb: " + "[" * 40 + "*a" + "]" * 40
    assert "nested deeper than 64" in refused(safeyaml.load, through, "alias-deep.yaml")
    assert "inside the node it names" in refused(safeyaml.load, "a: &a [1, *a]", "rec.yaml")
    surrogate = YAML_DOC.format(date="2024-01-01").replace("title: T", 'title: "\\ud800"')
    msg = refused(ingest.documents, docs_folder(tmp_path, surrogate))  # libyaml's words or ours
    assert "line 4" in msg and ("lone surrogate" in msg or "invalid Unicode" in msg), msg
    assert "lone surrogate" in refused(ingest.text_value, "m.yaml", 4, "title", "a\ud800")
    nul_name = YAML_DOC.format(date="2024-01-01").replace("file: a.txt", 'file: "a\\0.txt"')
    msg = refused(ingest.documents, docs_folder(tmp_path, nul_name))
    assert "line 1, field 'file'" in msg and "control character" in msg


@pytest.mark.parametrize("text", ["a: !!timestamp not-a-date", "a: !!bool maybe", "a: !!int x", "a: !!set [1]",
                                  "a: " + "9" * 5000, "a: !!python/object/apply:os.system [true]", "<<: [1]"])
def test_tags_and_values_that_cannot_be_built(text):
    """Found by the fuzz: an explicit tag on a value it cannot hold was an AttributeError."""
    assert "line 1: not valid YAML" in refused(safeyaml.load, text, "t.yaml")


def test_small_aliases_are_fine(tmp_path):
    manifest = ("- &base\n  file: a.txt\n  country: PHL\n  date: 2024-01-01\n  title: T\n"
                "  source_url: https://example.org/a\n  language: en\n- <<: *base\n  file: b.txt\n")
    rows = ingest.documents(docs_folder(tmp_path, manifest, files={"a.txt": "one", "b.txt": "two"}))
    assert len(rows) == 2 and set(rows.iso3) == {"PHL"}


@pytest.mark.parametrize("field,value,message", [
    ("source_url", "javascript:alert(1)", "not an http(s) URL"),
    ("source_url", "'http://[x'", "not an http(s) URL"),  # urlsplit's ValueError, found by the fuzz
    ("source_url", "http://x:99999/", "not an http(s) URL"), ("title", "[1, 2]", "expected text"),
    ("id", "yes", "expected text"), ("country", "{a: 1}", "expected text"),
])
def test_manifest_values_must_be_text(tmp_path, field, value, message):
    manifest = YAML_DOC.format(date="2024-01-01")
    manifest = manifest.replace(f"{field}: ", f"{field}: {value}\n  x_{field}: ") if field != "id" else \
        manifest + f"  id: {value}\n"
    manifest = "\n".join(line for line in manifest.splitlines() if "x_" not in line) + "\n"
    msg = refused(ingest.documents, docs_folder(tmp_path, manifest))
    assert message in msg and f"field '{field}'" in msg, msg
