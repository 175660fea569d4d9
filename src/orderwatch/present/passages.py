"""Passages of text with their matched frames highlighted, for the country view and the scorer.

Everything is escaped; a ``<mark>`` says the pole (``gsi``/``us``) and names the frame.

>>> highlight("We seek common security.", [{"start": 8, "end": 23, "sign": -1, "frame": "common"}])
'We seek <mark class="gsi" title="common">common security</mark>.'
"""

from __future__ import annotations

from html import escape
from typing import Any


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
