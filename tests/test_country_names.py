"""Every entry point takes a state by name, ISO2/ISO3 or Chinese name, through the registry,
and an unknown name is a one-line error naming it with close matches (CLI exit 1)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from orderwatch.cli import app
from orderwatch.errors import UnknownCountryError

runner = CliRunner()
SRC = str(Path(__file__).resolve().parents[1] / "src")


@pytest.mark.parametrize("name", ["Vietnam", "Viet Nam", "VN", "vnm", "越南"])
def test_store_votes_resolves_names(store, name):
    by_code = store.votes(countries=["VNM"], years=2020)
    assert len(by_code) > 50
    got = store.votes(countries=[name], years=2020)
    assert got.equals(by_code)
    assert store.votes(countries=name, years=2020).equals(by_code)  # one name, not its letters


def test_store_speeches_resolve_names_and_keep_non_state_speakers(store):
    assert store.speeches(country="Philippines").equals(store.speeches(country="PHL"))
    assert len(store.speeches(country="菲律宾")) > 10
    assert len(store.speeches(country="EU")) > 0          # in the table though not a state


@pytest.mark.parametrize("call", [lambda s: s.votes(countries=["Vietnamm"]), lambda s: s.speeches(country="Vietnamm"),
                                  lambda s: s.documents(country="Vietnamm")])
def test_store_unknown_name_is_a_clear_error(store, call):
    with pytest.raises(UnknownCountryError, match=r"'Vietnamm'.*VNM \(Vietnam\)"):
        call(store)


def commands(db, tmp):
    return {
        "country": ["country", "{c}", "--db", db, "--json"],
        "votes align": ["votes", "align", "--country", "{c}", "--years", "2020", "--db", db, "--json"],
        "report": ["report", "--country", "{c}", "--out", str(tmp / "r.html"), "--db", db, "--json"],
        "institutions list": ["institutions", "list", "--country", "{c}", "--year", "2020", "--json"],
        "text evidence": ["text", "evidence", "--country", "{c}", "--year", "2016", "--db", db, "--json"],
    }


@pytest.mark.parametrize("command", ["country", "votes align", "report", "institutions list", "text evidence"])
def test_cli_resolves_names_and_rejects_unknown_ones(full_store_path, tmp_path, command):
    argv = commands(str(full_store_path), tmp_path)[command]
    results = {}
    for c in ("Philippines", "PHL", "菲律宾"):
        r = runner.invoke(app, [a.replace("{c}", c) for a in argv])
        assert r.exit_code == 0, (command, c, r.output)
        results[c] = json.loads(r.stdout)
    if command != "report":  # the report echoes the name it was given
        assert results["Philippines"] == results["PHL"] == results["菲律宾"]
    # the real entry point turns the domain error into one line and exit 1
    r = subprocess.run([sys.executable, "-m", "orderwatch", *[a.replace("{c}", "Philipines") for a in argv]],
                       capture_output=True, text=True, env={**os.environ, "PYTHONPATH": SRC})
    assert r.returncode == 1, (command, r.stderr)
    assert r.stderr.strip() == ("error: unknown country 'Philipines'; "
                                "did you mean PHL (Philippines), CHL (Chile), PSE (Palestine)?"), r.stderr
