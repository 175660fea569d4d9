"""Which ties drive a state-year's institutions figure: the evidence behind one position.

``why(tie_table, iso3, year, axis)`` recomputes the position from the ties exactly as
``measures.positions`` does and splits it into additive contributions::

    position = sum_j sign_j * weight_j / (W + K)      K = 1.5 + prior_neutral

so each tie's ``contribution`` is sign * weight / (W + K) and the contributions add up to
the position (the prior's pull towards 0 is the rest). Ties that enter with weight 0 (a
regional framework of the organisation, a second declaration of the same occasion) are
listed with the reason in ``note``. The return shape is documented in docs/institutions.md
(the web's country page renders it).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from orderwatch.errors import OrderwatchError
from orderwatch.institutions.measures import PRIOR_NEUTRAL, alignment, pole_weights, weigh
from orderwatch.schema import AXES

TIE_FIELDS = ("arrangement_id", "name", "type", "pole", "sign", "depth", "weight", "contribution", "axes",
              "origin", "note", "source_citation", "source_url")


def why(tie_table: pd.DataFrame, iso3: str, year: int, axis: str = "overall",
        prior_neutral: float = PRIOR_NEUTRAL, russia_with_china: bool = False) -> dict[str, Any]:
    """The evidence behind one institutions position, largest contribution first.

    Parameters
    ----------
    tie_table : DataFrame
        ``institutions_ties`` (output of ``measures.ties``).
    iso3, year, axis : the cell; axis in 'A1', 'A2', 'A3', 'overall'.
    prior_neutral, russia_with_china : as in ``measures.positions``.

    Returns
    -------
    dict
        iso3, year, axis, position (None without ties), lo, hi, n, method, prior_neutral,
        russia_with_china, weights {us, china, neither}, prior_share (the part of the
        denominator that is prior), ties (list of dicts with TIE_FIELDS) and warnings.
    """
    if axis not in AXES:
        raise OrderwatchError(f"unknown axis {axis!r}; use one of {', '.join(AXES)}")
    t = tie_table[(tie_table["iso3"] == iso3) & (tie_table["year"] == int(year))]
    w = weigh(t, axis, russia_with_china)
    pw = pole_weights(w)
    us, cn, z = (float(pw[c].sum()) if len(pw) else 0.0 for c in ("w_us", "w_cn", "w_0"))
    pos, lo, hi = alignment(np.array([us]), np.array([cn]), np.array([z]), prior_neutral)
    denom = us + cn + z + 1.5 + prior_neutral
    w = w.assign(contribution=w["sign"] * w["weight"] / denom)
    w = w.reindex(w["contribution"].abs().sort_values(ascending=False, kind="stable").index)
    ties = []
    for r in w.itertuples():
        row = {f: getattr(r, f, None) for f in TIE_FIELDS}
        row["axes"] = str(row["axes"]).split(",")
        for f in ("sign", "weight", "contribution"):
            row[f] = float(row[f]) + 0.0  # no -0.0 in the output
        row["depth"] = int(row["depth"])
        row["note"] = row["note"] or None
        ties.append(row)
    has = not np.isnan(pos[0])
    warnings = [] if has else [f"no arrangement on {axis} for {iso3} in {year}: no evidence (null)"]
    if has and all(x["weight"] == 0 or x["depth"] <= 1 for x in ties):
        warnings.append("rests only on declarations and dialogue forums (depth 1): thin evidence")
    return {
        "iso3": iso3, "year": int(year), "axis": axis,
        "position": float(pos[0]) if has else None,
        "lo": float(lo[0]) if has else None, "hi": float(hi[0]) if has else None,
        "n": int(pw["n"].sum()) if len(pw) else 0, "method": "network",
        "prior_neutral": float(prior_neutral), "russia_with_china": bool(russia_with_china),
        "weights": {"us": us, "china": cn, "neither": z},
        "prior_share": (1.5 + prior_neutral) / denom,
        "ties": ties, "warnings": warnings,
    }
