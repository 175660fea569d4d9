"""The claim ledger: a YAML format for empirical claims, loaded and validated.

A ledger is a YAML document::

    source: {id: seed, title: ..., author: ..., date: 2025-01-04}
    claims:
      - id: phl-turn-2022
        claim: "After May 2022 the Philippines turned sharply to the United States."
        where: {section: "III", paragraph: 69, quote: "he sharply turned to the United States"}
        countries: [PHL]              # or group: southeast | asian | central ...
        period: [2022, 2024]          # inclusive years
        measure: change               # see MEASURES
        before: [2016, 2021]          # for measure: change
        axis: overall                 # A1 | A2 | A3 | overall
        stream: combined              # combined | words | votes | institutions | practice
        expect: above                 # above | below | within | approx | active
        threshold: 0.1
        quantifier: all               # all | most | any | none | at_least | at_most
        share: 0.25                   # for at_least / at_most

Each measure is documented in :mod:`orderwatch.claims.measures`. A claim may instead
hold ``parts:`` (a list of sub-tests sharing the claim's text; the verdict combines
them) or ``measure: not_testable`` with a ``reason``. Errors name the file, the line
and the field.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from orderwatch import safeyaml
from orderwatch.errors import InputError
from orderwatch.schema import AXES, STREAMS

MEASURES = ("position", "change", "rank", "milex", "alliance_partners", "trade", "dispute",
            "csf_count", "arrangement", "not_testable")
EXPECTS = ("above", "below", "within", "approx", "active", "china_above_us", "top")
QUANTIFIERS = ("all", "most", "any", "none", "at_least", "at_most")
#: What a claim may be tested on: the combined synthesis or one stream.
CLAIM_STREAMS = ("combined", *STREAMS)
#: What a spending figure measures: SIPRI's total military expenditure (the bundled
#: source) or a government's official defence budget (not bundled: not testable
#: like-for-like).
CONCEPTS = ("sipri_total", "official_budget")
#: A ledger is a few hundred claims at most (the seed's is 15 KB).
MAX_LEDGER_CHARS = 1_000_000


def load_ledger(path: str | Path) -> dict[str, Any]:
    """Read and validate a ledger file.

    Raises
    ------
    InputError
        The file is missing, not YAML, or a claim is malformed (names file, line, field).
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_LEDGER_CHARS * 4:  # 4 bytes per character at most in UTF-8
            raise InputError(str(path), f"ledger is {size:,} bytes; the limit is {MAX_LEDGER_CHARS:,} characters")
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(str(path), f"cannot read ledger ({exc.strerror or exc})") from None
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 (byte offset {exc.start})") from None
    return parse_ledger(text, str(path))


def parse_ledger(text: str, name: str = "<ledger>") -> dict[str, Any]:
    """Parse and validate ledger text (see the module docstring for the format)."""
    # bounded: size, depth, aliases and expanded size are limited (the web app parses
    # uploaded ledgers with this too), dates parsed strictly; errors name the line
    doc = safeyaml.load(text, name, loader=safeyaml.LineLoader, max_bytes=MAX_LEDGER_CHARS)
    if not isinstance(doc, dict) or not isinstance(doc.get("claims"), list):
        raise InputError(name, "a ledger is a mapping with a 'claims' list", field="claims")
    seen: set[str] = set()
    for claim in doc["claims"]:
        validate_claim(claim, name, seen)
    return doc


def _at(claim: dict, field: str) -> int | None:
    """The line of ``field`` in the claim, else of the claim itself."""
    return (claim.get("__lines__") or {}).get(field, claim.get("__line__"))


def _need(claim: dict, key: str, name: str, line: int | None):
    if key not in claim or claim[key] in (None, ""):
        raise InputError(name, f"claim {claim.get('id', '?')!r} lacks {key!r}", line=line, field=key)
    return claim[key]


def _period(value, name, line, key) -> None:
    ok = (isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value)
          and value[0] <= value[1])
    if not ok:
        raise InputError(name, f"{key} must be [first_year, last_year], got {value!r}", line=line, field=key)


