"""What the CLI, the web and the synthesis ask of the institutions stream.

All functions take the curated catalogue (and, for ATOP-derived ties, the merged ATOP
table) and return plain records with their sources, so every figure can be traced.
"""

from __future__ import annotations

import io
from typing import Any

import networkx as nx
import pandas as pd

from orderwatch.errors import OrderwatchError, closest
from orderwatch.evidence import Provenance, Result
from orderwatch.institutions.catalog import Catalog, load_catalog
from orderwatch.institutions.measures import ties as build_ties
from orderwatch.institutions.network import CoMembershipNetwork


class UnknownArrangementError(OrderwatchError, KeyError):
    """An arrangement id the catalogue does not know."""

    def __str__(self) -> str:
        return self.args[0]


def arrangements_for(iso3: str, year: int, catalog: Catalog | None = None,
                     atop: pd.DataFrame | None = None) -> list[dict[str, Any]]:
    """Arrangements a state belonged to in a year, deepest first, each with its sources.

    Examples
    --------
    >>> [a["arrangement_id"] for a in arrangements_for("VNM", 2024)][:2]
    ['ASEAN', 'ADMM_PLUS']
    """
    catalog = catalog or load_catalog()
    t = build_ties(catalog, atop, years=(year, year))
    t = t[t["iso3"] == iso3].sort_values(["depth", "arrangement_id"], ascending=[False, True])
    src = catalog.sources.groupby("arrangement_id")
    out = []
    for r in t.itertuples():
        if r.origin == "catalog":
            sources = src.get_group(r.arrangement_id)[["citation", "url"]].to_dict("records")
            if r.source_url not in {s["url"] for s in sources}:
                sources.insert(0, {"citation": r.source_citation, "url": r.source_url})
        else:
            sources = [{"citation": r.source_citation, "url": r.source_url}]
        out.append({"arrangement_id": r.arrangement_id, "name": r.name, "type": r.type, "pole": r.pole,
                    "depth": int(r.depth), "axes": r.axes.split(","), "origin": r.origin, "sources": sources})
    return out


def arrangement(arrangement_id: str, catalog: Catalog | None = None) -> dict[str, Any]:
    """One arrangement with its members (join/leave dates, precision) and sources."""
    catalog = catalog or load_catalog()
    ids = list(catalog.arrangements["arrangement_id"])
    key = arrangement_id.upper()
    if key not in ids:
        raise UnknownArrangementError(
            f"unknown arrangement {arrangement_id!r}" +
            (f"; did you mean {', '.join(closest(key, ids))}?" if closest(key, ids) else ""))
    a = catalog.arrangements.set_index("arrangement_id").loc[key]
    members = catalog.memberships[catalog.memberships["arrangement_id"] == key]
    return {
        "arrangement_id": key, "name": a["name"], "type": a["type"], "pole": a["pole"], "lead": a["lead"],
        "depth": int(a["depth"]), "axes": a["axes"].split(","), "csf": a["csf"], "note": a["note"],
        "phases": a["phases"],
        "members": members.drop(columns="arrangement_id").to_dict("records"),
        "sources": catalog.sources[catalog.sources["arrangement_id"] == key][["citation", "url"]].to_dict("records"),
    }


def network(year: int, catalog: Catalog | None = None, atop: pd.DataFrame | None = None,
            random_state: int = 0) -> nx.Graph:
    """The co-membership graph of a year with bloc and betweenness as node attributes."""
    catalog = catalog or load_catalog()
    t = build_ties(catalog, atop, years=(year, year))
    model = CoMembershipNetwork(random_state=random_state).fit(t, year)
    g = model.graph_
    for iso3 in g.nodes:
        g.nodes[iso3]["community"] = model.communities_.get(iso3, "")
        g.nodes[iso3]["betweenness"] = float(model.betweenness_.get(iso3, 0.0))
    g.graph["modularity"] = model.modularity_
    return g


def network_json(g: nx.Graph) -> dict[str, Any]:
    """Node-link JSON of a co-membership graph."""
    return {
        "year": g.graph.get("year"), "modularity": g.graph.get("modularity"),
        "nodes": [{"id": n, **d} for n, d in g.nodes(data=True)],
        "links": [{"source": a, "target": b, "weight": d["weight"], "arrangements": d["arrangements"]}
                  for a, b, d in g.edges(data=True)],
    }


def network_graphml(g: nx.Graph) -> str:
    """GraphML text of a co-membership graph (list attributes joined by ';')."""
    h = g.copy()
    for _, _, d in h.edges(data=True):
        d["arrangements"] = ";".join(d["arrangements"])
    h.graph = {k: v for k, v in h.graph.items() if isinstance(v, (int, float, str))}
    buf = io.BytesIO()
    nx.write_graphml(h, buf)
    return buf.getvalue().decode("utf-8")


def position_result(positions: pd.DataFrame, iso3: str, year: int, axis: str = "overall",
                    catalog: Catalog | None = None, tie_table: pd.DataFrame | None = None) -> Result:
    """A stored institutions position as a Result with its evidence.

    With ``tie_table`` (``institutions_ties``) the evidence is ``why``'s list of ties with
    their weights and contributions; without it, the catalogue's arrangements of that year.
    """
    row = positions[(positions["iso3"] == iso3) & (positions["year"] == year) & (positions["axis"] == axis)]
    if row.empty:
        raise OrderwatchError(f"no institutions position for {iso3} {year} {axis}")
    r = row.iloc[0]
    if tie_table is not None:
        from orderwatch.institutions.why import why

        ev = why(tie_table, iso3, year, axis)["ties"]
    else:
        ev = arrangements_for(iso3, year, catalog)
        if axis != "overall":
            ev = [e for e in ev if axis in e["axes"]]
    warnings = [] if r["n"] else ["no arrangement on this axis: no evidence (null)"]
    return Result(value=None if pd.isna(r["position"]) else float(r["position"]),
                  interval=(r["lo"], r["hi"]), n=int(r["n"]), evidence=ev,
                  provenance=Provenance(method="institutions.network", parameters={"axis": axis},
                                        sources=["institutions/data/arrangements.yaml", "atop"]),
                  warnings=warnings)
