"""Shared fixtures: real stores built once per test session from the bundled data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from orderwatch import build as builder
from orderwatch.store import Store



def _built(tmp_path_factory, name: str, with_streams: bool) -> Path:
    path = tmp_path_factory.mktemp(name) / f"{name}.duckdb"
    builder.build(path, with_streams=with_streams)
    return path


@pytest.fixture(scope="session")
def base_store_path(tmp_path_factory) -> Path:
    """A store with the bundled base tables only (no streams): fast to build."""
    return _built(tmp_path_factory, "base", with_streams=False)


@pytest.fixture(scope="session")
def full_store_path(tmp_path_factory) -> Path:
    """A store with the base tables and every stream's derived tables (built once)."""
    return _built(tmp_path_factory, "full", with_streams=True)


@pytest.fixture(scope="session")
def store(base_store_path) -> Store:
    with Store(base_store_path) as st:
        yield st


@pytest.fixture(scope="session")
def full_store(full_store_path) -> Store:
    with Store(full_store_path) as st:
        yield st


@pytest.fixture()
def store_copy(base_store_path, tmp_path) -> Path:
    """A private copy of the base store that a test may modify."""
    p = tmp_path / "copy.duckdb"
    shutil.copyfile(base_store_path, p)
    return p
