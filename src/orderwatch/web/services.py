"""Adapters from the web layer to the library: the document scorer, claims, methods.

The web app holds no analysis logic. These functions call the streams' public functions
(``orderwatch.text.score_text``, ``orderwatch.claims``), turn their ``Result`` into plain
dicts, and prepare what the methods page shows. Each library piece is imported by name
where it is first used (the scorer loads the words stream on the first scoring), never
looked up by a string.

Uploads are read into memory up to a limit and never written anywhere by this code; the
only files that can exist are Starlette's spooled temporary files, which live in the
system temp dir and are deleted when the request ends.
"""

from __future__ import annotations

import time
from typing import Any

from orderwatch.evidence import json_safe
from orderwatch.observatory import NotComputed
from orderwatch.present.passages import group_passages, highlight, passage_html, spans_of  # noqa: F401 (pages, API)
from orderwatch.present.templating import provenance  # noqa: F401  (pages, API)
from orderwatch.web import limits

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


def _as_dict(result: Any) -> dict[str, Any]:
    if hasattr(result, "to_dict"):
        return result.to_dict()
    return json_safe(dict(result))


# -- document scorer ------------------------------------------------------------
def score(text: str) -> dict[str, Any]:
    """Score a document with ``orderwatch.text.score_text``; the Result as a dict."""
    from orderwatch.text import score_text  # the words stream: loaded on the first scoring

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


# -- claims ---------------------------------------------------------------------
def _reader(data: Any):
    def read(name: str):
        return data.table(name)  # NotComputed is a LookupError: the claims code treats it as absent
    return read


def claims(data: Any) -> dict[str, Any]:
    """The seed's claim ledger with verdicts, from ``orderwatch.claims``."""
    from orderwatch.claims.evaluate import evaluate_ledger as evaluate, seed_ledger

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
    from orderwatch.claims.data import ClaimData as claim_data
    from orderwatch.claims.evaluate import evaluate_claim
    from orderwatch.claims.ledger import parse_ledger as parse

    start = time.thread_time()
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
def codebook() -> list[dict[str, Any]]:
    """The text stream's codebook frames (axis, pole, terms), if the text stream has one."""
    from orderwatch.text import load_codebook

    book = load_codebook()
    frames = getattr(book, "frames", book)
    if hasattr(frames, "to_dict"):
        return json_safe(frames.to_dict(orient="records"))
    out = []
    for f in frames if isinstance(frames, list) else (frames.values() if isinstance(frames, dict) else []):
        out.append(json_safe(f if isinstance(f, dict) else getattr(f, "__dict__", {"frame": str(f)})))
    return out


def settings() -> dict[str, Any]:
    """Model settings the synthesis publishes (weights, levels), if it exposes them."""
    from orderwatch import synthesis, text
    from orderwatch.synthesis import positions

    return json_safe({"orderwatch.synthesis.DEFAULT_WEIGHTS": synthesis.DEFAULT_WEIGHTS,
                      "orderwatch.synthesis.AXES": synthesis.AXES,
                      "orderwatch.synthesis.positions.DEFAULT_YEARS": positions.DEFAULT_YEARS,
                      "orderwatch.text.METHODS": text.METHODS})
