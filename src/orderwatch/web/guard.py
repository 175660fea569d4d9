"""One pure-ASGI middleware in front of the app: who may ask, how much, and the response cache.

In order, for every HTTP request:

1. **Host** must be on the allow-list (loopback names and the served host; more with
   ``ORDERWATCH_ALLOWED_HOSTS`` or ``orderwatch serve --allow-host``): 400 otherwise, which
   stops DNS-rebinding pages from reading the dashboard through a victim's browser.
2. **Cross-site writes**: a POST whose ``Origin`` (or, without one, ``Referer``) is not this
   server, or marked ``Sec-Fetch-Site: cross-site``/``same-site``, gets 403. Clients that send
   none of these (curl, scripts) are not browsers and pass.
3. **Body size**: over ``max_body`` bytes gets 413, by ``Content-Length`` before anything is
   read and by counting streamed (chunked) bytes as the app reads them.
4. **Store changes**: when the store file's fingerprint changes (a rebuild swapped a new
   file in) the cache is emptied and ``on_store_change`` reopens the store.
5. **HEAD** is served as GET without the body (FastAPI routes answer GET only).
6. **Cache**: successful GETs of read-only pages are kept in a bounded LRU (``pagecache``).
7. **Headers**: every response gets the security headers (CSP, frame-ancestors,
   X-Frame-Options, Referrer-Policy, nosniff), unless the app already set one.

Written as plain ASGI rather than Starlette's ``BaseHTTPMiddleware``, which adds a task and
a stream copy per request (it dominated cached-page latency in benchmarks/web_load.py).
"""

from __future__ import annotations

import json
import logging
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

from orderwatch.web.pagecache import ResponseCache, cache_key

#: Paths whose successful GET responses are cached (pages, API reads, static files, the map, docs).
CACHED_PREFIXES = ("/api/map", "/api/rankings", "/api/country/", "/api/compare", "/api/meta", "/api/tables",
                   "/api/methods", "/api/claims", "/country/", "/compare", "/claims", "/methods", "/movers",
                   "/api/topology", "/static/", "/docs", "/redoc", "/export/")
#: Host names always served: the loopback interface.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
#: What the pages may load: only this server's scripts (no inline script, no eval); inline
#: style attributes only (the colour chips), no inline <style>; nothing may frame the pages.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
       "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"x-content-type-options", b"nosniff"),
)
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

log = logging.getLogger(__name__)


class BodyTooLarge(Exception):
    """Raised from ``receive`` once a streamed body passes the limit."""


