"""User data: good input lands; every kind of bad input is refused with file, line and
field named, exit code 1, and the store left byte-for-byte as it was."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from orderwatch import ingest
from orderwatch.store import Store

VOTE_HEADER = "undl_id,ms_code,ms_vote,date,resolution,title\n"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "orderwatch", *args], capture_output=True, text=True)


def digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def write_docs(folder: Path, manifest: str, files: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.csv").write_text(manifest, encoding="utf-8")
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


GOOD_MANIFEST = ("file,country,date,title,source_url,language\n"
                 "a.txt,PHL,2024-04-11,Joint statement,https://example.org/a,en\n"
                 "b.md,中国,2023-02-21,全球安全倡议概念文件,https://example.org/b,zh\n")
GOOD_FILES = {"a.txt": "We uphold the rules-based international order.".encode(),
              "b.md": "坚持共同、综合、合作、可持续的安全观。".encode()}


def test_documents_ingest_and_survive_rebuild(store_copy, tmp_path):
    folder = write_docs(tmp_path / "docs", GOOD_MANIFEST, GOOD_FILES)
    r = run("ingest", "documents", str(folder), "--db", str(store_copy))
    assert r.returncode == 0, r.stderr
    with Store(store_copy) as st:
        d = st.documents(source="user")
    assert sorted(d.iso3) == ["CHN", "PHL"] and set(d.language) == {"en", "zh"}
    # a forced rebuild keeps what users added
    r = run("build", "--force", "--base-only", "--quiet", "--db", str(store_copy))
    assert r.returncode == 0, r.stderr
    with Store(store_copy) as st:
        assert len(st.documents(source="user")) == 2


BAD_DOCS = [
    ("file,country,date,title,source_url\n", {}, "missing column(s) language", "line 1"),
    (GOOD_MANIFEST.replace("language\n", "language,colour\n"), GOOD_FILES, "unexpected column(s) colour", "colour"),
    (GOOD_MANIFEST.replace("PHL", "PHX"), GOOD_FILES, "unknown country 'PHX'", "line 2"),
    (GOOD_MANIFEST.replace("2023-02-21", "2023-02-30"), GOOD_FILES, "not a valid date", "line 3"),
    (GOOD_MANIFEST, {"a.txt": b"caf\xe9 au lait", "b.md": GOOD_FILES["b.md"]}, "not UTF-8", "a.txt"),
    (GOOD_MANIFEST, {"a.txt": b"   \n", "b.md": GOOD_FILES["b.md"]}, "file is empty", "a.txt"),
    (GOOD_MANIFEST + "a.txt,PHL,2024-04-11,Again,https://example.org/a,en\n", GOOD_FILES, "listed twice", "line 4"),
    (GOOD_MANIFEST.replace("a.txt,", "../a.txt,"), GOOD_FILES, "outside the folder", "line 2"),
    ("", {}, "file is empty", "manifest.csv"),
]


@pytest.mark.parametrize("manifest,files,message,where", BAD_DOCS)
def test_bad_documents_are_refused_and_store_untouched(store_copy, tmp_path, manifest, files, message, where):
    folder = write_docs(tmp_path / "docs", manifest, files)
    before = digest(store_copy)
    r = run("ingest", "documents", str(folder), "--db", str(store_copy))
    assert r.returncode == 1
    err = r.stderr.strip()
    assert len(err.splitlines()) == 1, err
    assert message in err and where in err, err
    assert digest(store_copy) == before


def test_oversized_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 100)
    f = tmp_path / "big.csv"
    f.write_text(VOTE_HEADER + "1,JPN,Y,2024-01-01,A/RES/1,t\n" * 10)
    with pytest.raises(ingest.InputError, match="the limit is"):
        ingest.votes(f)


def test_votes_ingest(store_copy, tmp_path):
    f = tmp_path / "v.csv"
    f.write_text(VOTE_HEADER + "9900001,JPN,Y,2025-12-01,A/RES/80/1,Test resolution\n"
                 "9900001,CHN,N,2025-12-01,A/RES/80/1,Test resolution\n"
                 "9900001,PHL,,2025-12-01,A/RES/80/1,Test resolution\n")
    r = run("ingest", "votes", str(f), "--db", str(store_copy))
    assert r.returncode == 0, r.stderr
    with Store(store_copy) as st:
        v = st.sql("SELECT iso3, vote FROM votes WHERE rcid = 9900001 ORDER BY iso3")
    assert v.values.tolist() == [["CHN", "no"], ["JPN", "yes"], ["PHL", "absent"]]


ROW = "9900002,JPN,Y,2025-12-01,A/RES/80/2,T\n"
BAD_VOTES = [
    ("undl_id,ms_code,date,resolution,title\n" + "1,JPN,2025-01-01,r,t\n", "missing column(s) ms_vote", "line 1"),
    (VOTE_HEADER.replace("title", "title,extra") + ROW.replace("\n", ",x\n"), "unexpected column(s) extra", "extra"),
    (VOTE_HEADER + ROW.replace("JPN", "JPX"), "unknown country 'JPX'", "field 'ms_code'"),
    (VOTE_HEADER + ROW + ROW, "duplicate vote of JPN", "line 3"),
    (VOTE_HEADER + ROW.replace("2025-12-01", "2025-13-01"), "not a valid date", "field 'date'"),
    (VOTE_HEADER + ROW.replace(",Y,", ",maybe,"), "not one of Y, N, A, X", "field 'ms_vote'"),
    (VOTE_HEADER + ROW.replace("9900002", "abc"), "not an integer", "field 'undl_id'"),
    (VOTE_HEADER + "3846846,JPN,Y,2020-01-14,A/RES/74/267,T\n", "already in the store", "line 2"),
    (VOTE_HEADER, "no vote rows", "v.csv"),
    ("", "file is empty", "v.csv"),
    (VOTE_HEADER + ROW.replace("T\n", "T,extra\n"), "more than the header", "line 2"),
]


@pytest.mark.parametrize("content,message,where", BAD_VOTES)
def test_bad_votes_are_refused_and_store_untouched(store_copy, tmp_path, content, message, where):
    f = tmp_path / "v.csv"
    f.write_text(content, encoding="utf-8")
    before = digest(store_copy)
    r = run("ingest", "votes", str(f), "--db", str(store_copy))
    assert r.returncode == 1, r.stderr
    err = r.stderr.strip()
    assert len(err.splitlines()) == 1 and message in err and where in err, err
    assert digest(store_copy) == before


def test_non_utf8_vote_file_names_the_line(tmp_path):
    f = tmp_path / "v.csv"
    f.write_bytes(VOTE_HEADER.encode() + b"1,JPN,Y,2025-01-01,r,caf\xe9\n")
    with pytest.raises(ingest.InputError, match=r"line 2.*|not UTF-8"):
        ingest.votes(f)
