"""The command line: help for every command (with an example), documented in the README,
one-line errors with the documented exit codes, and the foundation commands' output."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main

from orderwatch.cli import app

ROOT = Path(__file__).resolve().parents[1]


def is_group(cmd) -> bool:
    # typer ships its own copy of click, so test the shape rather than click.Group
    return isinstance(getattr(cmd, "commands", None), dict)


def all_commands() -> list[tuple[str, object]]:
    root = typer.main.get_command(app)
    out = []

    def walk(cmd, path: tuple[str, ...]) -> None:
        out.append((" ".join(path), cmd))
        if is_group(cmd):
            for name, sub in cmd.commands.items():
                walk(sub, path + (name,))

    walk(root, ())
    return out


COMMANDS = all_commands()
assert len(COMMANDS) > 20, "the command tree walk found too few commands"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "orderwatch", *args], capture_output=True, text=True)


def test_root_help():
    r = run("--help")
    assert r.returncode == 0 and "build" in r.stdout


@pytest.mark.parametrize("path,cmd", [(p, c) for p, c in COMMANDS if p], ids=[p for p, _ in COMMANDS if p])
def test_every_command_has_help_with_an_example(path, cmd):
    assert cmd.help and cmd.help.strip(), f"{path} has no help"
    if not is_group(cmd):
        assert "Example" in cmd.help or "example" in cmd.help, f"{path} help has no example"


def test_help_runs_for_every_command():
    for path, _ in COMMANDS:
        r = run(*path.split(), "--help") if path else run("--help")
        assert r.returncode == 0, (path, r.stderr)


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "docs").glob("*.md"))
    missing = [p for p, c in COMMANDS if p and not is_group(c) and f"orderwatch {p}" not in readme]
    assert not missing, f"undocumented commands: {missing}"


def test_sources_json_is_one_document():
    r = run("sources", "--json")
    recs = json.loads(r.stdout)
    assert r.returncode == 0 and {x["name"] for x in recs} >= {"ungdc", "atop", "undl_votes", "countries"}
    assert all(re.fullmatch(r"[0-9a-f]{64}", x["sha256"]) for x in recs)


def test_overview_json(base_store_path):
    r = run("overview", "--json", "--db", str(base_store_path))
    s = json.loads(r.stdout)
    assert s["coverage"]["speeches"]["n"] == 10952


def test_unknown_country_is_one_line_exit_1():
    r = run("countries", "Phillipines")
    assert r.returncode == 1
    assert r.stderr.strip().count("\n") == 0 and "PHL (Philippines)" in r.stderr


def test_missing_store_exit_1(tmp_path):
    r = run("overview", "--db", str(tmp_path / "none.duckdb"))
    assert r.returncode == 1 and "orderwatch build" in r.stderr


def test_usage_error_exit_2():
    r = run("build", "--no-such-option")
    assert r.returncode == 2


def test_run_the_readme_main_job_on_a_built_store(full_store_path, tmp_path):
    """`orderwatch run` (the README's first command): build (a no-op on a current store),
    the overview with the latest positions, and the Asia report written where asked."""
    import shutil

    from typer.testing import CliRunner

    db = tmp_path / "store.duckdb"
    shutil.copyfile(full_store_path, db)
    report = tmp_path / "asia.html"
    r = CliRunner().invoke(app, ["run", "--db", str(db), "--report", str(report)])
    assert r.exit_code == 0, r.output
    assert "Latest positions" in r.output and "USA United States" in r.output
    assert report.exists() and report.stat().st_size > 10_000
    assert "orderwatch serve" in r.output
