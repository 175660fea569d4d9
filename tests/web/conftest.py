"""Fixtures for the web tests: apps over a test store, the real store, and a live server."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from fastapi.testclient import TestClient

from orderwatch.web import create_app
from web_fakestore import fake_store


@pytest.fixture()
def client() -> TestClient:
    return TestClient(create_app(fake_store()))


@pytest.fixture()
def empty_client() -> TestClient:
    return TestClient(create_app(None))


@pytest.fixture(scope="session")
def real_app(full_store):
    """The app over the real store built from the bundled data with every stream."""
    for name in ("positions", "votes_positions", "text_positions", "institutions_positions"):
        assert full_store.has_table(name), f"the full build did not write {name}"
    return create_app(full_store)


@pytest.fixture(scope="session")
def live_server(real_app):
    """The app on a free loopback port, served by uvicorn in a thread."""
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(real_app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
