"""A broken store recovers and says what it lost; `orderwatch doctor` reports; a full disk
or a read-only directory is one line and leaves no temp file; Store.sql() reads the store
and nothing else; readers notice a rebuilt store; bundled files are checked where read."""

from __future__ import annotations

import errno
import json
import os
import shutil

import duckdb
import pandas as pd
import pytest

from orderwatch import build, bundled, countries, health, lock, store
from orderwatch.errors import OrderwatchError
from orderwatch.store import Store, StoreWriteError
from storekit import make_small_store, run_cli, temp_files, vote_csv

USER_VOTES = pd.DataFrame({"rcid": [7, 7], "iso3": ["CHN", "USA"], "vote": ["no", "yes"], "source": "user"})


def _fake_base(progress=None):
    return {"countries": pd.DataFrame({"iso3": ["CHN", "USA"]}),
            "votes": pd.DataFrame({"rcid": [1, 1], "iso3": ["CHN", "USA"], "vote": ["yes", "no"], "source": "undl"})}


@pytest.fixture()
def fake(monkeypatch):
    """Builds from two tiny base tables and one stream: a build takes a fraction of a second."""
    monkeypatch.setattr(build, "base_tables", _fake_base)
    monkeypatch.setattr(build, "verify_bundled", lambda: None)
    monkeypatch.setattr(build, "stream_steps", lambda *a: [("votes", lambda read: {
        "v_counts": read("votes").groupby("iso3").size().rename("n").reset_index()})])


@pytest.fixture()
def built(fake, tmp_path):
    """A built store holding two user votes."""
    target = tmp_path / "s.duckdb"
    build.build(target, force=True)
    store.append_user_rows(target, {"votes": USER_VOTES})
    return target


