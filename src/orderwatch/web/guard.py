"""One pure-ASGI middleware: refuse oversized bodies, cache GET responses, set headers.

Written as plain ASGI rather than Starlette's ``BaseHTTPMiddleware`` because the latter
adds a task and a stream copy per request, which dominated the latency of cached pages
in benchmarks/web_load.py. Because the store is opened read-only, a successful GET
response cannot go stale while the process lives, so it is kept per URL (path and sorted
query) and served again without routing, validation or rendering.
"""

from __future__ import annotations

import json
from typing import Any

#: Paths whose successful GET responses are cached (pages, API reads, static files, the map, docs).
CACHED_PREFIXES = ("/api/map", "/api/rankings", "/api/country/", "/api/compare", "/api/meta", "/api/tables",
                   "/api/methods", "/api/claims", "/country/", "/compare", "/claims", "/methods", "/movers",
                   "/api/topology", "/static/", "/docs", "/redoc", "/export/")
CACHE_MAX = 4096


class Guard:
    """ASGI middleware.

    Parameters
    ----------
    app : ASGI app
    max_body : int
        Requests whose Content-Length exceeds this get 413 with a message naming the limit.
    message : str
        Text appended to the 413 message (e.g. the scorer's own limit).
    cache : dict
        Shared response cache (``app.state.page_cache``) so that tests can inspect it.
    """

    def __init__(self, app, max_body: int, message: str = "", cache: dict | None = None):
        self.app = app
        self.max_body = max_body
        self.message = message
        self.cache = cache if cache is not None else {}

    async def __call__(self, scope: dict, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length", b"").decode("latin-1")
        if length.isdigit() and int(length) > self.max_body:
            body = json.dumps({"detail": f"request body is {int(length):,} bytes; the limit is "
                                         f"{self.max_body:,} bytes ({self.max_body // 1000} KB){self.message}"}).encode()
            await send({"type": "http.response.start", "status": 413,
                        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        path = scope.get("path", "")
        key = None
        if scope.get("method") == "GET" and (path == "/" or path.startswith(CACHED_PREFIXES)):
            qs = scope.get("query_string", b"").decode("latin-1")
            key = path + "?" + "&".join(sorted(qs.split("&"))) if qs else path
            # The body differs with compression (gzip runs inside this middleware).
            if b"gzip" in headers.get(b"accept-encoding", b""):
                key += "#gzip"
            hit = self.cache.get(key)
            if hit is not None:
                start, body = hit
                await send(start)
                await send({"type": "http.response.body", "body": body})
                return

        captured: dict[str, Any] = {"start": None, "parts": [], "ok": key is not None}

        async def send_wrapper(message: dict) -> None:
            if message["type"] == "http.response.start":
                message = dict(message)
                message["headers"] = list(message.get("headers", [])) + [(b"x-content-type-options", b"nosniff")]
                captured["start"] = message
                captured["ok"] = captured["ok"] and message["status"] == 200
            elif message["type"] == "http.response.body" and captured["ok"]:
                captured["parts"].append(message.get("body", b""))
                if not message.get("more_body") and len(self.cache) < CACHE_MAX:
                    self.cache[key] = (captured["start"], b"".join(captured["parts"]))
            await send(message)

        await self.app(scope, receive, send_wrapper)