def host_name(value: str) -> str:
    """``'[::1]:8765'`` -> ``'::1'``, ``'LocalHost:80'`` -> ``'localhost'``."""
    value = value.strip().lower()
    if value.startswith("["):
        return value[1:value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


class Guard:
    """ASGI middleware (see the module docstring for what it does, in order).

    Parameters
    ----------
    app : ASGI app
    max_body : int
        Largest request body in bytes; larger ones get 413 with a message naming the limit.
    message : str
        Text appended to the 413 message (e.g. the scorer's own limit).
    cache : ResponseCache
        Shared response cache (``app.state.page_cache``) so that tests can inspect it.
    allowed_hosts : iterable of str or None
        Host names (without port) that may be asked for; None disables the check.
    fingerprint : callable or None
        Returns the store file's fingerprint; a change empties the cache.
    on_store_change : callable or None
        Called (before the request is served) when the fingerprint changed.
    """

    def __init__(self, app, max_body: int, message: str = "", cache: ResponseCache | None = None,
                 allowed_hosts: Iterable[str] | None = LOOPBACK_HOSTS,
                 fingerprint: Callable[[], Any] | None = None, on_store_change: Callable[[], None] | None = None):
        self.app = app
        self.max_body = max_body
        self.message = message
        self.cache = cache if cache is not None else ResponseCache()
        self.allowed_hosts = None if allowed_hosts is None else frozenset(host_name(h) for h in allowed_hosts)
        self.fingerprint = fingerprint
        self.on_store_change = on_store_change
        self._seen = fingerprint() if fingerprint else None

    async def __call__(self, scope: dict, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            await _send_json(send, *refusal)
            return
        self._notice_store_change()

        head = scope.get("method") == "HEAD"
        if head:
            scope = dict(scope, method="GET")
        key = None
        path = scope.get("path", "")
        if scope["method"] == "GET" and (path == "/" or path.startswith(CACHED_PREFIXES)):
            # gzip runs inside this middleware, so the body differs with Accept-Encoding.
            key = cache_key(path, scope.get("query_string", b"").decode("latin-1"),
                            gzip=b"gzip" in headers.get(b"accept-encoding", b""))
            hit = self.cache.get(key) if key else None
            if hit is not None:
                await send(hit[0])
                await send({"type": "http.response.body", "body": b"" if head else hit[1]})
                return

        state: dict[str, Any] = {"read": 0, "over": False, "start": None, "parts": [], "keep": key is not None,
                                 "replaced": False}

        async def counted_receive() -> dict:
            message = await receive()
            if message["type"] == "http.request":
                state["read"] += len(message.get("body", b""))
                if state["read"] > self.max_body:
                    state["over"] = True
                    raise BodyTooLarge()
            return message

        async def send_wrapper(message: dict) -> None:
            if state["replaced"]:
                return
            if message["type"] == "http.response.start":
                if state["over"]:  # the app turned the aborted read into an error: say what happened
                    state["replaced"] = True
                    await _send_json(send, *self._too_large(state["read"], streamed=True))
                    return
                message = dict(message, headers=_with_security_headers(message.get("headers", [])))
                state["start"] = message
                state["keep"] = state["keep"] and message["status"] == 200
            elif message["type"] == "http.response.body":
                if state["keep"]:
                    state["parts"].append(message.get("body", b""))
                    if not message.get("more_body"):
                        self.cache.put(key, state["start"], b"".join(state["parts"]))
                if head:
                    if message.get("more_body"):
                        return
                    message = {"type": "http.response.body", "body": b""}
            await send(message)

        try:
            await self.app(scope, counted_receive, send_wrapper)
        except BodyTooLarge:
            if state["start"] is None and not state["replaced"]:
                await _send_json(send, *self._too_large(state["read"], streamed=True))

    # -- checks ----------------------------------------------------------------------------
    def _refusal(self, scope: dict, headers: dict[bytes, bytes]) -> tuple[int, str] | None:
        """(status, message) when the request is refused before the app sees it."""
        host = headers.get(b"host", b"").decode("latin-1")
        if self.allowed_hosts is not None and host and host_name(host) not in self.allowed_hosts:
            return 400, (f"host {host_name(host)!r} is not served here; allowed: {', '.join(sorted(self.allowed_hosts))} "
                         "(add one with ORDERWATCH_ALLOWED_HOSTS or `orderwatch serve --allow-host`)")
        if scope.get("method") in UNSAFE_METHODS:
            problem = cross_site(headers, host)
            if problem:
                return 403, f"cross-site {scope['method']} refused: {problem}"
        length = headers.get(b"content-length", b"").decode("latin-1")
        if length.isdigit() and int(length) > self.max_body:
            return self._too_large(int(length), streamed=False)
        return None

    def _too_large(self, size: int, streamed: bool) -> tuple[int, str]:
        said = f"more than {self.max_body:,}" if streamed else f"{size:,}"
        return 413, (f"request body is {said} bytes; the limit is {self.max_body:,} bytes "
                     f"({self.max_body // 1000} KB){self.message}")

    def _notice_store_change(self) -> None:
        if self.fingerprint is None:
            return
        now = self.fingerprint()
        if now == self._seen:
            return
        self.cache.clear()
        if self.on_store_change is not None:
            try:
                self.on_store_change()
            except Exception as exc:  # noqa: BLE001 - a half-written store: keep serving, retry next request
                log.warning("store changed but could not be reopened: %s", exc)
                return
        self._seen = now


def cross_site(headers: dict[bytes, bytes], host: str) -> str | None:
    """Why a state-changing request comes from another site, or None if it does not (or is no browser's)."""
    site = headers.get(b"sec-fetch-site", b"").decode("latin-1").lower()
    if site in ("cross-site", "same-site"):
        return f"Sec-Fetch-Site is {site}"
    origin = headers.get(b"origin", b"").decode("latin-1")
    if origin:
        if origin == "null" or urlsplit(origin).netloc.lower() != host.lower():
            return f"Origin {origin!r} is not this server ({host!r})"
        return None
    referer = headers.get(b"referer", b"").decode("latin-1")
    if referer and urlsplit(referer).netloc.lower() != host.lower():
        return f"Referer {urlsplit(referer).netloc!r} is not this server ({host!r})"
    return None


def _with_security_headers(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    out = list(headers)
    present = {k.lower() for k, _ in out}
    out += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
    return out


async def _send_json(send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": _with_security_headers([(b"content-type", b"application/json"),
                                                   (b"content-length", str(len(body)).encode())])})
    await send({"type": "http.response.body", "body": body})
