"""Benchmark the build: full build from bundled data (wall seconds, peak RSS), and a no-op rebuild.

    .venv/bin/python benchmarks/build.py [--base-only]

Each measurement runs `orderwatch build` in a fresh subprocess so peak RSS is the child's.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(args: list[str]) -> tuple[float, float]:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "orderwatch", *args], check=True)
    wall = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return wall, rss_mb


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--base-only", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        db = str(Path(d) / "bench.duckdb")
        extra = ["--base-only"] if args.base_only else []
        wall, rss = timed(["build", "--quiet", "--db", db, *extra])
        print(f"full build{' (base only)' if args.base_only else ''}: {wall:.1f} s, peak RSS {rss:.0f} MB")
        wall2, _ = timed(["build", "--quiet", "--db", db, *extra])
        print(f"no-op rebuild: {wall2:.2f} s (process start included)")


if __name__ == "__main__":
    main()
