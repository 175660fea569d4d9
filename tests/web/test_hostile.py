"""Hostile requests against a real server on loopback, and a store rebuilt under a running app.

The costs are measured by benchmarks/web_hostile.py (a uvicorn subprocess over the full
store; CPU and peak resident memory read from /proc): every request under 100 KB must cost
at most 1 s of CPU and 50 MB of memory, and get the status it should.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient

from orderwatch.store import Store
from orderwatch.web import create_app

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "web_hostile.py"


def _bench():
    spec = importlib.util.spec_from_file_location("web_hostile", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["web_hostile"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="needs Linux /proc to measure the server")
def test_no_request_under_100kb_costs_over_1s_cpu_or_50mb(full_store_path):
    bench = _bench()
    selected = bench.cases(series=0.5)  # half-length series (600 map queries: still past the memo's 128)
    rows = bench.run(str(full_store_path), selected)
    assert len(rows) == len(selected)
    for r in rows:
        assert r["ok"], f"{r['case']}: got {r['statuses']}"
        if r["bytes"] <= bench.SIZE_LIMIT:
            assert r["cpu_s"] <= bench.CPU_LIMIT_S, r
            assert r["mem_mb"] <= bench.MEM_LIMIT_MB, r


def test_a_rebuilt_store_is_noticed(full_store_path, tmp_path):
    """The file is replaced (as `orderwatch build` swaps one in): the app reopens it and drops its cache."""
    served, rebuilt = tmp_path / "s.duckdb", tmp_path / "new.duckdb"
    shutil.copy(full_store_path, served)
    shutil.copy(full_store_path, rebuilt)
    with duckdb.connect(str(rebuilt)) as con:
        con.execute("DROP TABLE text_positions")
    client = TestClient(create_app(Store(served)))
    assert client.get("/api/meta").json()["tables"]["text_positions"] is True
    assert client.get("/api/meta").json()["tables"]["text_positions"] is True  # now from the cache
    assert any(k.startswith("/api/meta") for k in client.app.state.page_cache.keys())

    rebuilt.replace(served)
    assert client.get("/api/meta").json()["tables"]["text_positions"] is False
    assert client.app.state.data.store.path == served
