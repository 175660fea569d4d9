"""Per state-year measures: ties, the weights that enter the score, and the alignment score.

A *tie* is a state's membership of an arrangement in a calendar year (any day of the
year counts). Each tie carries the arrangement's pole sign s (US-led +1, China-led -1,
ASEAN/inclusive, Russia-led and other 0; AXES.md) and its depth d in that year (1-4).

Weights (``weigh``): a tie's weight is its depth, except

* a regional framework (``scope: framework``, e.g. the China-ASEAN community with a
  shared future) is attached once to the organisation: only its lead holds a scored tie;
* declarations of one occasion (one summit or state visit, ``occasion`` in the YAML) count
  once per state and axis: the deepest is kept, the others get weight 0;
* ATOP pacts outside the two poles (pole 'other', e.g. the Arab League and GCC defence
  treaties, which ATOP splits into one dyad per pair of members) count once per
  state-year, at the depth of the deepest.

Score of state i in year t on axis k (ties tagged k; all ties for 'overall')::

    position = (W_US - W_CN) / (W_US + W_CN + W_0 + K)          K = 1.5 + PRIOR_NEUTRAL

the posterior mean of p_US - p_CN when the shares of the depth-weighted ties have a
Dirichlet(1/2, 1/2, 1/2 + PRIOR_NEUTRAL) prior: Jeffreys' 1/2 on each outcome plus
PRIOR_NEUTRAL depth units (default 4, one mutual-defence treaty's worth) on "neither pole".
Thin evidence is shrunk towards 0: one declaration gives 1/6.5 = 0.15, one treaty
alliance 4/9.5 = 0.42, and reaching |0.9| takes about 50 depth units of one pole net of
the other. No tie on an axis gives NaN (no evidence), never 0. The 95% interval uses the
posterior's exact mean and variance of p_US - p_CN with a normal approximation, clipped to
[-1, 1] and widened if needed to contain the point.

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
ATOP_LAST_YEAR = 2018
PRIOR_NEUTRAL = 4.0
Z95 = 1.959963984540054
POLE_KEYS = {"US-led": "us", "US-aligned": "us", "China-led": "china", "ASEAN/inclusive": "inclusive",
             "Russia-led": "russia", "other": "other"}
TIE_COLUMNS = ["iso3", "year", "arrangement_id", "name", "type", "pole", "lead", "depth", "axes",
               "scope", "occasion", "source_citation", "source_url", "origin"]


def ties(catalog: Catalog, atop: pd.DataFrame | None = None, years: tuple[int, int] = YEARS) -> pd.DataFrame:
    """One row per (iso3, year, arrangement_id): pole, sign, depth, axes, scope, occasion, source.

    ATOP-only defence pledges active in ATOP's last year (2018) are carried to ``years[1]``
    (origin ``atop_carried``): ATOP's coverage ends there, the treaties (NATO, the Arab
    League and GCC defence pacts) do not; consultation pledges are not carried.
    """
    arr = catalog.arrangements.set_index("arrangement_id")
    rows = []
    for m in catalog.memberships.itertuples():
        a = arr.loc[m.arrangement_id]
        y0 = max(m.joined.year, years[0])
        y1 = min(m.left.year if m.left else years[1], years[1])
        for y in range(y0, y1 + 1):
            rows.append((m.iso3, y, m.arrangement_id, a["name"], a["type"], a["pole"], a["lead"],
                         catalog.depth_in_year(m.arrangement_id, y), a["axes"], a.get("scope", "members"),
                         a.get("occasion"), m.source_citation, m.source_url, "catalog"))
    if atop is not None and len(atop):
        from orderwatch.institutions.atop import ATOP_CITATION, ATOP_URL

        extra = atop[atop["status"] == "atop_only"]
        for r in extra.itertuples():
            kind = "defence pledge" if r.used_depth == 4 else "consultation pledge"
            name = f"ATOP {kind} {r.iso3_a}-{r.iso3_b}"
            occasion = "ATOP other-pole pacts" if r.pole == "other" else None
            carry = [int(r.year)]
            if r.used_depth == 4 and r.year == ATOP_LAST_YEAR:
                carry += list(range(ATOP_LAST_YEAR + 1, years[1] + 1))
            for y in carry:
                if not years[0] <= y <= years[1]:
                    continue
                origin = "atop" if y <= ATOP_LAST_YEAR else "atop_carried"
                for iso3 in (r.iso3_a, r.iso3_b):
                    rows.append((iso3, y, r.arrangement_id, name, "ATOP formal obligation", r.pole, None,
                                 int(r.used_depth), "A1", "members", occasion, ATOP_CITATION, ATOP_URL, origin))
    out = pd.DataFrame(rows, columns=TIE_COLUMNS)
    out = out.drop_duplicates(["iso3", "year", "arrangement_id"])
    out["sign"] = out["pole"].map(POLE_SIGN).fillna(0.0)
    return out.reset_index(drop=True)


def on_axis(tie_table: pd.DataFrame, axis: str) -> pd.DataFrame:
    """The ties tagged with ``axis`` (all ties for 'overall')."""
    if axis == "overall":
        return tie_table
    return tie_table[tie_table["axes"].str.split(",").apply(lambda xs: axis in xs)]


def weigh(tie_table: pd.DataFrame, axis: str = "overall", russia_with_china: bool = False) -> pd.DataFrame:
    """The ties on an axis with the ``sign`` and ``weight`` that enter the score, and a ``note``.

    Parameters
    ----------
    tie_table : DataFrame
        Output of ``ties``.
    axis : {'A1', 'A2', 'A3', 'overall'}
    russia_with_china : bool
        Count Russia-led arrangements with China's pole (sign -1) instead of neither (0).
    """
    t = on_axis(tie_table, axis).copy()
    if russia_with_china:
        t.loc[t["pole"] == "Russia-led", "sign"] = -1.0
    t["weight"] = t["depth"].astype(float)
    t["note"] = ""
    scope = t["scope"] if "scope" in t else pd.Series("members", index=t.index)
    lead = t["lead"] if "lead" in t else pd.Series(None, index=t.index)
    framework = scope.eq("framework") & lead.ne(t["iso3"])
    t.loc[framework, "weight"] = 0.0
    t.loc[framework, "note"] = "regional framework: attached once to the organisation, not to each member"
    occ = t["occasion"] if "occasion" in t else pd.Series(None, index=t.index)
    live = occ.notna() & (t["weight"] > 0)
    if live.any():
        g = t[live].sort_values(["depth", "arrangement_id"], ascending=[False, True])
        first = g.groupby(["iso3", "year", "occasion"])["arrangement_id"].transform("first")
        dup = g.index[g["arrangement_id"] != first]
        t.loc[dup, "weight"] = 0.0
        t.loc[dup, "note"] = "counted once with " + first.loc[dup] + " (same occasion: " + g.loc[dup, "occasion"] + ")"
    return t


def alignment(w_us: np.ndarray, w_cn: np.ndarray, w_0: np.ndarray,
              prior_neutral: float = PRIOR_NEUTRAL) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shrunk point estimate and 95% interval of the alignment score from weighted ties.

    NaN where there is no weight at all (no evidence).

    >>> pos, lo, hi = alignment(np.array([4.0]), np.array([0.0]), np.array([0.0]))
    >>> round(float(pos[0]), 3), bool(lo[0] < 0.2), bool(hi[0] < 1.0)
    (0.421, True, True)
    """
    if prior_neutral < 0:
        raise ValueError(f"prior_neutral must be >= 0, got {prior_neutral}")
    w_us, w_cn, w_0 = (np.asarray(x, float) for x in (w_us, w_cn, w_0))
    total = w_us + w_cn + w_0
    a_u, a_c, a_0 = w_us + 0.5, w_cn + 0.5, w_0 + 0.5 + prior_neutral
    a = a_u + a_c + a_0
    mean = (a_u - a_c) / a
    pos = np.where(total > 0, mean, np.nan)
    # Var(p_u - p_c) = Var p_u + Var p_c - 2 Cov(p_u, p_c) for a Dirichlet(a_u, a_c, a_0).
    var = (a_u * (a - a_u) + a_c * (a - a_c) + 2 * a_u * a_c) / (a ** 2 * (a + 1))
    sd = np.sqrt(var)
    lo = np.clip(mean - Z95 * sd, -1, 1)
    hi = np.clip(mean + Z95 * sd, -1, 1)
    lo = np.where(np.isnan(pos), np.nan, np.minimum(lo, pos))
    hi = np.where(np.isnan(pos), np.nan, np.maximum(hi, pos))
    return pos, lo, hi


