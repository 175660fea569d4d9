"""Whole-process time of short commands (process start, imports, work), median of N runs,
with the CPU time (user + sys, less sensitive to other jobs on the shared cores).

    PYTHONPATH=src python benchmarks/cli_startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SAMPLE = "We reject the Cold War mentality and bloc confrontation. We uphold international law."


def measure(args: list[str], runs: int) -> dict:
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "orderwatch", *args], check=True, capture_output=True)
        walls.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return {"command": "orderwatch " + " ".join(args), "wall_s": round(statistics.median(walls), 2),
            "cpu_s": round(statistics.median(cpus), 2)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        f = Path(d) / "s.txt"
        f.write_text(SAMPLE)
        for args in (["countries", "PHL"], ["score", str(f)], ["--help"]):
            print(json.dumps({**measure(args, a.runs), "load": [round(x, 1) for x in os.getloadavg()]}), flush=True)
    base = subprocess.run([sys.executable, "-c", "import pandas"], capture_output=True)
    assert base.returncode == 0


if __name__ == "__main__":
    main()
