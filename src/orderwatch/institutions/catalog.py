"""The curated catalogue of Asia's security arrangements: load, validate, flatten.

The data live in ``data/arrangements.yaml`` (one entry per arrangement, each with its
sources). This module turns them into three tidy DataFrames -- arrangements, memberships
(one row per membership spell) and sources -- and answers "who was a member at date d".

The ordinal depth scale (see docs/institutions.md):

==  =========================================================================
4   mutual defence commitment (treaty alliance: an attack on one engages all)
3   basing / access or defence-technology compact (EDCA, AUKUS)
2   institutionalised security consultation (SCO, Quad at leaders' level,
    trilaterals with a commitment to consult, strategic partnerships with
    standing defence cooperation, ASEAN)
1   dialogue forum or declaration (ARF, EAS, ADMM-Plus, CICA, "community with
    a shared future" statements, GSI endorsements, comprehensive partnerships)
==  =========================================================================

References
----------
Leeds, B. A., Ritter, J. M., Mitchell, S. M. and Long, A. G. (2002). Alliance Treaty
Obligations and Provisions, 1815-1944. *International Interactions* 28(3): 237-260
(the ATOP coding whose defence/consultation distinction our scale follows).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import pandas as pd
import yaml

from orderwatch.errors import InputError
from orderwatch.schema import SUBSTANTIVE_AXES as AXES  # "overall" is derived, never coded

#: Which pole leads an arrangement (catalogue labels, not the scale's pole states).
ARRANGEMENT_POLES = ("US-led", "US-aligned", "China-led", "ASEAN/inclusive", "Russia-led")
# Sign of each pole on the project's scale (AXES.md: -1 GSI/China, +1 US). "US-aligned"
# are alliance-based arrangements among US allies and partners without the US itself
# (Japan's reciprocal access agreements, the FPDA): the "networked" US-centred order, +1.
# Russia-led arrangements are alliance-based (A1 +) but not part of the US order; they
# count as "neither pole" (0) by default -- a documented choice; ``russia_with_china`` in
# the measures counts them with China's pole instead.
POLE_SIGN = {"US-led": 1.0, "US-aligned": 1.0, "China-led": -1.0, "ASEAN/inclusive": 0.0, "Russia-led": 0.0}
DEPTHS = {
    1: "dialogue forum or declaration",
    2: "institutionalised security consultation",
    3: "basing/access or defence-technology compact",
    4: "mutual defence commitment",
}
PRECISIONS = ("day", "month", "year", "on_or_before")
# scope "members": every member holds the tie; "framework": a regional framework agreed
# with an organisation or a summit mechanism (China-ASEAN, Lancang-Mekong, China-Central
# Asia), attached once to it -- only the lead holds a scored tie, members are listed.
SCOPES = ("members", "framework")
CATALOG_FILE = "arrangements.yaml"


@dataclass(frozen=True)
class Catalog:
    """The curated dataset as three DataFrames.

    Attributes
    ----------
    arrangements : DataFrame
        One row per arrangement: arrangement_id, name, type, pole, lead, depth, axes
        (comma-separated), csf, start, note, n_sources, source_citation, source_url
        (the first source), phases (list of dicts), atop_override (dict or None), scope
        ('members' or 'framework'), occasion (a summit or visit whose declarations, or an
        agreement whose successive instruments, count once; or None), secondary_only (True when no primary text was found).
    memberships : DataFrame
        One row per membership spell: arrangement_id, iso3, joined, left, precision,
        left_precision, note, source_citation, source_url (the member's own source when
        it has one, else the arrangement's first).
    sources : DataFrame
        One row per (arrangement_id, citation, url).
    """

    arrangements: pd.DataFrame
    memberships: pd.DataFrame
    sources: pd.DataFrame

    def members_at(self, arrangement_id: str, date: dt.date | str) -> list[str]:
        """ISO3 codes of the members of an arrangement on a given date (sorted)."""
        d = _as_date(date, "date")
        m = self.memberships[self.memberships["arrangement_id"] == arrangement_id]
        if m.empty and arrangement_id not in set(self.arrangements["arrangement_id"]):
            raise KeyError(arrangement_id)
        active = (m["joined"] <= d) & (m["left"].isna() | (m["left"].fillna(dt.date.max) >= d))
        return sorted(set(m.loc[active, "iso3"]))

    def depth_in_year(self, arrangement_id: str, year: int) -> int:
        """Depth of an arrangement in a year: the deepest phase active in it, else its depth."""
        row = self.arrangements.set_index("arrangement_id").loc[arrangement_id]
        phases = row["phases"] or []
        active = [
            p["depth"] for p in phases
            if p["start"].year <= year and (p.get("end") is None or p["end"].year >= year)
        ]
        return int(max(active)) if active else int(row["depth"])


def _as_date(value: Any, field: str, where: str = CATALOG_FILE) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise InputError(where, f"not an ISO date: {value!r}", field=field) from exc


def _source(obj: Any, where: str) -> dict[str, str]:
    if not isinstance(obj, dict) or not obj.get("citation") or not obj.get("url"):
        raise InputError(CATALOG_FILE, f"{where}: every source needs a citation and a url", field="sources")
    url = str(obj["url"])
    if not url.startswith(("http://", "https://")):
        raise InputError(CATALOG_FILE, f"{where}: url must be http(s): {url!r}", field="url")
    return {"citation": str(obj["citation"]).strip(), "url": url}


def parse(entries: list[dict[str, Any]]) -> Catalog:
    """Validate the YAML entries and build the Catalog (raises InputError naming the entry)."""
    arr_rows, mem_rows, src_rows, seen = [], [], [], set()
    for k, e in enumerate(entries):
        aid = e.get("id")
        where = f"entry {k} ({aid})"
        if not aid or aid in seen:
            raise InputError(CATALOG_FILE, f"{where}: missing or duplicate id", field="id")
        seen.add(aid)
        for key in ("name", "type", "pole", "lead", "depth", "axes", "members", "sources"):
            if key not in e:
                raise InputError(CATALOG_FILE, f"{where}: missing {key!r}", field=key)
        if e["pole"] not in ARRANGEMENT_POLES:
            raise InputError(CATALOG_FILE, f"{where}: pole {e['pole']!r} not in {ARRANGEMENT_POLES}", field="pole")
        if int(e["depth"]) not in DEPTHS:
            raise InputError(CATALOG_FILE, f"{where}: depth must be 1-4", field="depth")
        bad_axes = set(e["axes"]) - set(AXES)
        if bad_axes:
            raise InputError(CATALOG_FILE, f"{where}: unknown axes {sorted(bad_axes)}", field="axes")
        scope = e.get("scope", "members")
        if scope not in SCOPES:
            raise InputError(CATALOG_FILE, f"{where}: scope {scope!r} not in {SCOPES}", field="scope")
        sources = [_source(s, where) for s in e["sources"]]
        if not sources:
            raise InputError(CATALOG_FILE, f"{where}: no sources", field="sources")
        phases = []
        for p in e.get("phases") or []:
            phases.append({
                "start": _as_date(p["start"], "phases.start"),
                "end": _as_date(p.get("end"), "phases.end"),
                "depth": int(p["depth"]), "level": p.get("level"), "note": p.get("note"),
            })
        starts = []
        for m in e["members"]:
            joined = _as_date(m.get("joined"), "joined")
            if joined is None or not m.get("iso3"):
                raise InputError(CATALOG_FILE, f"{where}: member needs iso3 and joined", field="members")
            left = _as_date(m.get("left"), "left")
            if left is not None and left < joined:
                raise InputError(CATALOG_FILE, f"{where}: {m['iso3']} left before joining", field="left")
            prec = m.get("precision", "day")
            if prec not in PRECISIONS:
                raise InputError(CATALOG_FILE, f"{where}: precision {prec!r} not in {PRECISIONS}", field="precision")
            own = _source(m["source"], where) if m.get("source") else sources[0]
            starts.append(joined)
            mem_rows.append({
                "arrangement_id": aid, "iso3": str(m["iso3"]).upper(), "joined": joined, "left": left,
                "precision": prec, "left_precision": m.get("left_precision", "day" if left else None),
                "note": m.get("note"), "source_citation": own["citation"], "source_url": own["url"],
            })
        for s in sources:
            src_rows.append({"arrangement_id": aid, **s})
        arr_rows.append({
            "arrangement_id": aid, "name": e["name"], "type": e["type"], "pole": e["pole"],
            "lead": e["lead"], "depth": int(e["depth"]), "axes": ",".join(e["axes"]),
            "csf": e.get("csf"), "start": min(starts), "note": (e.get("note") or "").strip() or None,
            "n_sources": len(sources), "source_citation": sources[0]["citation"],
            "source_url": sources[0]["url"], "phases": phases, "atop_override": e.get("atop_override"),
            "scope": scope, "occasion": e.get("occasion"),
            "secondary_only": bool(e.get("secondary_only", False)),
        })
    return Catalog(pd.DataFrame(arr_rows), pd.DataFrame(mem_rows), pd.DataFrame(src_rows))


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    """The bundled catalogue (cached). Raises InputError if the YAML is malformed."""
    text = resources.files("orderwatch.institutions").joinpath("data").joinpath(CATALOG_FILE).read_text("utf-8")
    entries = yaml.safe_load(text)
    if not isinstance(entries, list):
        raise InputError(CATALOG_FILE, "top level must be a list of arrangements")
    return parse(entries)
