"""The README's Python example runs, as written, against a built store."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text("utf-8"), flags=re.S)


def test_the_readme_has_one_python_example():
    assert len(python_blocks()) == 1


def test_the_readme_python_example_runs(full_store_path, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.setenv("ORDERWATCH_DB", str(full_store_path))  # what ow.open() reads
    namespace: dict = {}
    exec(compile(python_blocks()[0], str(README), "exec"), namespace)  # noqa: S102 - our own README
    phl = namespace["phl"]
    assert phl["iso3"] == "PHL" and phl["year"] == namespace["obs"].default_year()
    assert len(namespace["fig"].axes) == 4
    assert namespace["store"].table("positions").shape[0] > 1000
