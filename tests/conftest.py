"""Shared fixtures: real stores built once per test session from the bundled data."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from orderwatch import build as builder
from orderwatch.store import Store

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def base_store_path(tmp_path_factory) -> Path:
    """A store with the bundled base tables only (no streams): fast to build."""
    path = tmp_path_factory.mktemp("store") / "base.duckdb"
    builder.build(path, with_streams=False)
    return path


@pytest.fixture(scope="session")
def store(base_store_path) -> Store:
    st = Store(base_store_path)
    yield st
    st.close()


@pytest.fixture(scope="session")
def full_store_path(tmp_path_factory) -> Path:
    """A store with the base tables and every stream's derived tables (built once)."""
    path = tmp_path_factory.mktemp("full") / "full.duckdb"
    builder.build(path, with_streams=True)
    return path


@pytest.fixture(scope="session")
def full_store(full_store_path) -> Store:
    st = Store(full_store_path)
    yield st
    st.close()


@pytest.fixture()
def store_copy(base_store_path, tmp_path) -> Path:
    """A private copy of the base store that a test may modify."""
    p = tmp_path / "copy.duckdb"
    shutil.copyfile(base_store_path, p)
    return p
