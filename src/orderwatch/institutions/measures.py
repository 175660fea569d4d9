"""Per state-year measures: ties by pole and the network alignment score.

A *tie* is a state's membership of an arrangement in a calendar year (any day of the
year counts). Each tie carries the arrangement's pole sign s (US-led +1, China-led -1,
ASEAN/inclusive, Russia-led and other 0; AXES.md) and its depth w in that year (1-4).

Alignment of state i in year t on axis k (arrangements tagged with k; all for 'overall')::

    position = sum(w * s) / sum(w)  =  (W_US - W_CN) / (W_US + W_CN + W_0)

so -1 means every tie is China-led, +1 every tie US-led, and inclusive or Russia-led ties
pull towards 0. No tie on an axis gives NaN (no evidence), never 0.

Interval: the depth-weighted shares (p_US, p_CN, p_0) get a Dirichlet posterior with a
Jeffreys prior, Dirichlet(W_US + 1/2, W_CN + 1/2, W_0 + 1/2); the 95% interval of
p_US - p_CN uses its exact mean and variance with a normal approximation, clipped to
[-1, 1] and widened if needed to contain the point estimate. Few or shallow ties give
wide intervals.

References
----------
Gelman, A. et al. (2013). *Bayesian Data Analysis*, 3rd ed., ch. 3.4 (Dirichlet-multinomial
model; moments of the Dirichlet distribution).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orderwatch.institutions.catalog import POLE_SIGN, Catalog

YEARS = (1990, 2025)
Z95 = 1.959963984540054
POLE_KEYS = {"US-led": "us", "China-led": "china", "ASEAN/inclusive": "inclusive",
             "Russia-led": "russia", "other": "other"}


def ties(catalog: Catalog, atop: pd.DataFrame | None = None, years: tuple[int, int] = YEARS) -> pd.DataFrame:
    """One row per (iso3, year, arrangement_id): pole, sign, depth, axes, type, source."""
    arr = catalog.arrangements.set_index("arrangement_id")
    rows = []
    for m in catalog.memberships.itertuples():
        a = arr.loc[m.arrangement_id]
        y0 = max(m.joined.year, years[0])
        y1 = min(m.left.year if m.left else years[1], years[1])
        for y in range(y0, y1 + 1):
            rows.append((m.iso3, y, m.arrangement_id, a["name"], a["type"], a["pole"],
                         catalog.depth_in_year(m.arrangement_id, y), a["axes"],
                         m.source_citation, m.source_url, "catalog"))
    if atop is not None and len(atop):
        from orderwatch.institutions.atop import ATOP_CITATION, ATOP_URL

        extra = atop[atop["status"] == "atop_only"]
        for r in extra.itertuples():
            kind = "defence pledge" if r.used_depth == 4 else "consultation pledge"
            for iso3 in (r.iso3_a, r.iso3_b):
                rows.append((iso3, int(r.year), r.arrangement_id, f"ATOP {kind} {r.iso3_a}-{r.iso3_b}",
                             "ATOP formal obligation", r.pole, int(r.used_depth),
                             "A1", ATOP_CITATION, ATOP_URL, "atop"))
    out = pd.DataFrame(rows, columns=["iso3", "year", "arrangement_id", "name", "type", "pole", "depth",
                                      "axes", "source_citation", "source_url", "origin"])
    out = out.drop_duplicates(["iso3", "year", "arrangement_id"])
    out["sign"] = out["pole"].map(POLE_SIGN).fillna(0.0)
    return out.reset_index(drop=True)


def alignment(w_us: np.ndarray, w_cn: np.ndarray, w_0: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Point estimate and 95% interval of the alignment score from depth-weighted ties.

    >>> pos, lo, hi = alignment(np.array([4.0]), np.array([0.0]), np.array([0.0]))
    >>> float(pos[0]), bool(lo[0] < 1.0), float(hi[0])
    (1.0, True, 1.0)
    """
    w_us, w_cn, w_0 = (np.asarray(x, float) for x in (w_us, w_cn, w_0))
    total = w_us + w_cn + w_0
    with np.errstate(invalid="ignore", divide="ignore"):
        pos = np.where(total > 0, (w_us - w_cn) / total, np.nan)
    a_u, a_c, a_0 = w_us + 0.5, w_cn + 0.5, w_0 + 0.5
    a = a_u + a_c + a_0
    mean = (a_u - a_c) / a
    # Var(p_u - p_c) = Var p_u + Var p_c - 2 Cov(p_u, p_c) for a Dirichlet(a_u, a_c, a_0).
    var = (a_u * (a - a_u) + a_c * (a - a_c) + 2 * a_u * a_c) / (a ** 2 * (a + 1))
    sd = np.sqrt(var)
    lo = np.clip(mean - Z95 * sd, -1, 1)
    hi = np.clip(mean + Z95 * sd, -1, 1)
    lo = np.where(np.isnan(pos), np.nan, np.minimum(lo, pos))
    hi = np.where(np.isnan(pos), np.nan, np.maximum(hi, pos))
    return pos, lo, hi


