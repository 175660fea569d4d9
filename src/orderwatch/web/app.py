"""The dashboard application: ``create_app(store)`` returns a FastAPI app.

Pages are rendered on the server (Jinja2) and every script, style sheet and the map are
served from the package, so the dashboard works with no internet. The store is opened
read-only; there is no endpoint that writes anything. POST is used only for computations
on a posted text or ledger (the scorer, the claim checker), whose bodies are size-limited.

Example
-------
>>> from orderwatch.web import create_app
>>> app = create_app(None)          # no store: every page says 'not yet computed'
>>> app.title
'orderwatch'
"""

from __future__ import annotations

import os
from typing import Any, Iterable

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.gzip import GZipMiddleware

from orderwatch import __version__
from orderwatch.observatory import NotComputed, Observatory, UnknownCountry
from orderwatch.present import templating
from orderwatch.present.templating import STATIC, signed  # noqa: F401  (signed: kept for importers)
from orderwatch.web import services
from orderwatch.web.guard import LOOPBACK_HOSTS, Guard
from orderwatch.web.pagecache import BoundedMemo, ResponseCache, fingerprint
from orderwatch.web.services import MAX_BODY_BYTES, MAX_LEDGER_BYTES, MAX_TEXT_BYTES, TooLarge


def _templates() -> Jinja2Templates:
    """The shared environment (:mod:`orderwatch.present.templating`) plus the upload limits."""
    t = Jinja2Templates(env=templating.environment())
    t.env.globals.update(MAX_TEXT_BYTES=MAX_TEXT_BYTES, MAX_LEDGER_BYTES=MAX_LEDGER_BYTES)
    return t


