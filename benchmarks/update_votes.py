"""Cost of `orderwatch update votes` on the recorded responses of one session (118 roll
calls x 193 states, 3 MARC XML pages, see tests/update/fixtures/README.md): first run
(fetch from the recorded responses, parse, validate, write) and the re-run (adds nothing).

    PYTHONPATH=src:. python benchmarks/update_votes.py --db BASE_STORE [--runs 3]

BASE_STORE is a built store (`orderwatch build --base-only`); it is copied, not changed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from orderwatch.update.votes import update_votes
from tests.update import undl_fixture as F


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    pages = F.session_pages()
    first, again = [], []
    with tempfile.TemporaryDirectory() as d:
        for _ in range(a.runs):
            db = Path(d) / "s.duckdb"
            shutil.copyfile(a.db, db)
            t = time.perf_counter()
            r = update_votes(db, F.fetcher(pages), dt.date(2026, 12, 6))
            first.append(time.perf_counter() - t)
            t = time.perf_counter()
            r2 = update_votes(db, F.fetcher(pages), dt.date(2026, 12, 6))
            again.append(time.perf_counter() - t)
    print(json.dumps({"added": r.added, "re_run_added": r2.added, "store_mb": round(a.db.stat().st_size / 1e6),
                      "first_run_s": round(statistics.median(first), 2), "re_run_s": round(statistics.median(again), 2),
                      "runs": a.runs, "load": [round(x, 1) for x in os.getloadavg()]}))


if __name__ == "__main__":
    main()