def pole_weights(weighted: pd.DataFrame) -> pd.DataFrame:
    """W_US, W_CN, W_0 and n (scored arrangements) per state-year from ``weigh`` output."""
    w = weighted[weighted["weight"] > 0]
    return w.assign(
        w_us=np.where(w["sign"] > 0, w["weight"], 0.0),
        w_cn=np.where(w["sign"] < 0, w["weight"], 0.0),
        w_0=np.where(w["sign"] == 0, w["weight"], 0.0),
    ).groupby(["iso3", "year"]).agg(w_us=("w_us", "sum"), w_cn=("w_cn", "sum"), w_0=("w_0", "sum"),
                                     n=("arrangement_id", "nunique"))


def positions(tie_table: pd.DataFrame, states: list[str], years: tuple[int, int] = YEARS,
              prior_neutral: float = PRIOR_NEUTRAL, russia_with_china: bool = False) -> pd.DataFrame:
    """The positions table (iso3, year, axis, position, lo, hi, n, method) for every state-year."""
    grid = pd.MultiIndex.from_product([sorted(states), range(years[0], years[1] + 1)], names=["iso3", "year"])
    t = tie_table[tie_table["iso3"].isin(states)]
    frames = []
    for axis in ("A1", "A2", "A3", "overall"):
        w = pole_weights(weigh(t, axis, russia_with_china))
        w = w.reindex(grid).fillna({"w_us": 0, "w_cn": 0, "w_0": 0, "n": 0})
        pos, lo, hi = alignment(w["w_us"].to_numpy(), w["w_cn"].to_numpy(), w["w_0"].to_numpy(), prior_neutral)
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
