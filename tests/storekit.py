"""Helpers for the store reliability tests: a small store with the real schema, vote
exports, CLI runs, a slow build in another process, and table digests."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from orderwatch import store
from orderwatch.store import Store

def make_small_store(base: Path, target: Path) -> Path:
    """A store of a few MB with every base table of the real schema (the first 300 roll
    calls and their votes, 20 rows of the others), so that CLI ingests take a moment."""
    with Store(base) as st:
        tables = {t: st.sql(f'SELECT * FROM "{t}" LIMIT 20') for t in store.BASE_TABLES}
        tables.update({"countries": st.table("countries"), "sources": st.table("sources"),
                       "roll_calls": st.sql("SELECT * FROM roll_calls ORDER BY rcid LIMIT 300"),
                       "votes": st.sql("SELECT * FROM votes WHERE rcid IN (SELECT rcid FROM roll_calls "
                                       "ORDER BY rcid LIMIT 300)")})
        meta = st.meta()
    store.write_store(target, tables, meta)
    return target


def vote_csv(path: Path, rcid: int, states=("JPN", "CHN", "PHL")) -> Path:
    """A one-roll-call UN Digital Library export (with a session, which later builds need)."""
    rows = ["undl_id,ms_code,ms_vote,date,resolution,title,session"]
    rows += [f"{rcid},{s},{'YNA'[i % 3]},2024-12-0{1 + rcid % 9},A/RES/79/{rcid % 1000},Test {rcid},79"
             for i, s in enumerate(states)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def cli(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "orderwatch", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kw)


def run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "orderwatch", *args], capture_output=True, text=True,
                          timeout=timeout)


def user_rcids(path: Path) -> set[int]:
    with Store(path) as st:
        return set(int(x) for x in st.sql("SELECT DISTINCT rcid FROM votes WHERE source = 'user'").rcid)


def digest(path: Path, skip: dict[str, tuple[str, ...]] | None = None) -> dict[str, tuple]:
    """Row count and an order-free hash of every table (columns in ``skip`` left out)."""
    skip = skip or {}
    out = {}
    with Store(path) as st:
        for t in st.tables():
            cols = [c for c in st.sql(f'SELECT * FROM "{t}" LIMIT 0').columns if c not in skip.get(t, ())]
            sel = ", ".join(f'"{c}"' for c in cols)
            out[t] = tuple(st.sql(f'SELECT count(*) AS n, sum(hash(struct_pack({sel}))) AS h FROM "{t}"').iloc[0])
    return out


SLOW_BUILD = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from orderwatch import build
    from orderwatch.store import Store
    target, template, started, release, parallel = sys.argv[1:6]
    with Store(template) as st:
        base = {t: st.sql(f'SELECT * FROM "{t}" WHERE source IS DISTINCT FROM \\'user\\'')
                if t in ("roll_calls", "votes", "documents") else st.table(t) for t in st.tables() if t != "meta"}
    build.base_tables = lambda progress=None: {k: v.copy() for k, v in base.items()}
    build.verify_bundled = lambda: None

    def votes(read):  # holds the build until the test says so (at most 60 s)
        Path(started).write_text(str(os.getpid()))
        t = time.monotonic()
        while not Path(release).exists() and time.monotonic() - t < 60:
            time.sleep(0.05)
        v = read("votes")
        return {"v_counts": v.groupby("source").size().rename("n").reset_index()}

    def text(read):
        return {"t_rows": read("speeches").head(1)[["iso3"]]}

    build.stream_steps = lambda *a: [("votes", votes), ("text", text)]
    build.build(Path(target), force=True, parallel=parallel == "1")
""")


def slow_build(target: Path, template: Path, tmp: Path, parallel: bool = False) -> tuple[subprocess.Popen, Path, Path]:
    """Start a build of ``target`` (base tables from ``template``) in another process that
    stops inside its first stream until ``release`` exists; returns (process, started, release)."""
    started, release = tmp / f"started-{time.monotonic_ns()}", tmp / f"release-{time.monotonic_ns()}"
    proc = subprocess.Popen([sys.executable, "-c", SLOW_BUILD, str(target), str(template), str(started),
                             str(release), "1" if parallel else "0"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not started.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"the slow build did not start: {proc.communicate()[1][-2000:]}")
        time.sleep(0.05)
    return proc, started, release


def temp_files(target: Path) -> list[Path]:
    return [p for p in target.parent.iterdir() if p.name.startswith(f".{target.name}.") and ".tmp" in p.name]


def wait_for(pred, timeout: float = 60.0) -> bool:
    t = time.monotonic()
    while time.monotonic() - t < timeout:
        if pred():
            return True
        time.sleep(0.02)
    return False


__all__ = ["make_small_store", "vote_csv", "cli", "run_cli", "user_rcids", "digest", "slow_build", "temp_files",
           "wait_for", "os"]