def positions(tie_table: pd.DataFrame, states: list[str], years: tuple[int, int] = YEARS) -> pd.DataFrame:
    """The positions table (iso3, year, axis, position, lo, hi, n, method) for every state-year."""
    grid = pd.MultiIndex.from_product([sorted(states), range(years[0], years[1] + 1)], names=["iso3", "year"])
    t = tie_table[tie_table["iso3"].isin(states)]
    frames = []
    for axis in ("A1", "A2", "A3", "overall"):
        sub = t if axis == "overall" else t[t["axes"].str.split(",").apply(lambda xs: axis in xs)]
        w = sub.assign(
            w_us=np.where(sub["sign"] > 0, sub["depth"], 0),
            w_cn=np.where(sub["sign"] < 0, sub["depth"], 0),
            w_0=np.where(sub["sign"] == 0, sub["depth"], 0),
        ).groupby(["iso3", "year"]).agg(w_us=("w_us", "sum"), w_cn=("w_cn", "sum"), w_0=("w_0", "sum"),
                                         n=("arrangement_id", "nunique"))
        w = w.reindex(grid).fillna({"w_us": 0, "w_cn": 0, "w_0": 0, "n": 0})
        pos, lo, hi = alignment(w["w_us"].to_numpy(), w["w_cn"].to_numpy(), w["w_0"].to_numpy())
        frames.append(pd.DataFrame({
            "iso3": w.index.get_level_values(0), "year": w.index.get_level_values(1), "axis": axis,
            "position": pos, "lo": lo, "hi": hi, "n": w["n"].astype(int).to_numpy(), "method": "network",
        }))
    return pd.concat(frames, ignore_index=True)


def ties_by_pole(tie_table: pd.DataFrame, states: list[str], years: tuple[int, int] = YEARS) -> pd.DataFrame:
    """Counts and depth sums of ties per pole for every state-year (zeros where none)."""
    grid = pd.MultiIndex.from_product([sorted(states), range(years[0], years[1] + 1)], names=["iso3", "year"])
    t = tie_table.assign(key=tie_table["pole"].map(POLE_KEYS).fillna("other"))
    n = t.pivot_table(index=["iso3", "year"], columns="key", values="arrangement_id", aggfunc="nunique")
    d = t.pivot_table(index=["iso3", "year"], columns="key", values="depth", aggfunc="sum")
    out = pd.DataFrame(index=grid)
    for k in POLE_KEYS.values():
        out[f"ties_{k}"] = n[k].reindex(grid).fillna(0).astype(int) if k in n else 0
        out[f"depth_{k}"] = d[k].reindex(grid).fillna(0).astype(int) if k in d else 0
    return out.reset_index()
