"""The practice stream is model code: no store engine, CLI or web imports, small modules."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[2] / "src" / "orderwatch"
FORBIDDEN = ("duckdb", "typer", "fastapi", "starlette", "uvicorn", "orderwatch.cli", "orderwatch.web",
             "orderwatch.reports", "orderwatch.store", "orderwatch.build", "orderwatch.synthesis", "orderwatch.claims")


def test_practice_imports_flow_one_way_and_modules_stay_small():
    files = sorted((PKG / "practice").rglob("*.py")) + [PKG / "sources" / "practice.py"]
    for f in files:
        tree = ast.parse(f.read_text(encoding="utf-8"))
        mods = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        mods |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module and n.level == 0}
        bad = [m for m in mods if any(m == x or m.startswith(x + ".") for x in FORBIDDEN)]
        assert not bad, f"{f.relative_to(PKG)} imports {bad}"
        assert len(f.read_text(encoding="utf-8").splitlines()) < 400, f"{f.name} is over 400 lines"
