"""A command loads only the module that registers it: `orderwatch countries X` imports no
stream, no other command module and no scipy; `--help` still lists every command."""

from __future__ import annotations

import json
import subprocess
import sys

from orderwatch import cli

PROBE = """
import json, runpy, sys
sys.argv = ["orderwatch", *{args!r}]
try:
    runpy.run_module("orderwatch", run_name="__main__")
except SystemExit:
    pass
sys.stderr.write(json.dumps(sorted(m for m in sys.modules if m.startswith(("orderwatch", "scipy", "duckdb")))))
"""


def loaded(*args: str) -> set[str]:
    r = subprocess.run([sys.executable, "-c", PROBE.format(args=list(args))], capture_output=True, text=True)
    return set(json.loads(r.stderr.strip().splitlines()[-1]))


def test_countries_loads_no_stream():
    mods = loaded("countries", "PHL")
    assert "orderwatch.cli.core" in mods and "orderwatch.countries" in mods
    assert not {m for m in mods if m.startswith(("orderwatch.votes", "orderwatch.text", "orderwatch.synthesis",
                                                 "orderwatch.institutions", "orderwatch.web", "scipy", "duckdb"))}
    assert not {m for m in mods if m.startswith("orderwatch.cli.") and m not in ("orderwatch.cli.core",
                                                                                "orderwatch.cli.common")}


def test_the_fast_path_map_names_exactly_what_its_modules_register():
    # a module missing from COMMANDS still works (every module is loaded for its commands)
    assert set(cli.COMMANDS.values()) <= set(cli.COMMAND_MODULES)
    app = cli.build_app(sorted(set(cli.COMMANDS.values())))
    names = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
    assert names == set(cli.COMMANDS)
