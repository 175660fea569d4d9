"""`orderwatch update votes` on recorded MARC XML responses (never the network): adds
exactly one session's roll calls and votes, adds nothing when re-run, resumes after an
interruption, and leaves the store byte-for-byte as it was on any failure."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from orderwatch.store import Store
from orderwatch.update import undl
from orderwatch.update.votes import cache_dir, update_votes
from tests.update import undl_fixture as F

TODAY = dt.date(2026, 12, 6)


def digest(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def counts(path: Path) -> tuple[int, int]:
    with Store(path) as st:
        return (int(st.sql("SELECT count(*) n FROM roll_calls").n[0]), int(st.sql("SELECT count(*) n FROM votes").n[0]))


def test_one_session_is_added_exactly_once(store_copy):
    recs = F.session_records()
    pages = F.session_pages()
    before = counts(store_copy)
    r = update_votes(store_copy, F.fetcher(pages), TODAY)
    n_votes = sum(len(x["votes"]) for x in recs)
    assert r.added == {"roll_calls": len(recs), "votes": n_votes} and len(recs) == 118
    assert counts(store_copy) == (before[0] + len(recs), before[1] + n_votes)
    with Store(store_copy) as st:
        rc = st.sql("SELECT * FROM roll_calls WHERE rcid >= 9000001 ORDER BY rcid")
        v = st.sql("SELECT iso3, vote FROM votes WHERE rcid = 9000001")
        batches = st.table("update_batches")
        meta = st.meta()
    assert rc.rcid.tolist() == [x["rid"] for x in recs] and set(rc.session) == {80} and set(rc.source) == {"user"}
    want = dict((c, {"Y": "yes", "N": "no", "A": "abstain", "": "absent"}[x]) for c, x, _ in recs[0]["votes"])
    assert dict(zip(v.iso3, v.vote)) == want
    # provenance per page: the query URL, when, sha256 of the response, its record count
    assert len(batches) == len(pages) and set(batches.source) == set(pages)
    assert sorted(batches.sha256) == sorted(hashlib.sha256(b).hexdigest() for b in pages.values())
    assert batches.records.sum() == len(recs) and batches.new_records.sum() == len(recs)
    assert meta["fingerprint"] == "stale" and {"votes", "synthesis"} <= set(meta["stale_streams"])
    # re-running adds nothing and does not touch the file
    after = digest(store_copy)
    r2 = update_votes(store_copy, F.fetcher(pages), TODAY)
    assert r2.added == {"roll_calls": 0, "votes": 0} and digest(store_copy) == after


def test_fetched_votes_survive_a_rebuild(store_copy):
    from orderwatch import build

    update_votes(store_copy, F.fetcher(F.session_pages(12, page_size=5)), TODAY, page_size=5)
    build.build(store_copy, force=True, with_streams=False)
    with Store(store_copy) as st:
        assert len(st.sql("SELECT * FROM roll_calls WHERE rcid >= 9000001")) == 12
        assert len(st.table("update_batches")) > 0


def _bad(pages: dict[str, bytes], old: bytes, new: bytes) -> dict[str, bytes]:
    url = next(u for u, b in pages.items() if old in b)
    return {**pages, url: pages[url].replace(old, new, 1)}


SMALL = dict(n=12, page_size=5)
BAD = [
    (lambda p: _bad(p, b'<subfield code="d">Y</subfield>', b'<subfield code="d">Maybe</subfield>'),
     "is not Y, N, A or empty"),
    (lambda p: _bad(p, b'<subfield code="c">AFG</subfield>', b'<subfield code="c">ZZZ</subfield>'), "unknown country"),
    (lambda p: _bad(p, b'<datafield tag="269" ind1=" " ind2=" "><subfield code="a">2025-11-03',
                    b'<datafield tag="269" ind1=" " ind2=" "><subfield code="a">3 Nov 2025'), "not a date"),
    (lambda p: _bad(p, b"A/RES/80/900", b"S/RES/2800"), "not a General Assembly resolution symbol"),
    (lambda p: _bad(p, b'tag="996" ind1=" " ind2=" "><subfield code="b">',
                    b'tag="996" ind1=" " ind2=" "><subfield code="b">1'), "the 996 tally says"),
    (lambda p: _bad(p, b"</collection>", b""), "not well-formed XML"),
    (lambda p: {u: b"<html><body>Service unavailable</body></html>" for u in p}, "not a MARC XML <collection>"),
    (lambda p: {}, "not in the recorded responses"),  # the network fails on the first request
]


@pytest.mark.parametrize("spoil,message", BAD)
def test_failures_leave_the_store_byte_identical(store_copy, spoil, message):
    pages = spoil(F.session_pages(**SMALL))
    before = digest(store_copy)
    with pytest.raises((undl.FormatError, undl.NetworkError), match=message) as exc:
        update_votes(store_copy, F.fetcher(pages), TODAY, page_size=5)
    assert "\n" not in str(exc.value)
    assert digest(store_copy) == before


def test_an_interrupted_update_resumes_without_refetching(store_copy):
    pages = F.session_pages(**SMALL)
    urls = list(pages)
    broken = {u: b for u, b in pages.items() if u != urls[1]}  # the network drops on the second page
    before = digest(store_copy)
    with pytest.raises(undl.NetworkError):
        update_votes(store_copy, F.fetcher(broken), TODAY, page_size=5)
    assert digest(store_copy) == before and cache_dir(store_copy).is_dir()
    fetch = F.fetcher(pages)
    r = update_votes(store_copy, fetch, TODAY, page_size=5)
    assert urls[0] not in fetch.calls and urls[1] in fetch.calls  # the first page came from the cache
    assert r.added["roll_calls"] == 12 and not cache_dir(store_copy).exists()


def test_cli_network_failure_is_one_line_and_changes_nothing(store_copy):
    before = digest(store_copy)
    env = {**os.environ, undl.URL_ENV: "http://127.0.0.1:9/search"}  # nothing listens there
    r = subprocess.run([sys.executable, "-m", "orderwatch", "update", "votes", "--db", str(store_copy)],
                       capture_output=True, text=True, env=env)
    assert r.returncode == 1, r.stderr
    err = r.stderr.strip()
    assert len(err.splitlines()) == 1 and "cannot reach the UN Digital Library" in err, err
    assert digest(store_copy) == before
