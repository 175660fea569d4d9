"""Known-group validation of the institutions score, and the proximity alternative.

Known groups (2015-2024, the issue's definition): the **US group** are the US treaty
allies and Major Non-NATO Allies (22 U.S.C. 2321k; NATO's Turkiye), each from its dated
designation; the **China group** are China's closest partners -- Pakistan, Cambodia, Laos,
North Korea, Russia, Iran, and Myanmar from 2021. Pakistan is both a Major Non-NATO Ally
(2004) and China's "all-weather" partner; it belongs to the China group only.

The separation is the area under the ROC curve of the position (US group = positive):
the probability that a random US-group state-year sits to the right of a random
China-group state-year (ties count one half; Mann-Whitney). State-years without a
position are left out and counted.

``proximity`` is the alternative score compared in docs/institutions.md: the cosine
similarity of a state's weighted tie profile (one entry per arrangement) to the USA's
minus that to China's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orderwatch.institutions.measures import weigh

WINDOW = (2015, 2024)
# iso3 -> (first year, last year) in the group; designation years from the catalogue.
US_GROUP = {
    "JPN": (1960, None), "KOR": (1954, None), "PHL": (1952, None), "THA": (1955, None), "AUS": (1952, None),
    "NZL": (1997, None), "ISR": (1987, None), "JOR": (1996, None), "BHR": (2002, None), "KWT": (2004, None),
    "QAT": (2022, None), "AFG": (2012, 2021), "TUR": (1952, None), "TWN": (2003, None),
}
CHINA_GROUP = {
    "PAK": (1990, None), "KHM": (1990, None), "LAO": (1990, None), "PRK": (1990, None), "RUS": (1990, None),
    "IRN": (1990, None), "MMR": (2021, None),
}


def _in(group: dict[str, tuple[int, int | None]], iso3: str, year: int) -> bool:
    span = group.get(iso3)
    return span is not None and span[0] <= year and (span[1] is None or year <= span[1])


def label(iso3: pd.Series, year: pd.Series) -> pd.Series:
    """1 for a US-group state-year, 0 for China-group, NaN otherwise."""
    out = [1.0 if _in(US_GROUP, i, y) else 0.0 if _in(CHINA_GROUP, i, y) else np.nan
           for i, y in zip(iso3, year)]
    return pd.Series(out, index=iso3.index)


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """Mann-Whitney AUC of ``scores`` for positives (label 1) over negatives (label 0).

    >>> auc(np.array([0.9, 0.1, 0.5]), np.array([1, 0, 1]))
    1.0
    """
    s, y = np.asarray(scores, float), np.asarray(labels, float)
    pos, neg = s[y == 1], s[y == 0]
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    diff = pos[:, None] - neg[None, :]
    return float(((diff > 0).sum() + 0.5 * (diff == 0).sum()) / diff.size)


def known_group_auc(positions: pd.DataFrame, axis: str = "overall",
                    window: tuple[int, int] = WINDOW) -> dict[str, float]:
    """AUC of the known groups on one axis, with the numbers of state-years used and missing."""
    p = positions[(positions["axis"] == axis) & positions["year"].between(*window)]
    p = p.assign(label=label(p["iso3"], p["year"])).dropna(subset=["label"])
    ok = p["position"].notna()
    q = p[ok]
    return {"axis": axis, "auc": auc(q["position"].to_numpy(), q["label"].to_numpy()),
            "n_us": int((q["label"] == 1).sum()), "n_china": int((q["label"] == 0).sum()),
            "n_missing": int((~ok).sum())}


def proximity(tie_table: pd.DataFrame, states: list[str], years: tuple[int, int],
              axis: str = "overall") -> pd.DataFrame:
    """cos(profile_i, profile_USA) - cos(profile_i, profile_CHN) per state-year (NaN: no tie)."""
    w = weigh(tie_table[tie_table["year"].between(*years)], axis)
    w = w[w["weight"] > 0]
    rows = []
    for year, g in w.groupby("year"):
        m = g.pivot_table(index="iso3", columns="arrangement_id", values="weight", aggfunc="max", fill_value=0.0)
        norm = np.sqrt((m ** 2).sum(axis=1))
        unit = m.div(norm.replace(0, np.nan), axis=0).fillna(0.0)
        ref = {k: unit.loc[k] if k in unit.index else pd.Series(0.0, index=unit.columns) for k in ("USA", "CHN")}
        score = unit @ ref["USA"] - unit @ ref["CHN"]
        for iso3 in states:
            rows.append({"iso3": iso3, "year": int(year), "axis": axis,
                         "position": float(score[iso3]) if iso3 in score.index else np.nan})
    return pd.DataFrame(rows)


EXTREME = 0.9
POLE_STATES = ("USA", "CHN")


def goals(positions: pd.DataFrame, tie_table: pd.DataFrame, window: tuple[int, int] = WINDOW) -> dict[str, object]:
    """The issue-11 goals measured on a positions table and its ties (docs/institutions.md).

    Returns counts of extreme state-year-axes (|position| >= 0.9) resting only on depth-1
    ties and of non-pole extremes without a depth-3/4 tie (all years, all axes), the
    known-group AUC per axis over ``window``, New Zealand's figures and the Russia-Israel
    comparison per year of ``window``.
    """
    ext = positions[positions["position"].abs() >= EXTREME]
    deepest = []
    for axis in ("A1", "A2", "A3", "overall"):
        w = weigh(tie_table, axis)
        d = w[w["weight"] > 0].groupby(["iso3", "year"])["depth"].max().rename("deepest").reset_index()
        deepest.append(d.assign(axis=axis))
    ext = ext.merge(pd.concat(deepest), on=["iso3", "year", "axis"], how="left")
    nonpole = ext[~ext["iso3"].isin(POLE_STATES)]
    o = positions[positions["axis"] == "overall"].set_index(["iso3", "year"])["position"]
    years = range(window[0], window[1] + 1)
    nzl = positions[(positions["iso3"] == "NZL") & positions["position"].notna()]
    return {
        "extreme_depth1_only": int((ext["deepest"] <= 1).sum()),
        "nonpole_extreme_without_depth3": int((nonpole["deepest"].fillna(0) < 3).sum()),
        "nonpole_extremes": int(len(nonpole)),
        "at_exactly_one": int((positions["position"].abs() >= 0.999).sum()),
        "auc": {a: known_group_auc(positions, a, window) for a in ("overall", "A1", "A2", "A3")},
        "nzl_zero_share": float((nzl["position"] == 0).mean()) if len(nzl) else float("nan"),
        "nzl_2024": float(o.get(("NZL", 2024), np.nan)),
        "rus_below_isr_years": sum(bool(o.get(("RUS", y), np.nan) < o.get(("ISR", y), np.nan)) for y in years),
        "rus_isr_2024": (float(o.get(("RUS", 2024), np.nan)), float(o.get(("ISR", 2024), np.nan))),
    }