def validate_claim(claim: Any, name: str, seen: set[str], parent: dict | None = None) -> None:
    """Check one claim (or one part of a claim); raise InputError naming the problem."""
    if not isinstance(claim, dict):
        raise InputError(name, f"each claim must be a mapping, got {type(claim).__name__}")
    line = claim.get("__line__")
    if parent is None:
        cid = _need(claim, "id", name, line)
        if cid in seen:
            raise InputError(name, f"duplicate claim id {cid!r}", line=_at(claim, "id"), field="id")
        seen.add(cid)
        _need(claim, "claim", name, line)
        if "parts" in claim:
            if not isinstance(claim["parts"], list) or not claim["parts"]:
                raise InputError(name, "parts must be a non-empty list", line=line, field="parts")
            for part in claim["parts"]:
                if not isinstance(part, dict):
                    raise InputError(name, "each part must be a mapping", line=line, field="parts")
                # A part inherits the claim's fields and overrides them.
                merged = {**{k: v for k, v in claim.items() if k != "parts"}, **part}
                validate_claim(merged, name, seen, parent=claim)
            return
    measure = _need(claim, "measure", name, line)
    if measure not in MEASURES:
        raise InputError(name, f"unknown measure {measure!r}; use one of {', '.join(MEASURES)}",
                         line=_at(claim, "measure"), field="measure")
    if measure == "csf_count":
        for key in ("date", "neighbours", "regional"):
            _need(claim, key, name, line)
        return
    if measure == "arrangement":
        for key in ("arrangement", "date", "countries"):
            _need(claim, key, name, line)
        return
    if measure == "not_testable":
        _need(claim, "reason", name, line)
        return
    expect = _need(claim, "expect", name, line)
    if expect not in EXPECTS:
        raise InputError(name, f"unknown expect {expect!r}; use one of {', '.join(EXPECTS)}",
                         line=_at(claim, "expect"), field="expect")
    if claim.get("quantifier", "all") not in QUANTIFIERS:
        raise InputError(name, f"unknown quantifier {claim['quantifier']!r}; use one of "
                         f"{', '.join(QUANTIFIERS)}", line=_at(claim, "quantifier"), field="quantifier")
    if claim.get("quantifier") in ("at_least", "at_most") and not isinstance(claim.get("share"), (int, float)):
        raise InputError(name, "quantifier at_least/at_most needs a numeric 'share'", line=line, field="share")
    if claim.get("stream", "combined") not in CLAIM_STREAMS:
        raise InputError(name, f"unknown stream {claim['stream']!r}", line=_at(claim, "stream"), field="stream")
    if claim.get("axis", "overall") not in AXES:
        raise InputError(name, f"unknown axis {claim['axis']!r}", line=_at(claim, "axis"), field="axis")
    if measure in ("position", "change", "rank", "trade", "dispute"):
        if not claim.get("countries") and not claim.get("group"):
            raise InputError(name, "give 'countries' or 'group'", line=line, field="countries")
        _period(_need(claim, "period", name, line), name, _at(claim, "period"), "period")
    if measure == "change":
        _period(_need(claim, "before", name, line), name, _at(claim, "before"), "before")
    if measure in ("milex", "alliance_partners"):
        _need(claim, "year", name, line)
        _need(claim, "country", name, line)
    if measure == "milex" and claim.get("concept", "sipri_total") not in CONCEPTS:
        raise InputError(name, f"unknown concept {claim['concept']!r}; use one of {', '.join(CONCEPTS)}",
                         line=_at(claim, "concept"), field="concept")
    if expect == "approx":
        _need(claim, "value", name, line)
        _need(claim, "tolerance", name, line)


def clean(obj: Any) -> Any:
    """Drop the loader's ``__line__``/``__lines__`` keys (for echoing a claim back)."""
    if isinstance(obj, dict):
        return {k: clean(v) for k, v in obj.items() if k not in ("__line__", "__lines__")}
    if isinstance(obj, list):
        return [clean(v) for v in obj]
    return obj
