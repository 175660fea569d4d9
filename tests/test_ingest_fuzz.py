"""A bounded run of benchmarks/fuzz_ingest.py (about 10 s): mutated real vote exports and
document folders never give a traceback, and a refused input never changes the store."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import fuzz_ingest  # noqa: E402


def test_fuzzed_ingest_inputs_never_give_a_traceback(base_store_path):
    res = fuzz_ingest.fuzz(n=1_000_000, cli_n=12, seed=17, seconds=8, store=base_store_path)
    assert res["inputs"] >= 300, res  # even on a loaded machine
    assert res["tracebacks"] == {}, res["tracebacks"]
    assert res["outcomes"]["accepted"] > 0 and res["outcomes"]["refused"] > 0
    cli = res["cli"]
    assert cli["tracebacks"] == {} and cli["multi_line_errors"] == 0, cli
    assert cli["refused_changed_store"] == 0 and cli["temp_files_left"] == 0, cli
    assert set(cli["exit"]) <= {"0", "1"}, cli