#: The API documentation pages: vendored Swagger UI / ReDoc (no CDN), a language, a main
#: landmark and a heading; their style and start-up script are static files (no inline code).
DOCS_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>orderwatch API</title><link rel="icon" href="data:,">{css}<link rel="stylesheet" href="/static/docs.css"></head>
<body><main><h1 class="docs-head"><a href="/">orderwatch</a> API · <a href="/docs">Swagger UI</a> · <a href="/redoc">ReDoc</a> · <a href="/openapi.json">OpenAPI schema</a></h1>
{body}</main>{script}</body></html>"""


# The vendored UIs would fetch a few assets of their own from the internet (ReDoc's logo);
# the policy keeps every request on this server, so the pages work and stay private offline.
# Scripts are this server's only; ReDoc writes its styles into <style> elements at run time
# and starts a worker from a blob, so these two pages allow inline styles and blob workers.
DOCS_CSP = {"Content-Security-Policy": "default-src 'self'; img-src 'self' data: blob:; "
                                       "script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                       "worker-src 'self' blob:; connect-src 'self'; font-src 'self' data:; "
                                       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"}


class ServedData(Observatory):
    """:class:`Observatory` with a bounded memo: request-keyed results are kept for the most recent ones only.

    128 entries: a country page's profile (one per country and year) holds ~0.3 MB, so the
    memo stays under ~40 MB however many distinct pages are asked for.
    """

    def __init__(self, store: Any, memo_entries: int = 128):
        super().__init__(store)
        self._memo = BoundedMemo(memo_entries)


def create_app(store: Any = None, *, data: Observatory | None = None, scorer: Any = None,
               allowed_hosts: Iterable[str] | None = ()) -> FastAPI:
    """Build the app over an open read-only store (or ``None`` for an empty dashboard).

    ``scorer(text) -> dict`` replaces the document scorer (default
    :func:`orderwatch.web.services.score`, i.e. ``orderwatch.text.score_text``).
    ``allowed_hosts`` are served besides the loopback names and ``$ORDERWATCH_ALLOWED_HOSTS``
    (see :func:`served_hosts`); ``None`` turns the Host check off.
    """
    app = FastAPI(
        title="orderwatch",
        version=__version__,
        description=(
            "Where Asian states stand between China's Global Security Initiative (−1) and the US "
            "rules-based international order (+1), by year, axis (A1 security logic, A2 who orders "
            "the region, A3 blocs or community) and stream (words, votes, institutions). "
            "No evidence is null, never 0. Read-only: no endpoint writes anything."
        ),
        docs_url=None, redoc_url=None,  # served below from vendored assets (no CDN: works offline)
    )
    app.state.data = data or ServedData(store)
    app.state.scorer = scorer or services.score
    app.state.templates = _templates()
    app.state.page_cache = ResponseCache()
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")

    # gzip inside the Guard, so the cache keeps compressed bodies (keyed by Accept-Encoding)
    # and a cached page costs no compression; the map data shrinks from ~757 KB to ~100 KB.
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    # Refuse foreign hosts, cross-site posts and oversized bodies before anything parses them;
    # cache successful GETs until the store file changes; security headers on every response.
    app.add_middleware(Guard, max_body=MAX_BODY_BYTES, cache=app.state.page_cache,
                       message=f"; documents up to {MAX_TEXT_BYTES // 1000} KB",
                       allowed_hosts=None if allowed_hosts is None else served_hosts(allowed_hosts),
                       fingerprint=_store_fingerprint(app), on_store_change=lambda: _reopen(app))

    @app.exception_handler(NotComputed)
    async def not_computed(request: Request, exc: NotComputed):
        return _error(request, 404, str(exc))

    @app.exception_handler(UnknownCountry)
    async def unknown_country(request: Request, exc: UnknownCountry):
        return _error(request, 404, str(exc))

    @app.exception_handler(TooLarge)
    async def too_large(request: Request, exc: TooLarge):
        return _error(request, 413, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        # Keep the exception's headers (e.g. Allow on 405, as RFC 9110 requires).
        return _error(request, exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(DOCS_PAGE.format(body='<div id="swagger-ui"></div>', script=(
            '<script src="/static/vendor/swagger-ui/swagger-ui-bundle.js"></script>'
            '<script src="/static/swagger-init.js"></script>'),
            css='<link rel="stylesheet" href="/static/vendor/swagger-ui/swagger-ui.css">'), headers=DOCS_CSP)

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return HTMLResponse(DOCS_PAGE.format(body='<redoc spec-url="/openapi.json"></redoc>', css="",
                                             script='<script src="/static/vendor/redoc/redoc.standalone.js"></script>'),
                            headers=DOCS_CSP)

    from orderwatch.web import analyst, api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(analyst.router)
    return app


def served_hosts(extra: Iterable[str] = ()) -> list[str]:
    """Host names the app answers: loopback, ``extra``, ``$ORDERWATCH_ALLOWED_HOSTS`` (comma-separated).

    ``testserver`` is the name Starlette's in-process test client sends; it has no dot, so no
    public DNS name can point a browser at it.
    """
    env = [h.strip() for h in os.environ.get("ORDERWATCH_ALLOWED_HOSTS", "").split(",") if h.strip()]
    return [*LOOPBACK_HOSTS, "testserver", *extra, *env]


def _store_fingerprint(app: FastAPI):
    """What says the store file changed: ``Store.fingerprint()``, or the file's own for other stores with a path."""
    store = app.state.data.store
    if callable(getattr(store, "fingerprint", None)):
        return lambda: app.state.data.store.fingerprint()
    path = getattr(store, "path", None)
    return (lambda: fingerprint(path)) if path else None


def _reopen(app: FastAPI) -> None:
    """After a rebuild swapped a new store file in: open it and drop everything read from the old one."""
    old = app.state.data.store
    # DuckDB hands out the database already open at a path while any connection to it lives,
    # so the old connection is closed first (pages read tables from memory, not from it).
    old.close()
    app.state.data = ServedData(type(old)(old.path))


def _error(request: Request, status: int, message: str, headers: dict | None = None):
    """One error shape: JSON ``{"detail": ...}`` for the API, a small page for browsers."""
    if request.url.path.startswith(("/api/", "/download/")) or "text/html" not in request.headers.get("accept", ""):
        return JSONResponse(status_code=status, content={"detail": message}, headers=headers)
    t = request.app.state.templates
    return t.TemplateResponse(request, "error.html", {"status": status, "message": message},
                              status_code=status, headers=headers)


def app_from_env() -> FastAPI:
    """App over the store at $ORDERWATCH_DB (or the default path), for ``uvicorn --factory``.

    Example: ORDERWATCH_DB=store.duckdb uvicorn --factory orderwatch.web.app:app_from_env
    """
    from orderwatch.store import Store

    return create_app(Store(None))
