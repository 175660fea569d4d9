"""The overview `orderwatch overview` and `orderwatch run` print: sources, coverage, latest positions.

The coverage counts are aggregate queries on the base tables (the store's SQL stays on
the read side, here); the latest positions are the combined figures of the default year
(:mod:`orderwatch.observatory.years`), the same year and figures as the map.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orderwatch.observatory.tables import records

if TYPE_CHECKING:
    from orderwatch.observatory.core import Observatory

#: Aggregate coverage queries, one per base table (fixed text: nothing from the user).
COVERAGE_SQL = {
    "roll_calls": "SELECT source, count(*) AS n, min(date)::VARCHAR AS first, max(date)::VARCHAR AS last "
                  "FROM roll_calls GROUP BY source ORDER BY first",
    "votes": "SELECT source, vote, count(*) AS n FROM votes GROUP BY ALL ORDER BY source, vote",
    "speeches": "SELECT count(*) AS n, count(DISTINCT iso3) AS states, min(year) AS first, "
                "max(year) AS last, sum(chars) AS chars FROM speeches",
    "documents": "SELECT source, language, count(*) AS n, min(year) AS first, max(year) AS last "
                 "FROM documents GROUP BY ALL ORDER BY source, language",
    "alliances": "SELECT count(*) AS n, min(year) AS first, max(year) AS last FROM alliances",
}
SINGLE_ROW = ("speeches", "alliances")
SOURCES_SQL = "SELECT name, title, rows, version, licence FROM sources ORDER BY name"


def latest_positions(obs: "Observatory") -> dict[str, Any] | None:
    """The combined overall figures of the default year, GSI pole first; None before the synthesis."""
    year = obs.default_year("combined")
    if year is None:
        return None
    pos = obs.positions("combined")
    sel = pos[(pos["axis"] == "overall") & (pos["year"] == year) & pos["position"].notna()]
    reg = obs.registry()[["iso3", "name_en"]]
    rows = sel[["iso3", "year", "position", "lo", "hi", "streams"]].merge(reg, on="iso3")
    rows = rows[["iso3", "name_en", "year", "position", "lo", "hi", "streams"]].sort_values("position")
    return {"year": int(year), "rows": records(rows)}


def summarise(obs: "Observatory") -> dict[str, Any]:
    """Counts and coverage of every base table, the streams computed, and the latest positions."""
    store = obs.store
    meta = store.meta()

    def query(sql: str) -> list[dict]:
        return obs.locked(lambda: store.sql(sql)).to_dict("records")

    cov = {name: (query(sql)[0] if name in SINGLE_ROW else query(sql)) for name, sql in COVERAGE_SQL.items()}
    return {
        "store": str(store.path), "version": meta.get("version"), "built_at": meta.get("built_at"),
        "streams": meta.get("streams", []),
        "sources": query(SOURCES_SQL),
        "coverage": cov, "latest_positions": latest_positions(obs),
    }
