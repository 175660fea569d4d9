"""Semantic scaling caches its sentence embeddings in the store, and they survive rebuilds."""

from __future__ import annotations

import subprocess
import sys

from orderwatch import build as builder
from orderwatch.store import Store


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "orderwatch", *args], capture_output=True, text=True)


def test_embeddings_cached_in_store_and_kept_on_rebuild(store_copy):
    r = run("text", "semantic", "--country", "IDN", "--years", "2023", "--db", str(store_copy), "--json")
    assert r.returncode == 0, r.stderr
    assert "cached" in r.stderr
    with Store(store_copy) as st:
        n = int(st.sql("SELECT count(*) FROM text_embeddings").iloc[0, 0])
        dim = int(st.sql("SELECT len(vector) FROM text_embeddings LIMIT 1").iloc[0, 0])
    assert n > 5 and dim == 512
    again = run("text", "semantic", "--country", "IDN", "--years", "2023", "--db", str(store_copy), "--json")
    assert again.returncode == 0 and "cached" not in again.stderr and again.stdout == r.stdout
    builder.build(store_copy, force=True, with_streams=False)
    with Store(store_copy) as st:
        assert int(st.sql("SELECT count(*) FROM text_embeddings").iloc[0, 0]) == n
