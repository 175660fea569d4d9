"""Every example in a docstring runs (the doctests of the whole package, collected here).

Examples that need a built store or the network are marked ``# doctest: +SKIP`` where
they are written; everything else must pass as shown. The modules are imported in a
child process: importing every submodule of every package loads far more than any other
test needs, and would change what other tests in this process find already imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PKG = SRC / "orderwatch"
#: Modules that cannot be imported without an optional extra (Dask for corpus scoring).
OPTIONAL = {"orderwatch.corpus.dask_engine"}

RUNNER = """
import doctest, importlib, json, sys
out = {}
for name in sys.argv[1:]:
    module = importlib.import_module(name)
    r = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False,
                        report=False)
    out[name] = [r.failed, r.attempted]
print(json.dumps(out))
"""


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


#: Every module whose source holds an example (found without importing anything here).
MODULES = sorted(n for f in PKG.rglob("*.py") if ">>> " in f.read_text(encoding="utf-8")
                 and (n := module_name(f)) not in OPTIONAL and not n.endswith("__main__"))


@pytest.fixture(scope="module")
def results() -> dict[str, list[int]]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    r = subprocess.run([sys.executable, "-c", RUNNER, *MODULES], capture_output=True, text=True, env=env,
                       timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_doctests_are_found():
    assert len(MODULES) >= 30, MODULES


@pytest.mark.parametrize("name", MODULES)
def test_doctests_pass(results, name):
    failed, attempted = results[name]
    assert failed == 0, f"{name}: {failed} of {attempted} examples failed (python -m doctest -v, or doctest.testmod)"
