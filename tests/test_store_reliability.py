"""Concurrent writers lose nothing: one writer at a time per store (a lock file naming its
holder's pid), ingests during a build are carried into it, two builds never overlap, and
temp files belong to their writer until it dies. Real CLI processes on a small store with
the real schema; one test ingests during a real build of the bundled data."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pandas as pd
import pytest

from orderwatch import build, lock, store
from orderwatch.errors import OrderwatchError
from orderwatch.store import Store
from storekit import cli, make_small_store, run_cli, slow_build, temp_files, user_rcids, vote_csv, wait_for


@pytest.fixture(scope="module")
def small_template(base_store_path, tmp_path_factory):
    return make_small_store(base_store_path, tmp_path_factory.mktemp("small") / "template.duckdb")


@pytest.fixture()
def small(small_template, tmp_path):
    p = tmp_path / "s.duckdb"
    shutil.copyfile(small_template, p)
    return p


HOLD = """
import sys, time
from pathlib import Path
from orderwatch import lock
with lock.writer_lock(Path(sys.argv[1]), kind=sys.argv[2]):
    print("locked", flush=True)
    time.sleep(60)
"""


def hold_lock(target, kind=lock.WRITE) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(target), kind], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


# -- the lock -----------------------------------------------------------------------------------
def test_a_second_writer_waits_then_refuses_naming_the_holder(small, tmp_path):
    proc = hold_lock(small)
    try:
        assert lock.holder(small) == proc.pid
        t = time.monotonic()
        with pytest.raises(lock.StoreBusyError, match=rf"another orderwatch process is writing this store "
                                                        rf"\(pid {proc.pid}\)"):
            with lock.writer_lock(small, wait=0.5):
                pass
        assert 0.5 <= time.monotonic() - t < 5
        # the CLI: one line, exit 1, the store untouched
        before = small.read_bytes()
        r = run_cli("ingest", "votes", str(vote_csv(tmp_path / "a.csv", 990001)), "--db", str(small), "--wait", "0.3")
        assert r.returncode == 1 and r.stderr.count("\n") == 1, r.stderr
        assert f"(pid {proc.pid})" in r.stderr and small.read_bytes() == before
    finally:
        proc.kill()
        proc.wait()
    # the kernel released the lock of the killed holder: no wait
    assert lock.holder(small) is None
    t = time.monotonic()
    with lock.writer_lock(small, wait=0):
        assert lock.holder(small) == os.getpid()
    assert time.monotonic() - t < 1


def test_the_lock_is_reentrant_within_a_process(small):
    with lock.writer_lock(small, wait=0):
        with lock.writer_lock(small, wait=0):  # e.g. the ingest command around append_user_rows
            pass
        assert lock.holder(small) == os.getpid()
    assert lock.holder(small) is None


def test_a_waiting_writer_proceeds_when_the_holder_finishes(small):
    proc = hold_lock(small)
    threading.Timer(0.5, proc.kill).start()
    try:
        t = time.monotonic()
        with lock.writer_lock(small, wait=30):
            assert time.monotonic() - t >= 0.4
    finally:
        proc.wait()


# -- concurrent writers -------------------------------------------------------------------------
def test_ten_concurrent_ingest_pairs_keep_every_row(small, tmp_path):
    want: set[int] = set()
    for pair in range(10):
        a, b = 991000 + 2 * pair, 991001 + 2 * pair
        procs = [cli("ingest", "votes", str(vote_csv(tmp_path / f"{r}.csv", r)), "--db", str(small))
                 for r in (a, b)]
        outs = [p.communicate(timeout=120) for p in procs]
        assert all(p.returncode == 0 for p in procs), outs
        want |= {a, b}
        assert user_rcids(small) == want, f"pair {pair} lost rows"
    with Store(small) as st:
        assert st.meta()["user_rows"] == {"roll_calls": 20, "votes": 60}
    assert not temp_files(small)


@pytest.mark.parametrize("run", range(5))
def test_an_ingest_during_a_build_is_kept(small, small_template, tmp_path, run):
    """The build stops inside a stream; an ingest completes meanwhile; the build's swap
    then carries the ingested rows in (and marks the store stale for the next build)."""
    earlier = vote_csv(tmp_path / "early.csv", 992000 + run)
    assert run_cli("ingest", "votes", str(earlier), "--db", str(small)).returncode == 0
    proc, _, release = slow_build(small, small_template, tmp_path, parallel=run % 2 == 1)
    try:
        r = run_cli("ingest", "votes", str(vote_csv(tmp_path / "during.csv", 993000 + run)), "--db", str(small))
        assert r.returncode == 0 and "added 3 vote(s)" in r.stderr, r.stderr
    finally:
        release.touch()
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err[-2000:]
    assert user_rcids(small) == {992000 + run, 993000 + run}
    with Store(small) as st:
        meta = st.meta()
        assert meta["fingerprint"] == "stale" and "v_counts" in st.tables()  # the build's tables are in
        assert meta["user_rows"] == {"roll_calls": 2, "votes": 6}
    assert not temp_files(small)


def test_an_ingest_during_a_real_build_is_kept(base_store_path, tmp_path):
    """A real `orderwatch build --force --base-only` of the bundled data, and an ingest while
    it writes its new file: the ingested votes are in the built store."""
    target = tmp_path / "real.duckdb"
    shutil.copyfileobj(open(base_store_path, "rb"), open(target, "wb"))
    builder = cli("build", "--force", "--base-only", "--quiet", "--db", str(target))
    assert wait_for(lambda: temp_files(target) or builder.poll() is not None, 120)
    assert builder.poll() is None, "the build ended before the ingest could start"
    r = run_cli("ingest", "votes", str(vote_csv(tmp_path / "a.csv", 994001)), "--db", str(target))
    assert r.returncode == 0, r.stderr
    during = builder.poll() is None
    out, err = builder.communicate(timeout=300)
    assert builder.returncode == 0, err
    assert user_rcids(target) == {994001}
    assert during, "the ingest finished after the build (the test did not overlap them)"
    with Store(target) as st:
        assert st.meta()["fingerprint"] == "stale"
    assert run_cli("doctor", "--db", str(target)).returncode == 0


def test_two_builds_at_once_the_second_waits_or_refuses(small, small_template, tmp_path, monkeypatch):
    proc, _, release = slow_build(small, small_template, tmp_path)
    try:
        with pytest.raises(lock.StoreBusyError, match=rf"building this store \(pid {proc.pid}\)"):
            build.build(small, wait=0.3)
        r = run_cli("build", "--db", str(small), "--wait", "0.3")
        assert r.returncode == 1 and r.stderr.count("\n") == 1 and f"pid {proc.pid}" in r.stderr, r.stderr
        # a second build with time to wait runs after the first, without tripping on its temp file
        monkeypatch.setattr(build, "base_tables", lambda progress=None: {"countries": pd.DataFrame({"iso3": ["CHN"]})})
        monkeypatch.setattr(build, "verify_bundled", lambda: None)
        monkeypatch.setattr(build, "stream_steps", lambda *a: [])
        result: list = []
        waiter = threading.Thread(target=lambda: result.append(build.build(small, force=True, wait=60)))
        waiter.start()
        time.sleep(0.5)
        assert waiter.is_alive() and not result  # waiting for the first build
    finally:
        release.touch()
    proc.communicate(timeout=120)
    waiter.join(120)
    assert proc.returncode == 0 and result and not result[0].skipped
    with Store(small) as st:
        assert st.tables() == ["countries", "meta"]
    assert not temp_files(small)


# -- temp files ---------------------------------------------------------------------------------
def test_temp_files_of_live_writers_are_kept_and_of_dead_ones_removed(small, tmp_path):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    mine = small.parent / f".{small.name}.{os.getpid()}-0123abcd.tmp"
    theirs = small.parent / f".{small.name}.{dead.pid}-89abcdef.tmp"
    legacy = small.parent / f".{small.name}.k2j4h5g6.tmp"  # a pre-lock build's mkstemp name
    for p in (mine, theirs, legacy, theirs.with_name(theirs.name + ".wal")):
        p.write_bytes(b"x")
    assert sorted(p.name for p in store.stale_temp_files(small)) == sorted(
        [theirs.name, theirs.name + ".wal", legacy.name])
    store.clean_stale_temp_files(small)
    assert temp_files(small) == [mine]
    mine.unlink()


def test_a_killed_ingest_leaves_the_store_and_the_next_writer_cleans_up(small, tmp_path):
    """SIGKILL an ingest at random moments: the store answers as before, or with the rows
    added; the next writer removes the dead one's temp file and needs no wait."""
    import random

    rng = random.Random(17)
    before = user_rcids(small)
    for i in range(4):
        rcid = 995000 + i
        p = cli("ingest", "votes", str(vote_csv(tmp_path / f"k{i}.csv", rcid)), "--db", str(small))
        time.sleep(rng.uniform(0.3, 1.5))
        p.send_signal(signal.SIGKILL)
        p.wait()
        now = user_rcids(small)
        assert now in (before, before | {rcid})
        before = now
    assert lock.holder(small) is None
    r = run_cli("ingest", "votes", str(vote_csv(tmp_path / "last.csv", 995999)), "--db", str(small), "--wait", "0")
    assert r.returncode == 0, r.stderr
    assert user_rcids(small) == before | {995999}
    assert not temp_files(small)


def test_store_writers_refuse_a_missing_store(tmp_path):
    with pytest.raises(OrderwatchError, match="no store"):
        store.append_user_rows(tmp_path / "none.duckdb", {})
