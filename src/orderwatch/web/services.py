"""Adapters from the web layer to the library: the document scorer, claims, methods.

The web app holds no analysis logic. These functions call the streams' public functions
(``orderwatch.text.score_text``, ``orderwatch.claims``), turn their ``Result`` into plain
dicts, and prepare what a page shows (highlighted passages, the methods page's contents).
Where a library piece has not landed they raise :class:`~orderwatch.web.data.NotComputed`
so that the page says so instead of failing.

Uploads are read into memory up to a limit and never written anywhere by this code; the
only files that can exist are Starlette's spooled temporary files, which live in the
system temp dir and are deleted when the request ends.
"""

from __future__ import annotations

import importlib
import json
import time
from html import escape
from importlib import resources
from typing import Any

from orderwatch.evidence import json_safe
from orderwatch.web import limits
from orderwatch.web.data import NotComputed

#: Largest document the scorer accepts (bytes of UTF-8): a long speech is ~40 KB.
MAX_TEXT_BYTES = 200_000
#: Largest claim ledger accepted for checking.
MAX_LEDGER_BYTES = 500_000
#: Largest request body of any kind (multipart overhead included); larger ones get 413.
MAX_BODY_BYTES = 1_000_000


class TooLarge(ValueError):
    """An upload or pasted text over its limit; the message states both sizes."""

    def __init__(self, what: str, size: int, limit: int):
        self.size, self.limit = size, limit
        super().__init__(
            f"{what} is {size:,} bytes; the limit is {limit:,} bytes ({limit // 1000} KB). "
            "Shorten it or split it into parts."
        )


def check_size(data: bytes | str, limit: int, what: str) -> bytes:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > limit:
        raise TooLarge(what, len(raw), limit)
    return raw


def decode_text(raw: bytes, what: str = "upload") -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"{what} is not UTF-8 text (byte {exc.start})") from exc


def _optional(module: str, attr: str):
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and module.startswith(exc.name):
            raise NotComputed(f"{module}.{attr}") from exc
        raise
    fn = getattr(mod, attr, None)
    if fn is None:
        raise NotComputed(f"{module}.{attr}")
    return fn


def _as_dict(result: Any) -> dict[str, Any]:
    if hasattr(result, "to_dict"):
        return result.to_dict()
    return json_safe(dict(result))


# -- document scorer ------------------------------------------------------------
def score(text: str) -> dict[str, Any]:
    """Score a document with ``orderwatch.text.score_text``; the Result as a dict."""
    score_text = _optional("orderwatch.text", "score_text")
    return _as_dict(score_text(text))


def score_bounded(scorer: Any, text: str) -> dict[str, Any]:
    """``scorer(text)`` on at most ``limits.MAX_SCORER_SENTENCES`` sentences, with ``spans``.

    A longer text is cut at a sentence end and the result's warnings say how much was read.
    """
    head, note = limits.cap_sentences(text)
    result = scorer(head)
    if note:
        result["warnings"] = [*(result.get("warnings") or []), note]
    result["spans"] = spans_of(result)
    return result


