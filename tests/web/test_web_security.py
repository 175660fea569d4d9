"""Security: size limits with clear messages, nothing written, no write endpoint."""

from __future__ import annotations

import os
import tempfile

import pytest

from orderwatch.web import create_app, services
from web_fakestore import fake_store


def fake_scorer(text):
    i = text.find("indivisible security")
    ev = [{"start": i, "end": i + 20, "axis": "A1", "sign": -1, "frame": "indivisible"}] if i >= 0 else []
    return {"value": -0.5 if ev else None, "interval": None, "n": len(ev), "evidence": ev, "warnings": []}


@pytest.fixture()
def scoring_client():
    from fastapi.testclient import TestClient

    return TestClient(create_app(fake_store(), scorer=fake_scorer))


def test_oversized_text_refused_with_the_limit_in_the_message(scoring_client):
    big = "a" * (services.MAX_TEXT_BYTES + 1)
    r = scoring_client.post("/api/score", json={"text": big})
    assert r.status_code == 413
    assert f"{services.MAX_TEXT_BYTES:,}" in r.json()["detail"]
    page = scoring_client.post("/score", data={"text": big}, headers={"accept": "text/html"})
    assert page.status_code == 413 and "the limit is" in page.text


def test_oversized_upload_refused(scoring_client):
    big = b"x" * (services.MAX_TEXT_BYTES + 10)
    r = scoring_client.post("/api/score/upload", files={"file": ("big.txt", big, "text/plain")})
    assert r.status_code == 413 and "limit" in r.json()["detail"]


def test_huge_body_refused_before_parsing(scoring_client):
    big = b"x" * (services.MAX_BODY_BYTES + 1)
    r = scoring_client.post("/api/score/upload", files={"file": ("huge.txt", big, "text/plain")})
    assert r.status_code == 413 and "limit" in r.json()["detail"]


def test_non_utf8_upload_is_a_clear_400(scoring_client):
    r = scoring_client.post("/api/score/upload", files={"file": ("x.txt", b"\xff\xfe\xfa", "text/plain")})
    assert r.status_code == 400 and "not UTF-8" in r.json()["detail"]


def test_scorer_page_highlights_and_escapes(scoring_client):
    text = "<script>alert(1)</script> We uphold indivisible security in Asia."
    r = scoring_client.post("/score", data={"text": text}, headers={"accept": "text/html"})
    assert r.status_code == 200
    assert '<mark class="gsi"' in r.text and ">indivisible security</mark>" in r.text
    assert "<script>alert(1)</script>" not in r.text  # escaped, not executed


def test_uploads_write_nothing_outside_the_temp_dir(scoring_client, tmp_path, monkeypatch):
    """Watch every file opened for writing while a document and a ledger are uploaded."""
    import builtins

    written = []
    real_open = builtins.open

    def spy(file, mode="r", *a, **k):
        if any(c in mode for c in "wax+"):
            written.append(str(file))
        return real_open(file, mode, *a, **k)

    monkeypatch.setattr(builtins, "open", spy)
    payload = ("indivisible security " * 5000).encode()[: services.MAX_TEXT_BYTES - 10]
    r = scoring_client.post("/api/score/upload", files={"file": ("doc.txt", payload, "text/plain")})
    assert r.status_code == 200
    scoring_client.post("/claims", files={"file": ("l.yaml", b"claims: []\n", "text/yaml")})
    tmp = os.path.realpath(tempfile.gettempdir())
    outside = [w for w in written if isinstance(w, str) and not os.path.realpath(w).startswith(tmp)]
    assert outside == []


def test_there_is_no_write_endpoint(client):
    """Only GET/HEAD everywhere; POST only where a text or ledger is computed on."""
    compute_only = {"/score", "/api/score", "/api/score/upload", "/claims", "/api/claims/check"}

    def flat(routes):
        # FastAPI keeps included routers as wrappers; walk into them.
        for r in routes:
            inner = getattr(r, "original_router", None)
            yield from flat(inner.routes) if inner is not None else [r]

    routes = list(flat(client.app.routes))
    paths = {getattr(r, "path", None) for r in routes}
    assert {"/api/map", "/api/score", "/country/{iso3}", "/download/{name}.{fmt}"} <= paths
    for route in routes:
        methods = getattr(route, "methods", None) or set()
        assert not (methods & {"PUT", "PATCH", "DELETE"}), route.path
        if "POST" in methods:
            assert route.path in compute_only, route.path


def test_store_is_opened_read_only(store):
    # The real store object the app serves refuses writes.
    with pytest.raises(Exception):
        store.sql("CREATE TABLE hacked AS SELECT 1")


def test_serve_binds_loopback_by_default():
    import inspect

    from orderwatch.cli import web as cli_web

    assert inspect.signature(cli_web.serve).parameters["host"].default.default == "127.0.0.1"
