"""The practice stream's positions table: arms, forces and exercises combined per state-year.

    position = sum_k w_k s_k p_k / sum_k w_k s_k      over the components k with evidence

with default weights arms 0.5, forces 0.25, exercises 0.25 (arms are the one component
observed for nearly every state and year; forces and exercises are sparser) and s_k the
strength of the evidence: 1 for arms and exercises, max presence level / 3 for forces
(forces.py). The interval is the same weighted mean of the components' bounds: as if
their errors were perfectly correlated, so it is conservative, and a figure resting on one
component keeps that component's interval. n adds up the deals, deployments and exercises
behind the figure.

Practice speaks to axis A1 (security logic: whose arms, whose troops, whose drills); the
overall row repeats A1 because no other axis is coded. A2 (who orders the region) would
need coded freedom-of-navigation practice (the US DoD's annual FON reports); none is
coded, so there are no A2 rows rather than borrowed ones. The three reference powers are
not scored: they define the poles.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orderwatch.countries import REFERENCE_POWERS

DEFAULT_WEIGHTS = {"arms": 0.5, "forces": 0.25, "exercises": 0.25}
METHOD = "practice_mix"


def combine(components: dict[str, pd.DataFrame], state_years: pd.DataFrame,
            weights: dict[str, float] | None = None) -> pd.DataFrame:
    """Wide table per state-year: each component's position, lo, hi, n and the combination."""
    weights = weights or DEFAULT_WEIGHTS
    unknown = set(weights) - set(DEFAULT_WEIGHTS)
    if unknown or any(w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
        raise ValueError(f"weights must be non-negative for {sorted(DEFAULT_WEIGHTS)}, not {weights}")
    wide = state_years[["iso3", "year"]].copy()
    for k, df in components.items():
        cols = ["position", "lo", "hi", "n"] + (["strength"] if "strength" in df else [])
        part = df[["iso3", "year", *cols]].rename(columns={c: f"{k}_{c}" for c in cols})
        wide = wide.merge(part, how="left", on=["iso3", "year"])
    num, den, lo, hi = (np.zeros(len(wide)) for _ in range(4))
    n = np.zeros(len(wide), dtype="int64")
    for k in components:
        p = wide[f"{k}_position"].to_numpy(float)
        have = ~np.isnan(p)
        strength = wide[f"{k}_strength"].fillna(0).to_numpy(float) if f"{k}_strength" in wide else 1.0
        w = np.where(have, weights.get(k, 0.0) * strength, 0.0)
        num += w * np.nan_to_num(p)
        lo += w * np.nan_to_num(wide[f"{k}_lo"].to_numpy(float))
        hi += w * np.nan_to_num(wide[f"{k}_hi"].to_numpy(float))
        den += w
        n += np.where(have & (w > 0), wide[f"{k}_n"].fillna(0).to_numpy().astype("int64"), 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        pos = np.where(den > 0, num / den, np.nan)
        lo = np.where(den > 0, lo / den, np.nan)
        hi = np.where(den > 0, hi / den, np.nan)
    ref = wide.iso3.isin(REFERENCE_POWERS).to_numpy()
    pos[ref], lo[ref], hi[ref] = np.nan, np.nan, np.nan
    wide["position"], wide["lo"], wide["hi"] = pos, lo, hi
    wide["n"] = np.where(np.isnan(pos), 0, n)
    have = {k: wide[f"{k}_position"].notna().to_numpy() & ~np.isnan(pos) for k in components}
    wide["components"] = [",".join(k for k in components if have[k][i]) for i in range(len(wide))]
    return wide


def positions_table(wide: pd.DataFrame) -> pd.DataFrame:
    """Standard positions shape (iso3, year, axis, position, lo, hi, n, method), A1 and overall."""
    base = wide[["iso3", "year", "position", "lo", "hi", "n"]].copy()
    base["method"] = METHOD
    out = pd.concat([base.assign(axis="A1"), base.assign(axis="overall")], ignore_index=True)
    out["n"] = out.n.astype("int64")
    return out[["iso3", "year", "axis", "position", "lo", "hi", "n", "method"]].sort_values(
        ["iso3", "year", "axis"]).reset_index(drop=True)