def spans_of(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Character spans of matched frames in a scorer Result's evidence, in text order."""
    out = []
    for ev in result.get("evidence") or []:
        for item in ev.get("spans") or [ev]:
            start, end = item.get("start"), item.get("end")
            if isinstance(start, int) and isinstance(end, int) and end > start:
                out.append({**ev, **item})
    return sorted(out, key=lambda s: (s["start"], -s["end"]))


def highlight(text: str, spans: list[dict[str, Any]]) -> str:
    """HTML of ``text`` with each span wrapped in a <mark>, overlapping spans skipped.

    Everything is escaped; the class says the pole (gsi/us) and the title names the frame.
    """
    out, pos = [], 0
    for s in spans:
        start, end = max(0, s["start"]), min(len(text), s["end"])
        if start < pos or start >= end:
            continue
        sign = s.get("sign", s.get("pole", s.get("direction")))
        cls = "us" if (isinstance(sign, (int, float)) and sign > 0) or sign in ("us", "US", "+1") else (
            "gsi" if (isinstance(sign, (int, float)) and sign < 0) or sign in ("gsi", "GSI", "-1") else "frame")
        label = " ".join(str(s[k]) for k in ("axis", "frame", "term") if s.get(k)) + (" (rejected)" if s.get("rejected") else "")
        out.append(escape(text[pos:start]))
        out.append(f'<mark class="{cls}" title="{escape(label)}">{escape(text[start:end])}</mark>')
        pos = end
    out.append(escape(text[pos:]))
    return "".join(out)


def _find(passage: str, term: str) -> int:
    i = passage.find(term)
    return i if i >= 0 else passage.lower().find(term.lower())


def passage_html(ev: dict[str, Any]) -> str:
    """A stored evidence passage with its matched frames highlighted.

    ``ev`` has ``passage`` and ``matches`` (each with the matched ``text``, ``pole``,
    ``axis``, ``frame``), or is one evidence row. Stored offsets refer to the whole
    document, so each match is located by its text within the passage.
    """
    passage = str(ev.get("passage") or "")
    spans = []
    for m in ev.get("matches") or [ev]:
        term = str(m.get("text") or "")
        if not passage:
            passage = term
        i = _find(passage, term) if term else -1
        if i >= 0:
            spans.append({"start": i, "end": i + len(term), "pole": m.get("pole"),
                          "axis": m.get("axis"), "frame": m.get("frame")})
    return highlight(passage, sorted(spans, key=lambda s: (s["start"], -s["end"])))


def group_passages(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One item per passage, with every frame matched in it (evidence rows are per match)."""
    out: dict[tuple, dict[str, Any]] = {}
    for r in rows:
        key = (r.get("doc_ref"), r.get("passage") or r.get("text"))
        item = out.setdefault(key, {k: r.get(k) for k in ("doc_ref", "source", "iso3", "year", "date", "passage")}
                              | {"matches": []})
        if str(item.get("date")) in ("NaT", "None", "nan"):
            item["date"] = None
        item["matches"].append({k: r.get(k) for k in ("frame", "pole", "axis", "text", "rejected")})
    return list(out.values())


# -- claims ---------------------------------------------------------------------
def _reader(data: Any):
    def read(name: str):
        return data.table(name)  # NotComputed is a LookupError: the claims code treats it as absent
    return read


def claims(data: Any) -> dict[str, Any]:
    """The seed's claim ledger with verdicts, from ``orderwatch.claims``."""
    seed_ledger = _optional("orderwatch.claims.evaluate", "seed_ledger")
    evaluate = _optional("orderwatch.claims.evaluate", "evaluate_ledger")
    try:
        ledger = seed_ledger()
    except FileNotFoundError as exc:
        raise NotComputed("the seed ledger (orderwatch/claims/seed.yaml)") from exc
    return json_safe({"name": "seed.yaml", "claims": evaluate(ledger, _reader(data))})


def check_ledger(data: Any, raw: bytes, filename: str) -> dict[str, Any]:
    """Check an uploaded ledger with ``orderwatch.claims``, parsed from memory.

    Claims are checked in order until :data:`limits.LEDGER_CPU_BUDGET_S` of this thread's CPU
    (parsing included) is spent; the ids of the rest are returned under ``not_checked`` with
    a ``note``.
    """
    start = time.thread_time()
    parse = _optional("orderwatch.claims.ledger", "parse_ledger")
    evaluate_claim = _optional("orderwatch.claims.evaluate", "evaluate_claim")
    claim_data = _optional("orderwatch.claims.data", "ClaimData")
    text = decode_text(raw, filename)
    limits.screen_ledger(text, filename)  # aliases, depth and size before anything is built
    ledger = parse(text, filename)
    limits.check_claim_count(ledger, filename)
    source = claim_data(_reader(data))
    results = []
    claims = ledger["claims"]
    for claim in claims:
        if time.thread_time() - start > limits.LEDGER_CPU_BUDGET_S:
            break
        results.append(evaluate_claim(claim, source))
    out = {"name": filename, "claims": results}
    if len(results) < len(claims):
        out["not_checked"] = [str(c["id"]) for c in claims[len(results):]]
        out["note"] = (f"checked the first {len(results)} of {len(claims)} claims within the server's "
                       f"{limits.LEDGER_CPU_BUDGET_S:g} s budget per upload; run `orderwatch claims check "
                       f"{filename}` to check them all")
    return json_safe(out)


# -- methods --------------------------------------------------------------------
def provenance() -> list[dict[str, Any]]:
    """The bundled data's provenance records (source, version, licence, sha256)."""
    try:
        raw = resources.files("orderwatch.bundled").joinpath("provenance.json").read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError):
        return []
    data = json.loads(raw)
    if isinstance(data, dict):
        items = data.get("tables") or data.get("sources") or data
        if isinstance(items, dict):
            return [{"name": k, **(v if isinstance(v, dict) else {"value": v})} for k, v in items.items()]
        return list(items)
    return list(data)


def codebook() -> list[dict[str, Any]]:
    """The text stream's codebook frames (axis, pole, terms), if the text stream has one."""
    try:
        load = _optional("orderwatch.text", "load_codebook")
    except NotComputed:
        return []
    book = load()
    frames = getattr(book, "frames", book)
    if hasattr(frames, "to_dict"):
        return json_safe(frames.to_dict(orient="records"))
    out = []
    for f in frames if isinstance(frames, list) else (frames.values() if isinstance(frames, dict) else []):
        out.append(json_safe(f if isinstance(f, dict) else getattr(f, "__dict__", {"frame": str(f)})))
    return out


def settings() -> dict[str, Any]:
    """Model settings the synthesis publishes (weights, levels), if it exposes them."""
    out: dict[str, Any] = {}
    for module, attr in (("orderwatch.synthesis", "DEFAULT_WEIGHTS"), ("orderwatch.synthesis", "AXES"),
                         ("orderwatch.synthesis.positions", "DEFAULT_YEARS"), ("orderwatch.text", "METHODS")):
        try:
            out[f"{module}.{attr}"] = json_safe(_optional(module, attr))
        except (NotComputed, ImportError):
            continue
    return out
