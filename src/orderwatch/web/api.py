"""The JSON API: everything the pages show, under /api/, described at /openapi.json.

Positions are on [−1, 1] with −1 China's GSI pole and +1 the US rules-based-order pole;
null means no evidence. Every list is filtered in memory by validated parameters (enums,
ISO3 patterns, integer years): no SQL is built from a request.
"""

from __future__ import annotations

import io
from typing import Annotated, Any, Literal, Optional

from fastapi import APIRouter, File, Path, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from orderwatch.evidence import json_safe
from orderwatch.observatory import AXIS_LABELS as AXES
from orderwatch.observatory import GROUPS, NotComputed, Observatory, resolve
from orderwatch.observatory import SOURCES as STREAMS
from orderwatch.web import limits, services

router = APIRouter(prefix="")

Axis = Literal["overall", "A1", "A2", "A3"]
Stream = Literal["combined", "words", "votes", "institutions", "practice"]
# "" is "All Asia" (what the form sends for no filter), treated as no filter.
Group = Literal["", "northeast", "southeast", "south", "central", "west"]
ISO3 = Annotated[str, Path(pattern=r"^[A-Za-z]{3}$", description="ISO 3166-1 alpha-3 code, e.g. PHL")]
Year = Annotated[Optional[int], Query(ge=1900, le=2100, description="Calendar year; default the latest well-covered year")]

E404 = {404: {"description": "Unknown country, or a table not yet computed", "content": {"application/json": {}}}}
E400 = {400: {"description": "A body that cannot be parsed, or text that is not UTF-8", "content": {"application/json": {}}}}
E413 = {413: {"description": "Text or upload over its size limit (the message states the limit)",
              "content": {"application/json": {}}}}


def data(request: Request) -> Observatory:
    return request.app.state.data


def resolve_year(d: Observatory, stream: str, axis: str, year: Optional[int]) -> int:
    if year is not None:
        return year
    y = d.default_year(stream, axis)
    if y is None:
        raise NotComputed(STREAMS[stream])
    return y


@router.get("/api/meta", tags=["meta"], summary="Axes, streams, years and which tables are computed")
def meta(request: Request) -> dict[str, Any]:
    d = data(request)
    streams = {s: {"table": t, "present": d.has(t), "years": d.years(s) if d.has(t) else []} for s, t in STREAMS.items()}
    return json_safe({
        "axes": AXES, "groups": GROUPS, "streams": streams, "tables": d.available(),
        "scale": {"-1": "China's Global Security Initiative", "+1": "US rules-based international order",
                  "null": "no evidence"},
        "limits": {"text_bytes": services.MAX_TEXT_BYTES, "ledger_bytes": services.MAX_LEDGER_BYTES,
                   "body_bytes": services.MAX_BODY_BYTES, "compare_countries": limits.MAX_COMPARE,
                   "scorer_sentences": limits.MAX_SCORER_SENTENCES, "ledger_claims": limits.MAX_LEDGER_CLAIMS,
                   "ledger_aliases": limits.MAX_LEDGER_ALIASES, "ledger_depth": limits.MAX_LEDGER_DEPTH},
    })


@router.get("/api/map", tags=["positions"], responses=E404,
            summary="Positions of every Asian state for one year, axis and stream (the map's data)")
def map_data(request: Request, year: Year = None, axis: Axis = "overall", stream: Stream = "combined",
             group: Optional[Group] = None) -> dict[str, Any]:
    d = data(request)
    group = group or None
    y = resolve_year(d, stream, axis, year)
    rows = d.map_values(y, axis, stream, group)
    return {"year": y, "axis": axis, "stream": stream, "group": group, "rows": rows,
            "n_with_position": sum(r.get("position") is not None for r in rows)}


@router.get("/api/rankings", tags=["positions"], responses=E404,
            summary="Asian states ranked from the US pole (+1) to the GSI pole (−1)")
def rankings(request: Request, year: Year = None, axis: Axis = "overall", stream: Stream = "combined",
             group: Optional[Group] = None) -> dict[str, Any]:
    d = data(request)
    group = group or None
    y = resolve_year(d, stream, axis, year)
    return {"year": y, "axis": axis, "stream": stream, "group": group, "rows": d.rankings(y, axis, stream, group)}


@router.get("/api/country/{iso3}", tags=["countries"], responses=E404,
            summary="A state's positions over time per stream, its say–do gap and latest figures")
def country(request: Request, iso3: ISO3) -> dict[str, Any]:
    d = data(request)
    prof = d.memo(("profile", d.country(iso3)["iso3"], None), lambda: d.profile(iso3))
    # The country profile (orderwatch.observatory.profile), as on the page and in the CLI.
    return json_safe({"country": prof["country"], "year": prof["year"], "headline": prof["headline"],
                      "series": prof["series"], "latest": {s: v["overall"] for s, v in prof["latest_by_source"].items()},
                      "say_do_gap": prof["gap"]})


@router.get("/api/country/{iso3}/evidence", tags=["countries"], responses=E404,
            summary="Evidence behind a state's figures: passages, split roll calls, arrangements")
def evidence(request: Request, iso3: ISO3, year: Year = None) -> dict[str, Any]:
    d = data(request)
    code = d.country(iso3)["iso3"]
    prof = d.memo(("profile", code, year), lambda: d.profile(code, year=year))
    ev = prof["evidence"]  # each stream's own evidence for the profile's year
    return json_safe({"iso3": code, "year": ev["year"], "passages": ev["passages"], "roll_calls": ev["roll_calls"],
                      "ties": ev["ties"], "arrangements": ev["arrangements"]})


