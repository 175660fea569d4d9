"""The build runs independent streams side by side in separate processes without changing
what it writes: the same tables as a one-process build, lineage for every derived table,
and a failure in any process leaves the old store byte-for-byte as it was."""

from __future__ import annotations

import hashlib
import os

import pandas as pd
import pytest

from orderwatch import build
from orderwatch.store import Store

PARENT = os.getpid()


def _base(progress=lambda s: None):
    return {"countries": pd.DataFrame({"iso3": ["CHN", "USA"]}),
            "votes": pd.DataFrame({"rcid": [1, 1, 2], "iso3": ["CHN", "USA", "CHN"], "vote": ["yes", "no", "yes"],
                                   "source": "undl"}),
            "speeches": pd.DataFrame({"iso3": ["CHN"], "year": [2024], "text": ["x"]})}


def fake_steps(fail: str | None = None):
    def votes(read):
        if fail == "votes":
            raise ValueError("votes stream failed")
        v = read("votes")
        return {"v_counts": v.groupby("iso3").size().rename("n").reset_index().assign(pid=os.getpid())}

    def text(read):
        return {"t_rows": pd.DataFrame({"n": [len(read("speeches"))], "pid": [os.getpid()]})}

    def institutions(read):  # runs after text in the same process and may read its output
        return {"i_rows": pd.DataFrame({"n": [int(read("t_rows").n[0]) + len(read("countries"))]})}

    def synthesis(read):
        if fail == "synthesis":
            raise ValueError("synthesis failed")
        return {"s_rows": pd.DataFrame({"n": [int(read("v_counts").n.sum()) + int(read("i_rows").n[0])],
                                        "pid": [os.getpid()]})}

    return [("votes", votes), ("text", text), ("institutions", institutions), ("synthesis", synthesis)]


@pytest.fixture()
def fake(monkeypatch):
    monkeypatch.setattr(build, "base_tables", _base)
    monkeypatch.setattr(build, "verify_bundled", lambda: None)

    def use(fail=None):
        monkeypatch.setattr(build, "stream_steps", lambda *a: fake_steps(fail))
    return use


def tables(path) -> dict[str, pd.DataFrame]:
    with Store(path) as st:
        return {t: st.table(t) for t in st.tables() if t != "meta"}


def test_side_by_side_equals_one_process(fake, tmp_path, monkeypatch):
    fake()
    par, seq = tmp_path / "par.duckdb", tmp_path / "seq.duckdb"
    build.build(par, force=True)
    monkeypatch.setenv(build.PROCESSES_ENV, "1")
    build.build(seq, force=True)
    a, b = tables(par), tables(seq)
    assert set(a) == set(b) and {"v_counts", "t_rows", "i_rows", "s_rows", "table_provenance"} <= set(a)
    # votes and text ran in two other processes, synthesis in the build process
    assert a["v_counts"].pid[0] != PARENT and a["t_rows"].pid[0] != PARENT
    assert a["v_counts"].pid[0] != a["t_rows"].pid[0] and a["s_rows"].pid[0] == PARENT
    assert b["v_counts"].pid[0] == PARENT
    for name in set(a) - {"table_provenance", "v_counts", "t_rows", "s_rows"}:
        pd.testing.assert_frame_equal(a[name], b[name])
    for name in ("v_counts", "t_rows", "s_rows"):
        pd.testing.assert_frame_equal(a[name].drop(columns="pid"), b[name].drop(columns="pid"))
    pa, pb = a["table_provenance"], b["table_provenance"]
    assert pa[["table", "stream", "rows"]].equals(pb[["table", "stream", "rows"]])
    assert list(pa.stream) == ["votes", "text", "institutions", "synthesis"]


@pytest.mark.parametrize("fail", ["votes", "synthesis"])
def test_a_failing_stream_leaves_the_old_store(fake, tmp_path, fail):
    target = tmp_path / "s.duckdb"
    fake()
    build.build(target, force=True)
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    fake(fail)
    with pytest.raises(ValueError, match="failed"):
        build.build(target, force=True)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp") or ".tmp." in p.name]


def test_after_an_update_the_build_recomputes_only_the_stale_streams(fake, tmp_path, monkeypatch):
    from orderwatch import store

    fake()
    target, full = tmp_path / "s.duckdb", tmp_path / "full.duckdb"
    build.build(target, force=True)
    new = pd.DataFrame({"rcid": [3, 3], "iso3": ["CHN", "USA"], "vote": ["no", "yes"], "source": "user"})
    store.append_user_rows(target, {"votes": new}, stale_streams=("votes", "synthesis"))
    with Store(target) as st:
        before = st.table("t_rows")
    r = build.build(target)
    assert r.streams == ["votes", "synthesis"] and not r.skipped
    with Store(target) as st:
        meta = st.meta()
        got = {t: st.table(t) for t in ("v_counts", "t_rows", "i_rows", "s_rows", "table_provenance")}
    assert meta["fingerprint"] == build.fingerprint(True) and "stale_streams" not in meta
    pd.testing.assert_frame_equal(got["t_rows"], before)  # text was not recomputed
    assert got["v_counts"].set_index("iso3").n.to_dict() == {"CHN": 3, "USA": 2}
    assert list(got["table_provenance"].stream) == ["votes", "text", "institutions", "synthesis"]
    assert build.build(target).skipped  # and now it is current
    # the same tables as a full build of the updated store
    import shutil
    shutil.copyfile(target, full)
    build.build(full, force=True)
    with Store(full) as st:
        for t in ("v_counts", "i_rows", "s_rows"):
            pd.testing.assert_frame_equal(st.table(t).drop(columns="pid", errors="ignore"),
                                          got[t].drop(columns="pid", errors="ignore"))


def test_changed_code_after_an_update_means_a_full_build(fake, tmp_path, monkeypatch):
    from orderwatch import store

    fake()
    target = tmp_path / "s.duckdb"
    build.build(target, force=True)
    store.append_user_rows(target, {"votes": pd.DataFrame({"rcid": [3], "iso3": ["CHN"], "vote": ["no"],
                                                           "source": "user"})}, stale_streams=("votes",))
    monkeypatch.setattr(build, "fingerprint", lambda with_streams: "other-code")
    assert build.build(target).streams == ["votes", "text", "institutions", "synthesis"]


def test_every_stream_writes_exactly_the_tables_it_declares(monkeypatch):
    """The build refuses a stream whose derive writes tables its package does not declare."""
    from orderwatch import build
    from orderwatch.errors import OrderwatchError

    listed = build.streams()
    assert [s.name for s in listed] == ["votes", "text", "institutions", "practice", "synthesis", "validation"]
    assert all(s.tables and callable(s.derive) for s in listed)
    votes = listed[0]
    out = {t: pd.DataFrame() for t in votes.tables}
    build._check_tables("votes", votes.derive, out)  # exactly the declared tables: fine
    with pytest.raises(OrderwatchError, match="wrote .*undeclared.* but declares"):
        build._check_tables("votes", votes.derive, {**out, "undeclared": pd.DataFrame()})


def test_text_derive_stays_the_function_after_its_module_is_imported():
    import importlib

    import orderwatch.text as text

    importlib.import_module("orderwatch.text.stream")
    assert callable(text.derive) and text.derive.__module__ == "orderwatch.text.stream"
