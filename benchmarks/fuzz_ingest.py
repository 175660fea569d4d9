"""Fuzz the ingest: mutated real vote exports and document folders, counting tracebacks.

Seeds are real: UN Digital Library vote rows from the bundled data (written as the
export's CSV) and bundled official documents with a manifest (CSV or YAML). Each input
is a seed with one to three mutations: byte flips, truncation, quote injection, line
endings, re-encoding (UTF-16, Latin-1, GBK, BOMs), huge fields, weird dates, ids and
sessions, control characters, NULs, lone surrogates, header edits, spliced files, YAML
bombs, deep nesting, recursive aliases and tags.

In process, every input goes through the validation the CLI runs (``ingest.votes`` /
``ingest.documents`` on files in a temp folder): the outcome is accepted, refused
(InputError) or a traceback (any other exception; grouped by type and raising line).
A sample also goes through the whole CLI (``orderwatch.cli.main`` with its arguments,
in this process) into a real small store: exit code 0 or 1, one stderr line when 1,
and the store file's sha256 unchanged by every refused input; no temp file left behind.

    PYTHONPATH=src python benchmarks/fuzz_ingest.py --n 100000 --cli 200 [--seed 0] [--store BASE]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fuzz_mutations import Input, mutate, seeds  # noqa: E402

from orderwatch import ingest  # noqa: E402
from orderwatch.errors import InputError  # noqa: E402


def write_input(inp: Input, folder: Path) -> Path:
    """Write the input's files into ``folder``; return what the ingest is given."""
    for p in folder.iterdir():
        p.unlink()
    for name, data in inp.files.items():
        (folder / name).write_bytes(data)
    return folder / "v.csv" if inp.kind == "votes" else folder


def validate(inp: Input, folder: Path) -> tuple[str, str | None]:
    """('accepted' | 'refused' | 'traceback', root cause of a traceback)."""
    target = write_input(inp, folder)
    try:
        if inp.kind == "votes":
            ingest.votes(target)
        else:
            ingest.documents(target)
        return "accepted", None
    except InputError as exc:
        if "\n" in str(exc):
            return "traceback", "InputError spanning lines"
        return "refused", None
    except Exception as exc:  # noqa: BLE001 - the point: anything else is a finding
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        return "traceback", f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"


def store_state(db: Path) -> str:
    return hashlib.sha256(db.read_bytes()).hexdigest()


def run_cli(args: list[str]) -> tuple[int, str, str | None]:
    """``orderwatch ARGS`` in this process: (exit code, stderr, traceback root cause)."""
    from orderwatch.cli import main

    err = io.StringIO()
    old = sys.argv
    sys.argv = ["orderwatch", *args]
    code, cause = 0, None
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except Exception as exc:  # noqa: BLE001
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        code, cause = -1, f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"
    finally:
        sys.argv = old
    return code, err.getvalue(), cause


def small_store(path: Path, full: Path | None = None) -> Path:
    """A real store (``full``, else a fresh base build) cut down to session 79's votes and 20
    documents, so that each accepted ingest's copy-and-swap is fast."""
    import duckdb

    from orderwatch import build

    built = full is None
    if built:
        full = path.with_name("full.duckdb")
        build.build(full, with_streams=False)
    with duckdb.connect(str(path)) as con:
        con.execute(f"ATTACH '{full}' AS src (READ_ONLY)")
        keep = {"roll_calls": "session = 79", "votes": "rcid IN (SELECT rcid FROM src.roll_calls WHERE session = 79)",
                "documents": "doc_id IN (SELECT doc_id FROM src.documents ORDER BY doc_id LIMIT 20)"}
        for (name,) in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'src'").fetchall():
            where = keep.get(name, "true")
            con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM src."{name}" WHERE {where}')
    if built:
        full.unlink()
    return path


def fuzz(n: int, cli_n: int, seed: int = 0, seconds: float | None = None, store: Path | None = None) -> dict:
    """Run ``n`` in-process inputs and ``cli_n`` through the CLI; return the counts."""
    rng = random.Random(seed)
    pool = seeds(rng)
    out: dict = {"inputs": 0, "outcomes": Counter(), "by_kind": Counter(), "tracebacks": Counter(),
                 "mutations": Counter()}
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        for i in range(n):
            if seconds is not None and time.perf_counter() - t0 > seconds:
                break
            inp = mutate(rng.choice(pool), rng)
            outcome, cause = validate(inp, folder)
            out["inputs"] += 1
            out["outcomes"][outcome] += 1
            out["by_kind"][f"{inp.kind}:{outcome}"] += 1
            out["mutations"].update(inp.mutations)
            if cause:
                out["tracebacks"][cause] += 1
        out["in_process_seconds"] = round(time.perf_counter() - t0, 1)
        if cli_n:
            out["cli"] = cli_sample(cli_n, rng, pool, Path(tmp), store)
    out["seconds"] = round(time.perf_counter() - t0, 1)
    return out


def cli_sample(n: int, rng: random.Random, pool: list[Input], tmp: Path, store: Path | None) -> dict:
    """``n`` inputs through ``orderwatch ingest`` into a real small store."""
    db = tmp / "store" / "s.duckdb"
    db.parent.mkdir()
    small_store(db, store)
    folder = tmp / "cli"
    folder.mkdir()
    res = {"inputs": 0, "exit": Counter(), "multi_line_errors": 0, "tracebacks": Counter(),
           "refused_changed_store": 0, "temp_files_left": 0}
    before = store_state(db)
    for _ in range(n):
        inp = mutate(rng.choice(pool), rng, fresh_ids=True)
        target = write_input(inp, folder)
        code, err, cause = run_cli(["ingest", inp.kind, str(target), "--db", str(db)])
        res["inputs"] += 1
        res["exit"][str(code)] += 1
        if cause:
            res["tracebacks"][cause] += 1
        if code == 1 and len(err.strip().splitlines()) != 1:
            res["multi_line_errors"] += 1
        after = store_state(db)
        if code != 0 and after != before:
            res["refused_changed_store"] += 1
        before = after
        # the writer's temp copies (".s.duckdb.<pid>-<hex>.tmp"); the lock file may stay
        res["temp_files_left"] += len(list(db.parent.glob(f".{db.name}.*.tmp*")))
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--cli", type=int, default=200)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--store", type=Path, help="a built store to cut the small store from (default: build one)")
    a = ap.parse_args()
    res = fuzz(a.n, a.cli, a.seed, store=a.store)
    print(json.dumps(res, indent=2, default=dict))


if __name__ == "__main__":
    main()
