"""Benchmark the build: wall seconds and peak memory of a full build from the bundled data,
with the streams side by side (the default) and all in one process (the baseline, same
run), and the no-op rebuild.

    .venv/bin/python benchmarks/build.py [--runs N] [--mode both|parallel|sequential] [--base-only]

Each build runs `orderwatch build` in a fresh subprocess; peak memory is the largest sum
of PSS over the build's process tree (the build and its stream processes), sampled every
50 ms. The load average is printed with each run: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import psutil


def tree_rss(p: psutil.Process) -> int:
    """Memory of the process tree: the sum of PSS (shared pages split between the
    processes that share them, so forked children do not count the parent's pages twice)."""
    total = 0
    for q in [p, *p.children(recursive=True)]:
        try:
            total += q.memory_full_info().pss
        except (psutil.NoSuchProcess, psutil.AccessDenied, AttributeError):
            pass
    return total


def run(args: list[str], env: dict) -> tuple[float, int]:
    t0 = time.perf_counter()
    proc = psutil.Popen([sys.executable, "-m", "orderwatch", *args], env=env)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc))
        time.sleep(0.05)
    if proc.returncode:
        raise SystemExit(f"orderwatch {' '.join(args)} failed ({proc.returncode})")
    return time.perf_counter() - t0, peak


def one_build(parallel: bool, base_only: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="ow-build-bench-") as d:
        env = {**os.environ, "ORDERWATCH_BUILD_PROCESSES": "0" if parallel else "1"}
        db = str(Path(d) / "s.duckdb")
        extra = ["--base-only"] if base_only else []
        secs, peak = run(["build", "--force", "--quiet", "--db", db, *extra], env)
        noop, _ = run(["build", "--quiet", "--db", db, *extra], env)
    return {"build": "base only" if base_only else ("side by side" if parallel else "one process"),
            "seconds": round(secs, 1), "peak_gb": round(peak / 1e9, 2), "noop_rebuild_s": round(noop, 2),
            "load": [round(x, 1) for x in os.getloadavg()]}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--mode", default="both", choices=["both", "parallel", "sequential"])
    ap.add_argument("--base-only", action="store_true")
    a = ap.parse_args()
    modes = {"both": [True, False], "parallel": [True], "sequential": [False]}[a.mode]
    for _ in range(a.runs):
        for m in modes:
            print(json.dumps(one_build(m, a.base_only)), flush=True)


if __name__ == "__main__":
    main()
