"""What the server refuses or bounds, in process: hosts, cross-site posts, bodies, caps, cache, headers, HEAD."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from orderwatch.web import create_app, limits, services
from orderwatch.web.guard import CACHED_PREFIXES
from orderwatch.web.pagecache import KNOWN_PARAMS, ResponseCache, cache_key
from web_fakestore import fake_store

SECURITY = ("content-security-policy", "x-frame-options", "referrer-policy", "x-content-type-options")
ONE_TOO_MANY = ["JPN", "PHL", "CHN", "USA", "KOR", "PRK", "VNM", "THA", "IDN", "MYS", "SGP", "IND", "PAK"][
    :limits.MAX_COMPARE + 1]


def fake_scorer(text):
    return {"position": None, "interval": None, "n": 0, "evidence": [], "warnings": [], "n_sentences": text.count(".")}


@pytest.fixture()
def app_client():
    return TestClient(create_app(fake_store(), scorer=fake_scorer))


# -- Host and Origin ----------------------------------------------------------------------
@pytest.mark.parametrize("host", ["evil.example", "attacker.test:8765", "127.0.0.1.nip.io"])
def test_foreign_host_is_refused(app_client, host):
    r = app_client.get("/", headers={"host": host})
    assert r.status_code == 400 and "is not served here" in r.json()["detail"]


@pytest.mark.parametrize("host", ["127.0.0.1:8765", "localhost", "LOCALHOST:80", "[::1]:8765"])
def test_loopback_hosts_are_served(app_client, host):
    assert app_client.get("/api/meta", headers={"host": host}).status_code == 200


def test_more_hosts_by_argument_and_environment(monkeypatch):
    monkeypatch.setenv("ORDERWATCH_ALLOWED_HOSTS", "dash.example.org, other.example")
    c = TestClient(create_app(fake_store(), allowed_hosts=["proxy.internal"]))
    for host in ("dash.example.org", "other.example", "proxy.internal:443"):
        assert c.get("/api/meta", headers={"host": host}).status_code == 200, host
    assert c.get("/api/meta", headers={"host": "evil.example"}).status_code == 400
    assert TestClient(create_app(fake_store(), allowed_hosts=None)).get(
        "/api/meta", headers={"host": "anything.example"}).status_code == 200


LEDGER = {"file": ("l.yaml", b"claims: []\n", "text/yaml")}


@pytest.mark.parametrize("headers", [
    {"origin": "http://evil.example"},
    {"origin": "null"},
    {"origin": "http://testserver:9999"},
    {"sec-fetch-site": "cross-site"},
    {"sec-fetch-site": "same-site", "origin": "http://testserver"},
    {"referer": "http://evil.example/page"},
])
def test_cross_site_posts_are_refused(app_client, headers):
    for path in ("/claims", "/api/claims/check"):
        r = app_client.post(path, files=LEDGER, headers=headers)
        assert r.status_code == 403 and "cross-site POST refused" in r.json()["detail"], (path, headers)
    r = app_client.post("/score", data={"text": "hello."}, headers=headers)
    assert r.status_code == 403


@pytest.mark.parametrize("headers", [
    {}, {"origin": "http://testserver"}, {"referer": "http://testserver/claims"},
    {"sec-fetch-site": "same-origin", "origin": "http://testserver"}, {"sec-fetch-site": "none"},
])
def test_same_origin_and_non_browser_posts_pass(app_client, headers):
    assert app_client.post("/claims", files=LEDGER, headers=headers).status_code != 403


# -- bodies ------------------------------------------------------------------------------
def _chunks(total: int, size: int = 64_000):
    sent = 0
    while sent < total:
        yield b"x" * size
        sent += size


@pytest.mark.parametrize("path,ctype", [("/api/score", "application/json"),
                                        ("/score", "application/x-www-form-urlencoded"),
                                        ("/api/claims/check", "multipart/form-data; boundary=b")])
def test_streamed_body_over_the_limit_is_413(app_client, path, ctype):
    """No Content-Length (chunked): bytes are counted as the app reads them."""
    r = app_client.post(path, content=_chunks(services.MAX_BODY_BYTES + 200_000), headers={"content-type": ctype})
    assert r.status_code == 413, r.text
    assert f"{services.MAX_BODY_BYTES:,}" in r.json()["detail"]
    assert all(h in r.headers for h in SECURITY)


def test_streamed_body_under_the_limit_is_read(app_client):
    body = b'{"text": "' + b"We oppose hegemony. " * 1000 + b'"}'
    r = app_client.post("/api/score", content=iter([body[:5000], body[5000:]]), headers={"content-type": "application/json"})
    assert r.status_code == 200


# -- caps --------------------------------------------------------------------------------
def test_compare_caps_distinct_countries(app_client):
    r = app_client.get("/compare", params={"c": ",".join(ONE_TOO_MANY)}, headers={"accept": "text/html"})
    assert r.status_code == 422 and f"at most {limits.MAX_COMPARE} countries" in r.text
    r = app_client.get("/api/compare", params={"c": ",".join(ONE_TOO_MANY)})
    assert r.status_code == 422 and f"at most {limits.MAX_COMPARE} countries" in r.json()["detail"][0]["msg"]
    assert app_client.get("/api/compare", params={"c": ONE_TOO_MANY}).status_code == 422


def test_compare_deduplicates(app_client):
    r = app_client.get("/compare?c=" + ",".join(["JPN"] * 5000 + ["phl"]))
    assert r.status_code == 200 and len(r.content) < 200_000
    r = app_client.get("/api/compare", params={"c": ["JPN,JPN,jpn", "PHL"]})
    assert r.status_code == 200 and sorted(r.json()["series"]) == ["JPN", "PHL"]


def test_scorer_reads_at_most_the_sentence_cap(app_client):
    text = "hegemony. " * (limits.MAX_SCORER_SENTENCES + 500)
    r = app_client.post("/api/score", json={"text": text})
    assert r.status_code == 200
    body = r.json()
    assert body["n_sentences"] == limits.MAX_SCORER_SENTENCES
    assert any("scored the first 2,000 of 2,500 sentences" in w for w in body["warnings"])
    page = app_client.post("/score", data={"text": text}, headers={"accept": "text/html"})
    assert page.status_code == 200 and "scored the first 2,000 of 2,500 sentences" in page.text


def test_short_text_is_not_cut():
    assert limits.cap_sentences("One. Two.") == ("One. Two.", None)


@pytest.mark.parametrize("ledger,says", [
    ("claims:\n- id: a\n  x: &a [1,2]\n" + "".join(f"  y{i}: *a\n" for i in range(25)), "YAML aliases"),
    ("claims: " + "[" * 5000, "not valid YAML"),
    ("claims: " + "[" * 100 + "]" * 100, "nested deeper"),
    ("claims:\n" + "".join(f"- id: c{i}\n  claim: c\n  measure: not_testable\n  reason: r\n"
                           for i in range(limits.MAX_LEDGER_CLAIMS + 1)), "checks at most"),
])
def test_ledger_shape_is_bounded(app_client, ledger, says):
    for path in ("/api/claims/check", "/claims"):
        r = app_client.post(path, files={"file": ("x.yaml", ledger.encode(), "text/yaml")}, headers={"accept": "text/html"})
        assert r.status_code == 400, (path, r.text[:300])
        assert says in r.text


# -- cache -------------------------------------------------------------------------------
def test_cache_is_bounded_by_entries_and_bytes():
    c = ResponseCache(max_entries=3, max_bytes=1000, max_entry_bytes=600)
    for i in range(10):
        c.put(f"k{i}", {}, b"x" * 300)
    assert len(c) == 3 and c.size_bytes == 900
    c.put("big", {}, b"x" * 700)  # over max_entry_bytes: not kept
    assert "big" not in c
    c.get("k7")  # recently used: survives the next insertions
    c.put("k10", {}, b"x" * 500)
    assert "k7" in c and c.size_bytes <= 1000


def test_cache_key_keeps_only_known_parameters():
    assert cache_key("/", "year=2020&utm_source=x", False) == cache_key("/", "year=2020", False)
    assert cache_key("/", "c=JPN&c=PHL", False) != cache_key("/", "c=PHL&c=JPN", False)
    assert cache_key("/", "axis=A1&year=2020", True) == cache_key("/", "year=2020&axis=A1", True) != cache_key(
        "/", "year=2020&axis=A1", False)
    assert cache_key("/", "year=" + "9" * 600, False) is None


def test_known_parameters_cover_every_cached_route(app_client):
    """A route reading a parameter the cache key drops would serve one response for all its values."""
    def flat(routes):
        for r in routes:
            inner = getattr(r, "original_router", None)
            yield from flat(inner.routes) if inner is not None else [r]

    for route in flat(app_client.app.routes):
        dependant = getattr(route, "dependant", None)
        path = getattr(route, "path", "")
        if dependant is None or not (path == "/" or path.startswith(CACHED_PREFIXES)):
            continue
        for p in dependant.query_params:
            assert p.alias in KNOWN_PARAMS, (path, p.alias)


def test_junk_query_strings_do_not_fill_the_cache(app_client):
    for i in range(200):
        assert app_client.get(f"/api/meta?utm={i}&x{i}=1").status_code == 200
    assert len([k for k in app_client.app.state.page_cache.keys() if k.startswith("/api/meta")]) == 1


# -- headers and HEAD --------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/", "/api/meta", "/static/app.css", "/country/XXX", "/api/country/XXX",
                                  "/compare?c=" + ",".join(ONE_TOO_MANY), "/nowhere"])
def test_security_headers_on_every_response(app_client, path):
    for _ in range(2):  # the second may come from the cache
        r = app_client.get(path)
        assert all(h in r.headers for h in SECURITY), (path, r.status_code, r.headers)
        assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
        assert r.headers["x-frame-options"] == "DENY" and r.headers["x-content-type-options"] == "nosniff"


def test_page_csp_allows_no_inline_script(app_client):
    csp = app_client.get("/").headers["content-security-policy"]
    script = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert script.split() == ["script-src", "'self'"]
    for path in ("/", "/docs", "/redoc", "/score", "/claims", "/methods", "/movers", "/compare"):
        html = app_client.get(path, headers={"accept": "text/html"}).text
        assert "<script>" not in html and " onchange=" not in html and " onclick=" not in html, path


def test_head_on_every_get_route(app_client):
    for path in ("/", "/api/meta", "/api/map", "/compare", "/score", "/claims", "/methods", "/movers", "/docs",
                 "/openapi.json", "/static/app.css", "/api/topology", "/download/positions.csv", "/export/map.svg"):
        get = app_client.get(path)
        head = app_client.head(path)
        assert head.status_code == get.status_code, path
        assert head.content == b"" and head.headers.get("content-type") == get.headers.get("content-type"), path


def test_ledger_checking_stops_at_its_cpu_budget(app_client, monkeypatch):
    monkeypatch.setattr(limits, "LEDGER_CPU_BUDGET_S", 0.0)
    ledger = "claims:\n" + "".join(f"- id: c{i}\n  claim: c\n  measure: not_testable\n  reason: r\n" for i in range(3))
    r = app_client.post("/api/claims/check", files={"file": ("l.yaml", ledger.encode(), "text/yaml")})
    assert r.status_code == 200
    body = r.json()
    assert body["claims"] == [] and body["not_checked"] == ["c0", "c1", "c2"]
    assert "orderwatch claims check l.yaml" in body["note"]
    page = app_client.post("/claims", files={"file": ("l.yaml", ledger.encode(), "text/yaml")})
    assert page.status_code == 200 and "checked the first 0 of 3 claims" in page.text