def _corrupt(path, how: str) -> None:
    size = path.stat().st_size
    if how == "empty":
        path.write_bytes(b"")
    elif how == "header":
        with open(path, "r+b") as fh:
            fh.write(os.urandom(4096))
    elif how == "truncated-4k":
        os.truncate(path, 4096)
    elif how == "truncated-half":
        os.truncate(path, size // 2)
    elif how == "text":
        path.write_text("iso3,vote\nCHN,yes\n")
    elif how == "foreign-duckdb":  # someone's own database at the store path
        path.unlink()
        with duckdb.connect(str(path)) as con:
            con.execute("CREATE TABLE mine AS SELECT 42 AS answer")


@pytest.mark.parametrize("how", ["empty", "header", "truncated-4k", "truncated-half", "text", "foreign-duckdb"])
def test_build_force_recovers_from_any_damaged_or_foreign_file(built, how):
    _corrupt(built, how)
    damaged = built.read_bytes()
    with pytest.raises(OrderwatchError, match=r"cannot be rebuilt in place: .*build --force"):
        build.build(built)
    assert built.read_bytes() == damaged  # refused without --force: nothing moved, nothing written
    report = build.build(built, force=True)
    aside = list(built.parent.glob(f"{built.name}.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == damaged  # kept, never deleted
    assert report.notes[0].startswith(f"moved the damaged store aside to {aside[0]}")
    assert report.notes[1].startswith("user rows: carried over")
    assert str(aside[0]) in report.notes[1] or report.notes[1].endswith("none lost")
    with Store(built) as st:
        assert "v_counts" in st.tables() and st.meta()["fingerprint"] == build.fingerprint(True)
    assert not temp_files(built)


def test_user_rows_that_can_be_read_are_carried_over_and_the_rest_counted(built, monkeypatch):
    """A store whose meta reads but whose documents do not: the votes are carried over and
    the note counts what was lost by the store's own record."""
    with Store(built) as st:
        assert st.meta()["user_rows"] == {"votes": 2}
    real = store.salvage_user_rows
    monkeypatch.setattr(store, "salvage_user_rows",
                        lambda t: (real(t)[0], {"documents": "IO Error: Could not read enough bytes"}))
    meta = store.read_meta(built)
    meta["user_rows"] = {"votes": 2, "documents": 3}
    rows, notes = health.user_rows_for_rebuild(built, True, meta)
    assert len(rows["votes"]) == 2
    assert "carried over 2 (votes 2); could not read 3 (documents 3, by the store's own count)" in notes[1]


def test_a_healthy_store_is_rebuilt_with_its_user_rows_and_no_notes(built):
    report = build.build(built, force=True)
    assert report.notes == []
    with Store(built) as st:
        assert len(st.sql("SELECT * FROM votes WHERE source = 'user'")) == 2


def test_cli_build_force_on_an_empty_file(tmp_path):
    """The real command on the bundled data: one message, the file moved aside, a store built."""
    target = tmp_path / "s.duckdb"
    target.write_bytes(b"")
    r = run_cli("build", "--db", str(target), "--base-only")
    assert r.returncode == 1 and r.stderr.count("\n") == 1 and "build --force" in r.stderr
    r = run_cli("build", "--db", str(target), "--base-only", "--force", "--quiet")
    assert r.returncode == 0, r.stderr
    assert "moved the damaged store aside" in r.stderr and "user rows: carried over 0" in r.stderr
    assert run_cli("doctor", "--db", str(target)).returncode == 0


# -- doctor --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def small_template(base_store_path, tmp_path_factory):
    return make_small_store(base_store_path, tmp_path_factory.mktemp("small") / "template.duckdb")


def test_doctor_reports_a_healthy_store_and_each_problem(small_template, tmp_path):
    target = tmp_path / "s.duckdb"
    shutil.copyfile(small_template, target)
    store.append_user_rows(target, {"votes": USER_VOTES.assign(rcid=990007)})
    r = run_cli("doctor", "--db", str(target), "--json")
    out = json.loads(r.stdout)
    assert r.returncode == 0 and out["ok"], r.stdout
    checks = {f["check"]: f for f in out["findings"]}
    assert checks["user rows"]["detail"].startswith("2 readable (votes 2)")
    assert checks["meta"]["level"] == "note"  # stale after the ingest: worth knowing, not wrong
    assert checks["base tables"]["level"] == "ok" and checks["bundled files"]["level"] == "ok"
    assert checks["streams"]["level"] == "note"  # a base-only store
    dead = target.parent / f".{target.name}.999999999-0123abcd.tmp"  # no such pid
    dead.write_bytes(b"x")
    findings = {f.check: f for f in health.diagnose(target, check_bundled=False)}
    assert findings["temp files"].level == "problem" and dead.name in findings["temp files"].detail
    dead.unlink()
    _corrupt(target, "truncated-4k")
    r = run_cli("doctor", "--db", str(target))
    assert r.returncode == 1 and "PROBLEM  store" in r.stdout and "does not open" in r.stdout


def test_doctor_checks_each_stream_has_its_tables(built):
    findings = {f.check: f for f in health.diagnose(built, check_bundled=False)}
    assert findings["stream votes"].level == "ok" and "v_counts" in findings["stream votes"].detail
    assert findings["base tables"].level == "problem"  # the fake store has two base tables only


def test_doctor_sees_a_held_lock(built):
    with lock.writer_lock(built):
        findings = {f.check: f for f in health.diagnose(built, check_bundled=False)}
    assert findings["write lock"].level == "note" and str(os.getpid()) in findings["write lock"].detail


# -- disk full, read-only ------------------------------------------------------------------------
def _raise(err: int):
    def boom(*a, **k):
        raise OSError(err, os.strerror(err))
    return boom


@pytest.mark.parametrize("where", ["copy", "fsync", "write"])
def test_disk_full_during_an_ingest_is_one_line_and_leaves_nothing(built, monkeypatch, where):
    from orderwatch.store import write

    before = built.read_bytes()
    target = {"copy": (write.shutil, "copyfileobj"), "fsync": (write.os, "fsync"),
              "write": (write, "_set_meta")}[where]
    monkeypatch.setattr(*target, _raise(errno.ENOSPC))
    with pytest.raises(StoreWriteError) as exc:
        store.append_user_rows(built, {"votes": USER_VOTES.assign(rcid=8)})
    assert str(exc.value) == (f"cannot write the store {built}: no space left on device; it is unchanged and "
                              "no temp file was left behind")
    assert built.read_bytes() == before and not temp_files(built)


def test_disk_full_during_a_build_is_one_line_and_leaves_nothing(built, monkeypatch):
    from orderwatch.store import write

    before = built.read_bytes()
    monkeypatch.setattr(write, "_write_meta", _raise(errno.ENOSPC))
    with pytest.raises(StoreWriteError, match="no space left on device"):
        build.build(built, force=True)
    assert built.read_bytes() == before and not temp_files(built)


def test_a_duckdb_disk_error_is_recognised(tmp_path):
    from orderwatch.store import write

    exc = duckdb.IOException('IO Error: Could not write file "x.tmp": No space left on device')
    assert "no space left on device" in str(write._write_error(tmp_path / "s.duckdb", exc))
    assert write._write_error(tmp_path / "s.duckdb", duckdb.IOException("IO Error: other")) is None


def test_a_read_only_directory_is_one_line(small_template, tmp_path, monkeypatch, capsys):
    """chmod where it denies writing (not root); else (CI as root) the same errors raised."""
    from orderwatch.cli import main

    built = tmp_path / "ro" / "s.duckdb"
    built.parent.mkdir()
    shutil.copyfile(small_template, built)
    os.chmod(built.parent, 0o555)
    try:
        probe = built.parent / "probe"
        try:
            probe.write_bytes(b"")
            probe.unlink()
            denied = False
        except PermissionError:
            denied = True
        if not denied:  # root: raise what a read-only filesystem would, where the copy is made
            from orderwatch.store import write
            monkeypatch.setattr(write.shutil, "copyfileobj", _raise(errno.EROFS))
        csv = vote_csv(built.parent.parent / "ro.csv", 4242)
        monkeypatch.setattr("sys.argv", ["orderwatch", "ingest", "votes", str(csv), "--db", str(built)])
        with pytest.raises(SystemExit) as exit_:
            main()
        err = capsys.readouterr().err
        assert exit_.value.code == 1 and err.count("\n") == 1 and err.startswith("error: cannot write"), err
        assert ("read-only file system" in err) or ("ermission denied" in err)
    finally:
        os.chmod(built.parent, 0o755)
    assert not temp_files(built)


# -- Store.sql() sandbox --------------------------------------------------------------------------
@pytest.mark.parametrize("query", [
    "COPY (SELECT 1 AS x) TO '{dir}/out.csv'",
    "ATTACH '{dir}/other.duckdb' AS other",
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/passwd')",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET enable_external_access = true",
    "EXPORT DATABASE '{dir}/dump'",
])
def test_sql_cannot_touch_anything_but_the_store(built, query):
    with Store(built) as st:
        with pytest.raises(OrderwatchError, match=r"^refused: Store.sql\(\) reads the store's tables only"):
            st.sql(query.format(dir=built.parent))
        assert st.sql("SELECT count(*) AS n FROM votes").n[0] == 4  # and still reads the store
    assert not [p for p in built.parent.iterdir() if p.name in ("out.csv", "other.duckdb", "dump")]


def test_sql_cannot_write_the_store(built):
    with Store(built) as st:
        with pytest.raises(duckdb.Error):
            st.sql("DELETE FROM votes")


# -- readers notice a rebuilt store ---------------------------------------------------------------
def test_a_reader_sees_the_store_a_writer_swapped_in(fake, tmp_path, monkeypatch):
    target = tmp_path / "s.duckdb"
    build.build(target, force=True, with_streams=False)
    st = Store(target)
    try:
        first = st.fingerprint()
        assert not st.has_table("v_counts")
        build.build(target)  # with the streams: a new file swapped in under the reader
        assert st.has_table("v_counts") and st.fingerprint() != first
        second = st.fingerprint()
        store.append_user_rows(target, {"votes": USER_VOTES})
        assert len(st.sql("SELECT * FROM votes WHERE source = 'user'")) == 2 and st.fingerprint() != second
        third = st.fingerprint()
        (tmp_path / "junk").write_bytes(b"not a store")
        os.replace(tmp_path / "junk", target)  # a file that does not open: keep serving the last one
        assert len(st.sql("SELECT * FROM votes")) == 4 and st.fingerprint() == third
        target.unlink()  # no file at all: the same
        assert len(st.sql("SELECT * FROM votes")) == 4 and st.fingerprint() == third
    finally:
        st.close()


# -- bundled files -------------------------------------------------------------------------------
@pytest.fixture()
def bundled_copy(tmp_path, monkeypatch):
    d = tmp_path / "bundled"
    shutil.copytree(bundled.DIR, d)
    monkeypatch.setattr(bundled, "DIR", d)
    monkeypatch.setattr(bundled, "_verified", {})
    countries.registry.cache_clear()
    yield d
    countries.registry.cache_clear()
    countries._lookup.cache_clear()


def test_a_tampered_bundled_file_is_refused_wherever_it_is_read(bundled_copy):
    assert len(countries.registry()) > 190  # intact: reads
    countries.registry.cache_clear()
    with open(bundled_copy / "countries.parquet", "ab") as fh:
        fh.write(b"\0")
    with pytest.raises(OrderwatchError, match=r"bundled file .*countries\.parquet does not match its provenance"):
        countries.registry()
    (bundled_copy / "countries-50m.json").write_bytes(b"{}")
    with pytest.raises(OrderwatchError, match="countries-50m.json does not match"):
        bundled.read_bytes("world_atlas_50m")
    with pytest.raises(OrderwatchError, match="does not match its provenance"):
        build.verify_bundled()  # the build checks with the same helper


def test_each_bundled_file_is_hashed_once_per_process_and_again_when_it_changes(bundled_copy, monkeypatch):
    calls = []
    real = bundled.sha256
    monkeypatch.setattr(bundled, "sha256", lambda p: calls.append(p.name) or real(p))
    for _ in range(3):
        bundled.read("countries", columns=["iso3"])
    assert calls == ["countries.parquet"]
    p = bundled_copy / "countries.parquet"
    os.utime(p, ns=(p.stat().st_atime_ns, p.stat().st_mtime_ns + 1_000_000))
    bundled.read("countries", columns=["iso3"])
    assert calls == ["countries.parquet"] * 2