@router.get("/api/compare", tags=["countries"], responses=E404, summary="Two or more states side by side")
def compare(request: Request,
            c: Annotated[list[str], Query(description=f"ISO3 codes, repeated (c=JPN&c=PHL) or comma-separated; at most "
                                                      f"{limits.MAX_COMPARE} distinct", max_length=limits.MAX_COMPARE)] = [],  # noqa: B006
            axis: Axis = "overall", stream: Stream = "combined") -> dict[str, Any]:
    d = data(request)
    try:
        # an unknown entry is a 404 as soon as it is met; more than the cap a 422
        codes = limits.country_codes(c, resolve=resolve)
    except limits.TooMany as exc:
        raise RequestValidationError([{"type": "too_long", "loc": ("query", "c"), "msg": str(exc), "input": c}]) from None
    return {"axis": axis, "stream": stream, "series": d.compare(codes, axis, stream)}


class ScoreRequest(BaseModel):
    text: str = Field(description=f"The document (UTF-8); at most {services.MAX_TEXT_BYTES:,} bytes")


@router.post("/api/score", tags=["scorer"], responses={**E400, **E404, **E413},
             summary="Score a document: positions per axis, matched frames and relevance")
def score(request: Request, body: ScoreRequest) -> dict[str, Any]:
    services.check_size(body.text, services.MAX_TEXT_BYTES, "the text")
    return json_safe(services.score_bounded(request.app.state.scorer, body.text))


@router.post("/api/score/upload", tags=["scorer"], responses={**E400, **E404, **E413},
             summary="Score an uploaded UTF-8 text file")
async def score_upload(request: Request, file: UploadFile = File(...)) -> dict[str, Any]:
    raw = await file.read(services.MAX_TEXT_BYTES + 1)
    services.check_size(raw, services.MAX_TEXT_BYTES, f"the file {file.filename!r}")
    try:
        text = services.decode_text(raw, file.filename or "upload")
    except ValueError as exc:
        return JSONResponse(status_code=400, content={"detail": str(exc)})
    return json_safe(await run_in_threadpool(services.score_bounded, request.app.state.scorer, text))


@router.get("/api/claims", tags=["claims"], responses=E404, summary="The seed's claim ledger with verdicts and evidence")
def claims(request: Request) -> dict[str, Any]:
    return request.app.state.data.memo(("claims",), lambda: services.claims(request.app.state.data))


@router.post("/api/claims/check", tags=["claims"], responses={**E400, **E404, **E413},
             summary="Check an uploaded claim ledger (YAML or CSV) against the data")
async def claims_check(request: Request, file: UploadFile = File(...)) -> dict[str, Any]:
    raw = await file.read(services.MAX_LEDGER_BYTES + 1)
    services.check_size(raw, services.MAX_LEDGER_BYTES, f"the ledger {file.filename!r}")
    try:
        return await run_in_threadpool(services.check_ledger, request.app.state.data, raw, file.filename or "ledger")
    except NotComputed:
        raise
    except Exception as exc:  # a malformed ledger is the user's error: say what was wrong
        return JSONResponse(status_code=400, content={"detail": str(exc).splitlines()[0] if str(exc) else type(exc).__name__})


@router.get("/api/methods", tags=["meta"], summary="Codebook, model settings and data provenance")
def methods(request: Request) -> dict[str, Any]:
    return json_safe({"codebook": services.codebook(), "settings": services.settings(),
                      "provenance": services.provenance(), "tables": data(request).available()})


@router.get("/api/tables", tags=["downloads"], summary="Tables that can be downloaded (CSV or Parquet)")
def tables(request: Request) -> dict[str, Any]:
    names = data(request).downloadable()
    if "positions" in names:
        names = names[:names.index("positions") + 1] + ["positions_wide", "positions_dictionary"] + \
            names[names.index("positions") + 1:]
    return {"tables": [{"name": n, "csv": f"/download/{n}.csv", "parquet": f"/download/{n}.parquet"} for n in names]}


DOWNLOAD_200 = {200: {"description": "The table as CSV (figures rounded to 3 decimals) or Parquet",
                      "content": {"text/csv": {}, "application/vnd.apache.parquet": {}}}}


@router.get("/download/{name}.{fmt}", tags=["downloads"], responses={**DOWNLOAD_200, **E404},
            summary="Download a table shown on the pages, as CSV or Parquet")
def download(request: Request, name: str, fmt: Literal["csv", "parquet"]) -> Response:
    from orderwatch.web.exports import EXPORTS, rounded

    d = data(request)
    if name in EXPORTS and (name == "positions_dictionary" or d.has("positions")):
        df = EXPORTS[name](d)  # with names; positions also wide; and the data dictionary
    else:
        df = d.export(name)  # NotComputed (404) unless the name is on the whitelist
    if fmt == "csv":
        body = d.memo(("csv", name), lambda: rounded(df).to_csv(index=False).encode("utf-8"))
        media = "text/csv; charset=utf-8"
    else:
        def to_parquet() -> bytes:
            buf = io.BytesIO()
            df.to_parquet(buf, index=False)
            return buf.getvalue()
        body = d.memo(("parquet", name), to_parquet)
        media = "application/vnd.apache.parquet"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


@router.get("/api/topology", tags=["meta"], summary="The bundled world map (TopoJSON, world-atlas 2.0.2 50m)")
def topology() -> Response:
    from orderwatch.present.mapsvg import topology_bytes

    return Response(topology_bytes(), media_type="application/json", headers={"Cache-Control": "public, max-age=86400"})
