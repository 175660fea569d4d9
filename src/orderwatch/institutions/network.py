"""The co-membership network of one year: blocs (communities) and betweenness.

Nodes are states; two states are linked when they share at least one arrangement active
in the year. An arrangement with k members adds depth / (k - 1) to each of its member
pairs, so a 27-member dialogue forum weighs far less per pair than a bilateral alliance
(Newman's collaboration weighting). Blocs are Louvain communities on these weights;
betweenness uses distance = 1 / weight.

References
----------
Newman, M. E. J. (2001). Scientific collaboration networks. II. Shortest paths, weighted
networks, and centrality. *Physical Review E* 64, 016132.
Blondel, V. D., Guillaume, J.-L., Lambiotte, R. and Lefebvre, E. (2008). Fast unfolding of
communities in large networks. *J. Stat. Mech.* P10008.
Brandes, U. (2001). A faster algorithm for betweenness centrality. *J. Math. Sociol.* 25(2).
"""

from __future__ import annotations

import itertools

import networkx as nx
import pandas as pd

ANCHORS = ("USA", "CHN", "RUS")


def graph(tie_table: pd.DataFrame, year: int) -> nx.Graph:
    """The weighted co-membership graph for one year (node attribute: n_arrangements).

    A regional framework (``scope == 'framework'``) is attached to the organisation, not
    to each member, so its members are not linked through it (as in ``measures.weigh``).
    """
    t = tie_table[tie_table["year"] == year]
    if {"scope", "lead"} <= set(t.columns):
        t = t[~(t["scope"].eq("framework") & t["lead"].ne(t["iso3"]))]
    g = nx.Graph(year=int(year))
    for iso3, k in t.groupby("iso3")["arrangement_id"].nunique().items():
        g.add_node(iso3, n_arrangements=int(k))
    for aid, grp in t.groupby("arrangement_id"):
        members = sorted(set(grp["iso3"]))
        if len(members) < 2:
            continue
        w = float(grp["depth"].iloc[0]) / (len(members) - 1)
        for a, b in itertools.combinations(members, 2):
            if g.has_edge(a, b):
                g[a][b]["weight"] += w
                g[a][b]["arrangements"].append(aid)
            else:
                g.add_edge(a, b, weight=w, arrangements=[aid])
    for _, _, d in g.edges(data=True):
        d["distance"] = 1.0 / d["weight"]
    return g


def bloc_label(members: set[str]) -> str:
    """Name a community after the anchor powers in it (e.g. 'bloc_USA', 'bloc_CHN+RUS')."""
    anchors = [a for a in ANCHORS if a in members]
    return "bloc_" + ("+".join(anchors) if anchors else min(members))


class CoMembershipNetwork:
    """Blocs and centrality of one year's co-membership graph (sklearn-style).

    Parameters
    ----------
    resolution : float
        Louvain resolution (1.0 = standard modularity).
    random_state : int
        Seed for Louvain's node order, so blocs are reproducible.

    Attributes
    ----------
    graph_ : networkx.Graph
    communities_ : dict[str, str]
        iso3 -> bloc label.
    betweenness_ : dict[str, float]
        Normalised weighted betweenness (distance = 1 / weight).
    modularity_ : float
    """

    def __init__(self, resolution: float = 1.0, random_state: int = 0):
        self.resolution = resolution
        self.random_state = random_state

    def fit(self, tie_table: pd.DataFrame, year: int) -> "CoMembershipNetwork":
        g = graph(tie_table, year)
        self.graph_ = g
        self.communities_, self.betweenness_, self.modularity_ = {}, {}, float("nan")
        if g.number_of_edges() == 0:
            return self
        comms = nx.community.louvain_communities(g, weight="weight", resolution=self.resolution,
                                                 seed=self.random_state)
        self.modularity_ = float(nx.community.modularity(g, comms, weight="weight"))
        for c in comms:
            label = bloc_label(set(c))
            for iso3 in c:
                self.communities_[iso3] = label
        self.betweenness_ = nx.betweenness_centrality(g, weight="distance", normalized=True)
        return self

    def table(self) -> pd.DataFrame:
        """iso3, community, community_size, betweenness, strength, degree for this year."""
        g = self.graph_
        sizes = pd.Series(self.communities_).value_counts()
        rows = []
        for iso3 in g.nodes:
            c = self.communities_.get(iso3)
            rows.append({
                "iso3": iso3, "year": g.graph["year"], "community": c,
                "community_size": int(sizes.get(c, 0)) if c else 0,
                "betweenness": float(self.betweenness_.get(iso3, 0.0)),
                "strength": float(g.degree(iso3, weight="weight")), "degree": int(g.degree(iso3)),
            })
        return pd.DataFrame(rows)
