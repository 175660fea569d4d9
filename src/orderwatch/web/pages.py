"""Server-rendered pages: map and rankings, country, compare, scorer, claims, methods.

GET pages are cached per URL for the life of the process by ``guard.Guard`` (the store
is read-only), which keeps a repeated page to a few milliseconds. Pages are not in the OpenAPI
schema; the JSON API under /api/ carries the same data.
"""

from __future__ import annotations

from typing import Annotated, Any, Callable, Optional

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from orderwatch.observatory import AXIS_LABELS as AXES
from orderwatch.observatory import NotComputed, resolve
from orderwatch.present import views
from orderwatch.web import limits, services
from orderwatch.web.api import Axis, Group, Stream

router = APIRouter(include_in_schema=False)


def _render(request: Request, template: str, ctx: dict[str, Any], status: int = 200) -> HTMLResponse:
    t = request.app.state.templates
    return t.TemplateResponse(request, template, {"data": request.app.state.data, **ctx}, status_code=status)


def cached(request: Request, build: Callable[[], HTMLResponse]) -> HTMLResponse:
    """Build a GET page; the Guard middleware keeps successful ones per URL."""
    return build()


@router.get("/", response_class=HTMLResponse)
def index(request: Request, year: Annotated[Optional[int], Query(ge=1900, le=2100)] = None,
          axis: Axis = "overall", stream: Stream = "combined", group: Optional[Group] = None):
    d = request.app.state.data
    group = group or None  # "All Asia" in the form sends group= (no filter)
    if stream == "combined" and "combined" not in d.streams_present() and d.streams_present():
        # Before the synthesis lands, open on the first stream that has positions.
        stream = d.streams_present()[0]
    return cached(request, lambda: _render(request, "index.html", views.overview(d, year, axis, stream, group)))


@router.get("/country/{iso3}", response_class=HTMLResponse)
def country(request: Request, iso3: str, year: Annotated[Optional[int], Query(ge=1900, le=2100)] = None):
    d = request.app.state.data
    if iso3 != iso3.upper():
        return RedirectResponse(f"/country/{iso3.upper()}", status_code=307)
    return cached(request, lambda: _render(request, "country.html", views.country(d, iso3, year)))


@router.get("/compare", response_class=HTMLResponse)
def compare(request: Request, c: Annotated[list[str], Query()] = [],  # noqa: B006
            axis: Axis = "overall", stream: Stream = "combined"):
    d = request.app.state.data
    if stream == "combined" and "combined" not in d.streams_present() and d.streams_present():
        stream = d.streams_present()[0]
    try:
        codes = limits.country_codes(c, resolve=resolve)
    except limits.TooMany as exc:
        raise HTTPException(422, str(exc)) from None
    if not codes:
        codes = ["JPN", "PHL"]
    return cached(request, lambda: _render(request, "compare.html", views.compare(d, codes, axis, stream)))


@router.get("/score", response_class=HTMLResponse)
def score_form(request: Request):
    return _render(request, "score.html", {"text": "", "result": None})


@router.post("/score", response_class=HTMLResponse)
async def score_post(request: Request, text: Annotated[str, Form()] = "",
                     file: Annotated[Optional[UploadFile], File()] = None):
    ctx: dict[str, Any] = {"text": "", "result": None}
    try:
        if file is not None and file.filename:
            raw = await file.read(services.MAX_TEXT_BYTES + 1)
            services.check_size(raw, services.MAX_TEXT_BYTES, f"the file {file.filename!r}")
            text = services.decode_text(raw, file.filename)
        services.check_size(text, services.MAX_TEXT_BYTES, "the text")
        ctx["text"] = text
        if not text.strip():
            ctx["error"] = "paste a text or choose a file to score"
            return _render(request, "score.html", ctx, status=400)
        result = await run_in_threadpool(services.score_bounded, request.app.state.scorer, text)
        ctx["result"] = result
        ctx["highlighted"] = services.highlight(text, result["spans"])
    except services.TooLarge as exc:
        ctx["error"] = str(exc)
        return _render(request, "score.html", ctx, status=413)
    except ValueError as exc:
        ctx["error"] = str(exc)
        return _render(request, "score.html", ctx, status=400)
    except NotComputed as exc:
        ctx["error"] = f"the scorer is not available yet ({exc})"
        return _render(request, "score.html", ctx, status=404)
    return _render(request, "score.html", ctx)


@router.get("/claims", response_class=HTMLResponse)
def claims(request: Request):
    d = request.app.state.data
    return cached(request, lambda: _render(request, "claims.html",
                                           {"ledger": views.guarded(lambda: d.memo(("claims",), lambda: services.claims(d)))}))


@router.post("/claims", response_class=HTMLResponse)
async def claims_check(request: Request, file: Annotated[UploadFile, File()]):
    d = request.app.state.data
    ctx: dict[str, Any] = {"ledger": views.guarded(lambda: d.memo(("claims",), lambda: services.claims(d)))}
    try:
        raw = await file.read(services.MAX_LEDGER_BYTES + 1)
        services.check_size(raw, services.MAX_LEDGER_BYTES, f"the ledger {file.filename!r}")
        ctx["checked"] = await run_in_threadpool(services.check_ledger, request.app.state.data, raw, file.filename or "ledger")
    except services.TooLarge as exc:
        ctx["error"] = str(exc)
        return _render(request, "claims.html", ctx, status=413)
    except NotComputed as exc:
        ctx["error"] = f"the claim checker is not available yet ({exc})"
        return _render(request, "claims.html", ctx, status=404)
    except Exception as exc:  # a malformed ledger: show the parser's one-line message
        ctx["error"] = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return _render(request, "claims.html", ctx, status=400)
    return _render(request, "claims.html", ctx)


@router.get("/methods", response_class=HTMLResponse)
def methods(request: Request):
    d = request.app.state.data
    lineage = d.table("table_provenance").to_dict("records") if d.has("table_provenance") else []
    reliability = d.table("synthesis_reliability").to_dict("records") if d.has("synthesis_reliability") else []
    return cached(request, lambda: _render(request, "methods.html", {
        "codebook": services.codebook(), "settings": services.settings(), "provenance": services.provenance(),
        "lineage": lineage, "tables": d.downloadable(), "available": d.available(), "axes": AXES,
        "reliability": reliability}))


@router.get("/validity", response_class=HTMLResponse)
def validity(request: Request):
    """The validity report (orderwatch.validation), as stored by the build."""
    d = request.app.state.data
    if not (d.has("validity") and d.has("validity_goals")):
        return _render(request, "validity.html", {"error": "validity (written by orderwatch build)"}, status=404)

    def build():
        from orderwatch.validation.report import report_from_tables

        reliability = d.table("synthesis_reliability").to_dict("records") if d.has("synthesis_reliability") else []
        publication = d.table("validity_publication") if d.has("validity_publication") else None
        return {"report": report_from_tables(d.table("validity"), d.table("validity_goals"), publication),
                "reliability": reliability}

    return cached(request, lambda: _render(request, "validity.html", d.memo(("validity",), build)))

