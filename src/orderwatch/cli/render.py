"""Text rendering of the read side's results: the overview and the country profile.

The dicts come from :mod:`orderwatch.observatory` (the same ones ``--json`` prints); these
functions only lay them out for a terminal.
"""

from __future__ import annotations

from typing import Any

from orderwatch.schema import STREAMS


def _fmt(x) -> str:
    return "    — " if x is None else f"{x:+6.2f}"


def overview_text(s: dict[str, Any]) -> str:
    """The overview (:func:`orderwatch.observatory.overview.summarise`) as text."""
    lines = [f"orderwatch {s['version']} — store {s['store']} (built {s['built_at']})",
             f"streams computed: {', '.join(s['streams']) or 'none (base data only)'}", "", "Sources:"]
    for r in s["sources"]:
        rows = f"{int(r['rows']):>10,d}" if r["rows"] == r["rows"] and r["rows"] is not None else f"{'file':>10s}"
        lines.append(f"  {r['name']:24s}{rows}  {r['title']}")
    c = s["coverage"]
    lines += ["", "Coverage:"]
    for r in c["roll_calls"]:
        lines.append(f"  roll calls ({r['source']}): {r['n']:,} from {r['first']} to {r['last']}")
    sp = c["speeches"]
    lines.append(f"  UN General Debate: {sp['n']:,} speeches by {sp['states']} delegations, {sp['first']}–{sp['last']}")
    for r in c["documents"]:
        lines.append(f"  documents {r['source']} ({r['language']}): {r['n']:,}, {r['first']}–{r['last']}")
    a = c["alliances"]
    lines.append(f"  ATOP alliance dyad-years: {a['n']:,}, {a['first']}–{a['last']}")
    lp = s.get("latest_positions")
    if lp:
        lines += ["", f"Latest positions ({lp['year']}, overall; −1 GSI pole … +1 US pole; "
                  "streams: " + ", ".join(f"{k[0]} {k}" for k in STREAMS) + "):"]
        for r in lp["rows"]:
            bar_at = int(round((r["position"] + 1) * 15))
            bar = "".join("|" if i == 15 else ("●" if i == bar_at else "·") for i in range(31))
            iv = f"[{r['lo']:+.2f}, {r['hi']:+.2f}]" if r["lo"] == r["lo"] and r["lo"] is not None else ""
            have = str(r.get("streams") or "")
            tag = "".join(k[0] if k in have else "·" for k in STREAMS)
            lines.append(f"  {r['iso3']} {r['name_en'][:22]:22s} {r['position']:+.2f} {iv:18s} {tag} {bar}")
    return "\n".join(lines)


def profile_text(prof: dict[str, Any]) -> str:
    """The country profile (:func:`orderwatch.observatory.country_profile`) as text."""
    lines = [f"{prof['iso3']} {prof['name'] or ''}"]
    h = prof["headline"]
    if h:
        ivs = "—" if h.get("lo") is None else f"[{h['lo']:+.2f}, {h['hi']:+.2f}]"
        note = " (provisional: thin evidence)" if h.get("provisional") else ""
        lines.append(f"overall in {h['year']}: {h['position']:+.2f}  95% interval {ivs}  "
                     f"streams: {h.get('streams') or '—'}{note}")
    lines.append(f"{'year':4s} {'overall':>7s} {'A1':>6s} {'A2':>6s} {'A3':>6s}  "
                 "streams (overall: words votes instit. practice)")
    for e in prof["positions"]:
        s = (e["overall"] or {}).get("streams") or {}
        lines.append(f"{e['year']:4d} " + " ".join(_fmt((e[a] or {}).get("position")) for a in ("overall", "A1", "A2", "A3"))
                     + f"  {_fmt(s.get('words'))} {_fmt(s.get('votes'))} {_fmt(s.get('institutions'))} "
                     f"{_fmt(s.get('practice'))}")
    for d in prof["territorial_disputes"]:
        lines.append(f"dispute with China: {d['kind']} since {d['since']} ({d['status']}): {d['basis']}")
    gaps = prof["say_do_gap"]
    if gaps:
        lines.append(f"significant say-do gaps: {len(gaps)} state-year-axes, e.g. "
                     + ", ".join(f"{g['year']} {g['axis']} {g['gap']:+.2f}" for g in gaps[:5]))
    ev = prof["evidence"]
    if ev["year"] is not None:
        rc, ties, passages = ev["roll_calls"], ev["ties"], ev["passages"]
        parts = []
        if isinstance(rc, dict) and "n_roll_calls" in rc:
            parts.append(f"{rc['n_roll_calls']} roll calls")
        if isinstance(passages, list):
            parts.append(f"{len(passages)} scored passages")
        if ties and ties.get("ties") is not None:
            parts.append(f"{len(ties['ties'])} institutional ties")
        lines.append(f"evidence for {ev['year']}: " + (", ".join(parts) or "none") + " (--json lists them)")
    return "\n".join(lines)
