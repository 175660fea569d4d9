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
    assert set(owners) <= {"schema.py"}, owners


# -- the top floors: the read side, presentation, CLI, web, reports -------------------------
#: Packages that render or serve; they read the store only through orderwatch.observatory.
TOP_FLOORS = ("cli", "web", "reports", "present")


def top_floor_files() -> list[Path]:
    return sorted(f for floor in TOP_FLOORS for f in (PKG / floor).rglob("*.py"))


def calls_sql(path: Path) -> list[int]:
    """Line numbers of ``<anything>.sql(...)`` calls."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
            and n.func.attr == "sql"]


def uses_importlib(path: Path) -> bool:
    """``import importlib``, ``import_module`` or ``__import__`` (``from importlib import resources``,
    for package data, is fine)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for n in ast.walk(tree):
        if isinstance(n, ast.Import) and any(a.name.split(".")[0] == "importlib" for a in n.names):
            return True
        if isinstance(n, ast.ImportFrom) and n.module == "importlib" and any(a.name != "resources" for a in n.names):
            return True
        if isinstance(n, (ast.Name, ast.Attribute)) and getattr(n, "id", getattr(n, "attr", "")) in (
                "import_module", "__import__"):
            return True
    return False


@pytest.mark.parametrize("path", top_floor_files(), ids=lambda p: p.relative_to(PKG).as_posix())
def test_top_floors_build_no_sql_and_find_no_module_by_name(path):
    assert not calls_sql(path), f"{path.relative_to(PKG)} calls .sql( at lines {calls_sql(path)}: use orderwatch.observatory"
    assert not any(m == "duckdb" or m.startswith("duckdb.") for m in imported_modules(path))
    assert not uses_importlib(path), f"{path.relative_to(PKG)} looks modules up by name"


def test_there_is_one_overview_and_one_profile():
    """The overview and the country profile are made on the read side only."""
    assert not (PKG / "overview.py").exists() and not (PKG / "synthesis" / "report.py").exists()
    assert not (PKG / "web" / "data.py").exists()


def test_the_read_side_sits_below_the_surfaces():
    forbidden = ("typer", "fastapi", "starlette", "uvicorn", "jinja2", "duckdb", "orderwatch.cli", "orderwatch.web",
                 "orderwatch.reports", "orderwatch.present", "orderwatch.claims")
    for f in sorted((PKG / "observatory").rglob("*.py")):
        bad = [m for m in imported_modules(f) if any(m == x or m.startswith(x + ".") for x in forbidden)]
        assert not bad, f"{f.relative_to(PKG)} imports {bad}"


@pytest.mark.parametrize("package", ["reports", "present"])
def test_reports_and_presentation_do_not_reach_into_the_web(package):
    """Reports render with orderwatch.present (views, charts, map, templates), never the web's names."""
    for f in sorted((PKG / package).rglob("*.py")):
        bad = [m for m in imported_modules(f) if m == "orderwatch.web" or m.startswith("orderwatch.web.")
               or m.startswith(("fastapi", "starlette"))]
        assert not bad, f"{f.relative_to(PKG)} imports {bad}"


def test_the_cli_registers_an_explicit_list_of_modules():
    """COMMAND_MODULES names every cli module that registers commands, and nothing else."""
    from orderwatch import cli

    registering = {f"orderwatch.cli.{f.stem}" for f in (PKG / "cli").glob("*.py")
                   if "\ndef register(" in f.read_text(encoding="utf-8")}
    assert set(cli.COMMAND_MODULES) == registering
    assert set(cli.COMMANDS.values()) <= set(cli.COMMAND_MODULES)


#: "Small modules (about 400 lines)": a little slack, so a docstring does not break the suite.
MAX_LINES = 420


def test_no_module_is_over_about_400_lines():
    long = {f.relative_to(PKG).as_posix(): n for f in PKG.rglob("*.py")
            if (n := len(f.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, long
