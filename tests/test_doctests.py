"""Every example in a docstring runs (the doctests of the whole package, collected here).

Examples that need a built store or the network are marked ``# doctest: +SKIP`` where
they are written; everything else must pass as shown.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import orderwatch

#: Modules that cannot be imported without an optional extra (Dask for corpus scoring).
OPTIONAL = ("orderwatch.corpus.dask_engine",)


def modules_with_examples() -> list[str]:
    out = []
    for info in pkgutil.walk_packages(orderwatch.__path__, "orderwatch."):
        if info.name in OPTIONAL or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        if any(t.examples for t in doctest.DocTestFinder().find(module)):
            out.append(info.name)
    return out


MODULES = modules_with_examples()


def test_doctests_are_found():
    assert len(MODULES) >= 15, MODULES


@pytest.mark.parametrize("name", MODULES)
def test_doctests_pass(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed (run python -m doctest -v)"
