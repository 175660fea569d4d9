"""One rule for a bad --years value on every command that takes it: exit 2 (usage), one
line naming the option. The value is parsed by one function, cli.common.parse_years."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from orderwatch.cli import app
from orderwatch.cli.common import parse_years

runner = CliRunner()

COMMANDS = {
    "scenario": ["scenario"],
    "text positions": ["text", "positions", "--country", "IDN"],
    "text semantic": ["text", "semantic", "--country", "IDN"],
    "votes align": ["votes", "align", "--country", "PHL"],
    "practice arms": ["practice", "arms", "--country", "VNM"],
    "practice forces": ["practice", "forces", "--country", "VNM"],
    "practice exercises": ["practice", "exercises", "--country", "VNM"],
}


def test_every_years_option_is_covered():
    """A new command taking --years joins this test (and so the rule)."""
    import typer.main

    found = []

    def walk(cmd, path):
        for p in getattr(cmd, "params", []):
            if "--years" in getattr(p, "opts", []):
                found.append(" ".join(path))
        for name, sub in (getattr(cmd, "commands", None) or {}).items():
            walk(sub, (*path, name))

    from orderwatch.cli import COMMAND_MODULES  # noqa: F401  (registers every command)
    walk(typer.main.get_command(app), ())
    assert sorted(found) == sorted(COMMANDS)


@pytest.mark.parametrize("bad", ["abc", "20-24", "2024-2020", "2020-"])
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_bad_years_is_a_usage_error_naming_the_option(base_store_path, command, bad):
    r = runner.invoke(app, [*COMMANDS[command], "--years", bad, "--db", str(base_store_path)])
    assert r.exit_code == 2, (command, bad, r.output)
    lines = r.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --years") and repr(bad) in lines[0], r.output


def test_parse_years():
    assert parse_years("2019") == (2019, 2019)
    assert parse_years(" 2000 - 2024 ") == (2000, 2024)
    assert parse_years(None) is None
    with pytest.raises(typer.Exit) as e:
        parse_years("x", option="--period")
    assert e.value.exit_code == 2
