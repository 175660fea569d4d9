"""What one request may ask of the server: list caps, scorer and ledger bounds.

Each bound keeps a request under 100 KB to well under a second of CPU and 50 MB of memory
(tests/web/test_hostile.py measures it; figures in the README's web section). A request
over a bound is refused with a message naming the limit, except the scorer, which scores
the first :data:`MAX_SCORER_SENTENCES` sentences and says so in its warnings (a long
document is still useful; its bootstrap grows with the sentences that match).

>>> country_codes(["jpn,PHL", "JPN"])
['JPN', 'PHL']
>>> cap_sentences("One. Two. Three.", limit=2)
('One. Two. ', 'scored the first 2 of 3 sentences (the web scorer reads at most 2; use `orderwatch score` for longer texts)')
"""

from __future__ import annotations

from typing import Callable, Iterable

import yaml

#: Most distinct countries one comparison shows (page and API); duplicates count once.
#: A country costs the compare page 55-85 ms of CPU (20 stream-axis cells, each a pandas
#: filter), so 8 stay near 0.6 s.
MAX_COMPARE = 8
#: Most sentences the web scorer reads; its bootstrap holds 500 draws x matched sentences.
MAX_SCORER_SENTENCES = 2000
#: Most claims in an uploaded ledger (the seed's has 27), and parts in one claim (the seed's: 3).
MAX_LEDGER_CLAIMS = 200
MAX_CLAIM_PARTS = 12
#: CPU seconds spent reading and checking one uploaded ledger (a claim costs 15-25 ms, the
#: seed's 27 together 0.43 s): claims past it are listed as not checked, with the command
#: that checks them all.
LEDGER_CPU_BUDGET_S = 0.6
#: Most YAML aliases (``*name``) in an uploaded ledger: each can repeat a whole subtree.
MAX_LEDGER_ALIASES = 20
#: Deepest nesting of YAML collections in an uploaded ledger (a claim needs about 4).
MAX_LEDGER_DEPTH = 20


class TooMany(ValueError):
    """A request asks for more than a documented bound; the message names it."""


def country_codes(values: Iterable[str], limit: int = MAX_COMPARE,
                  resolve: Callable[[str], str] = str.upper) -> list[str]:
    """ISO3 codes from repeated and/or comma-separated values: stripped, resolved, deduplicated.

    Each distinct value is resolved as it first appears (``resolve`` raises for an unknown
    one, so a list of garbage fails on its first entry), and raises :class:`TooMany` over
    ``limit`` distinct states. The work stops there, so a list of thousands costs no more
    than a list of ``limit + 1``.
    """
    raw_seen: set[str] = set()
    seen: dict[str, None] = {}
    for value in values:
        for part in value.split(","):
            code = part.strip()
            if not code or code in raw_seen:
                continue
            raw_seen.add(code)
            iso3 = resolve(code)
            if iso3 not in seen:
                seen[iso3] = None
                if len(seen) > limit:
                    raise TooMany(f"compare at most {limit} countries at once (duplicates count once); "
                                  f"split the list into several comparisons")
    return list(seen)


def cap_sentences(text: str, limit: int = MAX_SCORER_SENTENCES) -> tuple[str, str | None]:
    """``text`` cut after its ``limit``-th sentence, and a note saying so (None if uncut).

    Uses the scorer's own sentence splitter, so the cut falls where the scorer counts.
    """
    from orderwatch.text.codebook import sentence_spans

    spans = sentence_spans(text)
    if len(spans) <= limit:
        return text, None
    note = (f"scored the first {limit:,} of {len(spans):,} sentences (the web scorer reads at most "
            f"{limit:,}; use `orderwatch score` for longer texts)")
    return text[: int(spans[limit - 1, 1])], note


def screen_ledger(text: str, name: str) -> None:
    """Refuse a ledger whose YAML shape could make parsing or checking it expensive.

    Scans tokens with libyaml (about 0.1 s for 300 KB) before anything is built: alias
    expansion ("billion laughs") and deep nesting are refused by count, and so is a ledger
    with more claims than the server checks per request. A syntax error is reported here with
    its line (libyaml finds it without recursion).
    """
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    aliases = depth = deepest = items = 0
    try:
        for token in yaml.scan(text, Loader=loader):
            kind = type(token)
            if kind is yaml.AliasToken:
                aliases += 1
                if aliases > MAX_LEDGER_ALIASES:
                    raise TooMany(f"{name}: more than {MAX_LEDGER_ALIASES} YAML aliases (*name, line "
                                  f"{token.start_mark.line + 1}); write the values out")
            elif kind in _OPEN:
                depth += 1
                deepest = max(deepest, depth)
                if depth > MAX_LEDGER_DEPTH:
                    raise TooMany(f"{name}: YAML nested deeper than {MAX_LEDGER_DEPTH} levels (line "
                                  f"{token.start_mark.line + 1})")
            elif kind in _CLOSE:
                depth -= 1
            elif kind is yaml.BlockEntryToken or kind is yaml.FlowEntryToken:
                items += 1
    except yaml.YAMLError as exc:  # said here: the Python parser could recurse too deep before it noticed
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        raise ValueError(f"{name}{where}: not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if items > MAX_LEDGER_CLAIMS * 40:  # a generous bound on list entries before counting claims
        raise TooMany(f"{name}: too many list entries ({items:,}); a ledger may hold at most "
                      f"{MAX_LEDGER_CLAIMS} claims per check")


def check_claim_count(ledger: dict, name: str) -> None:
    """Refuse more than :data:`MAX_LEDGER_CLAIMS` claims, or a claim with more than :data:`MAX_CLAIM_PARTS` parts."""
    claims = ledger.get("claims") or []
    if len(claims) > MAX_LEDGER_CLAIMS:
        raise TooMany(f"{name}: {len(claims):,} claims; the server checks at most {MAX_LEDGER_CLAIMS} per upload "
                      "(split the ledger, or run `orderwatch claims check` locally)")
    for claim in claims:
        parts = claim.get("parts") if isinstance(claim, dict) else None
        if isinstance(parts, list) and len(parts) > MAX_CLAIM_PARTS:
            raise TooMany(f"{name}, line {claim.get('__line__', '?')}: claim {claim.get('id')!r} has {len(parts)} "
                          f"parts; the server checks at most {MAX_CLAIM_PARTS} per claim")


_OPEN = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken, yaml.FlowMappingStartToken,
         yaml.FlowSequenceStartToken)
_CLOSE = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)
