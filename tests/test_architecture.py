"""Data flow one way: model code never imports the store engine, the CLI or the web."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "orderwatch"
MODEL_PACKAGES = ("votes", "text", "institutions", "synthesis", "claims", "sources")
FORBIDDEN = ("duckdb", "typer", "fastapi", "starlette", "uvicorn", "orderwatch.cli", "orderwatch.web",
             "orderwatch.reports", "orderwatch.store", "orderwatch.build")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
    return out


@pytest.mark.parametrize("package", MODEL_PACKAGES)
def test_model_code_imports_no_engine_cli_or_web(package):
    files = sorted((PKG / package).rglob("*.py"))
    assert files
    for f in files:
        bad = [m for m in imported_modules(f) if any(m == x or m.startswith(x + ".") for x in FORBIDDEN)]
        assert not bad, f"{f.relative_to(PKG)} imports {bad}"


def test_only_the_store_speaks_duckdb():
    users = {f.relative_to(PKG).as_posix() for f in PKG.rglob("*.py")
             if any(m == "duckdb" or m.startswith("duckdb.") for m in imported_modules(f))}
    assert users and all(u.startswith("store/") for u in users), users  # the store package


def test_schema_imports_nothing_from_orderwatch_but_errors():
    """The vocabulary sits below every floor, so every floor may import it."""
    ours = {m for m in imported_modules(PKG / "schema.py") if m == "orderwatch" or m.startswith("orderwatch.")}
    assert ours <= {"orderwatch.errors"}


@pytest.mark.parametrize("name", ["AXES", "STREAMS", "POSITION_COLUMNS", "POLES", "STREAM_TABLES"])
def test_the_vocabulary_is_defined_once(name):
    """Axes, streams, poles and the positions columns live in schema.py, not in copies."""
    import re
    pattern = re.compile(rf"^{name}\s*(:[^=]*)?=", re.M)
    owners = sorted(f.relative_to(PKG).as_posix() for f in PKG.rglob("*.py")
                    if pattern.search(f.read_text(encoding="utf-8")))
    allowed = {"schema.py", "web/data.py"}  # web: STREAMS adds the combined table, AXES are labels
    assert set(owners) <= allowed, owners
