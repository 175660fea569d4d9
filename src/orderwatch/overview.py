"""The overview the main command prints: sources, coverage, latest positions."""

from __future__ import annotations

from typing import Any

from orderwatch.store import Store
from orderwatch.synthesis.positions import COMPLETE_MEAN_STREAMS
from orderwatch.synthesis.weights import STREAMS


def summarise(store: Store) -> dict[str, Any]:
    """Counts and coverage of every base table, the streams computed, and latest positions."""
    meta = store.meta()
    cov = {
        "roll_calls": store.sql("SELECT source, count(*) AS n, min(date)::VARCHAR AS first, max(date)::VARCHAR AS last "
                                "FROM roll_calls GROUP BY source ORDER BY first").to_dict("records"),
        "votes": store.sql("SELECT source, vote, count(*) AS n FROM votes GROUP BY ALL ORDER BY source, vote")
        .to_dict("records"),
        "speeches": store.sql("SELECT count(*) AS n, count(DISTINCT iso3) AS states, min(year) AS first, "
                              "max(year) AS last, sum(chars) AS chars FROM speeches").to_dict("records")[0],
        "documents": store.sql("SELECT source, language, count(*) AS n, min(year) AS first, max(year) AS last "
                               "FROM documents GROUP BY ALL ORDER BY source, language").to_dict("records"),
        "alliances": store.sql("SELECT count(*) AS n, min(year) AS first, max(year) AS last FROM alliances")
        .to_dict("records")[0],
    }
    out: dict[str, Any] = {
        "store": str(store.path), "version": meta.get("version"), "built_at": meta.get("built_at"),
        "streams": meta.get("streams", []),
        "sources": store.sql("SELECT name, title, rows, version, licence FROM sources ORDER BY name")
        .to_dict("records"),
        "coverage": cov, "latest_positions": None,
    }
    if store.has_table("positions"):
        # The latest year in which most states are placed by all three streams (the last
        # year often has votes and institutions only: no General Debate corpus yet).
        by_year = store.sql("SELECT year, avg(n_streams) AS streams FROM positions "
                            "WHERE axis = 'overall' AND position IS NOT NULL GROUP BY year ORDER BY year")
        full = by_year[by_year.streams >= COMPLETE_MEAN_STREAMS]
        latest = (full if len(full) else by_year).year.max()
        pos = store.sql(
            "SELECT p.iso3, c.name_en, p.year, p.position, p.lo, p.hi, p.streams FROM positions p "
            "JOIN countries c USING (iso3) "
            "WHERE p.axis = 'overall' AND p.year = ? AND p.position IS NOT NULL ORDER BY p.position",
            [int(latest)],
        )
        out["latest_positions"] = {"year": int(latest), "rows": pos.to_dict("records")}
    return out


def render_text(s: dict[str, Any]) -> str:
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
