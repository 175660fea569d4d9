"""SIGKILL store writers at random moments; the store must answer as before every time.

Each round starts one writer as a real CLI process and kills it after a random delay,
uniform over [0, 1.2 x the time that writer takes when left alone] (so some kills land
during the copy, some during the insert or the table writes, some around the swap and a
few after the end):

* ``ingest``: ``orderwatch ingest votes`` of a new one-roll-call export (copy the store,
  insert, swap, under the write lock);
* ``build``: ``orderwatch build --force --base-only`` (read the bundled data, write a new
  file, swap).

After each kill every table is compared (row count and an order-free hash of every row)
with the table before the kill. Allowed outcomes: every table identical (killed before
the swap), or the writer's complete result (an ingest: exactly its roll call and votes
added, every other table identical; a build: identical tables, only the meta's
``built_at`` newer). Also checked: the store opens, no lock is left held, and the next
writer removes the dead writer's temp file.

    PYTHONPATH=src python benchmarks/kill_store.py --db BASE_STORE [--kills 100] [--builds 0.2] [--seed 1]

BASE_STORE (`orderwatch build --base-only`) is copied, never changed.
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from orderwatch import lock
from orderwatch.store import Store, file_id, stale_temp_files

META_SKIP = ("built_at",)


def digest(path: Path) -> dict[str, tuple]:
    out = {}
    with Store(path) as st:
        for t in st.tables():
            if t == "meta":
                m = st.meta()
                out[t] = tuple(sorted((k, str(v)) for k, v in m.items() if k not in META_SKIP))
                continue
            out[t] = tuple(st.sql(f'SELECT count(*) AS n, sum(hash(x)) AS h FROM "{t}" x').iloc[0])
    return out


def vote_csv(path: Path, rcid: int) -> Path:
    rows = ["undl_id,ms_code,ms_vote,date,resolution,title,session"]
    rows += [f"{rcid},{s},{v},2024-12-02,A/RES/79/{rcid % 1000},Kill test {rcid},79"
             for s, v in (("JPN", "Y"), ("CHN", "N"), ("PHL", "A"))]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def command(kind: str, db: Path, work: Path, rcid: int) -> list[str]:
    if kind == "ingest":
        return [sys.executable, "-m", "orderwatch", "ingest", "votes", str(vote_csv(work / f"{rcid}.csv", rcid)),
                "--db", str(db)]
    return [sys.executable, "-m", "orderwatch", "build", "--force", "--base-only", "--quiet", "--db", str(db)]


def timed(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - t


def outcome(kind: str, before: dict, after: dict, rcid: int, db: Path, swapped: bool) -> str:
    """'untouched', 'completed' or a description of what is wrong."""
    changed = {t for t in set(before) | set(after) if before.get(t) != after.get(t)}
    if not changed:
        return "completed" if swapped else "untouched"
    if kind == "ingest" and changed <= {"roll_calls", "votes", "meta"}:
        with Store(db) as st:
            got = st.sql("SELECT count(*) AS n FROM votes WHERE rcid = ? AND source = 'user'", [rcid]).n[0]
        if (got == 3 and after["votes"][0] == before["votes"][0] + 3
                and after["roll_calls"][0] == before["roll_calls"][0] + 1):
            return "completed"
    return f"tables changed: {sorted(changed)}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, required=True, help="a built store (copied, not changed)")
    ap.add_argument("--kills", type=int, default=100)
    ap.add_argument("--builds", type=float, default=0.2, help="share of rounds that kill a build (else an ingest)")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    with tempfile.TemporaryDirectory(prefix="orderwatch-kill-") as d:
        work = Path(d)
        db = work / "s.duckdb"
        shutil.copyfile(a.db, db)
        # how long each writer takes when left alone; the build also brings the copy to this
        # code's fingerprint, so that a later completed build changes no table
        span = {"build": timed(command("build", db, work, 0))}
        scratch = work / "scratch.duckdb"
        shutil.copyfile(db, scratch)
        span["ingest"] = timed(command("ingest", scratch, work, 980000))
        scratch.unlink()
        print(f"alone: ingest {span['ingest']:.2f} s, build --force --base-only {span['build']:.2f} s", flush=True)
        before = digest(db)
        tally: dict[tuple[str, str], int] = {}
        failures = []
        t0 = time.perf_counter()
        for i in range(a.kills):
            kind = "build" if rng.random() < a.builds else "ingest"
            rcid = 981000 + i
            delay = rng.uniform(0, 1.2 * span[kind])
            ident = file_id(db)
            proc = subprocess.Popen(command(kind, db, work, rcid), stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            try:
                after = digest(db)
                result = outcome(kind, before, after, rcid, db, file_id(db) != ident)
            except Exception as exc:  # noqa: BLE001 - a store that does not open is the failure we count
                after, result = before, f"store unreadable: {exc}"
            if lock.holder(db) is not None or lock.holder(db, lock.BUILD) is not None:
                result = "a lock is still held"
            tally[(kind, result if result in ("untouched", "completed") else "FAILED")] = \
                tally.get((kind, result if result in ("untouched", "completed") else "FAILED"), 0) + 1
            if result not in ("untouched", "completed"):
                failures.append(f"round {i} ({kind}, killed at {delay:.2f} s): {result}")
            before = after
            print(f"{i + 1:3d}/{a.kills} {kind:6s} killed at {delay:5.2f} s: {result}", flush=True)
        left = stale_temp_files(db)
        subprocess.run(command("ingest", db, work, 989999), check=True, capture_output=True)  # the next writer
        cleaned = not stale_temp_files(db)
        print(f"\n{a.kills} kills in {time.perf_counter() - t0:.0f} s; dead writers' temp files before the next "
              f"writer: {len(left)}, after: {'none' if cleaned else 'some left'}")
        for (kind, result), n in sorted(tally.items()):
            print(f"  {kind:6s} {result:9s} {n}")
        print(f"failures: {len(failures)}")
        for f in failures:
            print("  " + f)
        sys.exit(1 if failures or not cleaned else 0)


if __name__ == "__main__":
    main()
