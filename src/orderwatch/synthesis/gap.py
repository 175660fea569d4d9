"""The say-do gap: where a state's words and its deeds point different ways.

*Say* is the words stream (General Debate speeches and other texts). *Do* is what the
state does: its UN votes, its institutional commitments and its practice (when the
practice stream exists; absent is missing, never 0), combined with
renormalised weights (equal by default) exactly as in
:func:`orderwatch.synthesis.combine.combine`. The gap is ``say - do`` on the common
[-1, 1] scale: negative when the state *talks* closer to China's GSI pole than it
*acts*, positive when it talks closer to the US pole than it acts.

A gap is flagged ``significant`` when its interval (independent errors, so
:math:`s_{gap} = \\sqrt{s_{say}^2 + s_{do}^2}`) excludes 0, and ``opposite_sides`` when
say and do sit on opposite sides of the midpoint. The evidence from each side (point,
interval, number of units, method) travels with every row.

References
----------
Bailey, M. A., Strezhnev, A. & Voeten, E. (2017). Estimating dynamic state preferences
from United Nations voting data. *Journal of Conflict Resolution*, 61(2), 430-456
(votes as revealed preferences, as opposed to declaratory statements).
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from orderwatch.synthesis.combine import KEYS, combine, z_value
from orderwatch.synthesis.weights import validate_weights

GAP_COLUMNS = [
    "iso3", "year", "axis", "say", "say_lo", "say_hi", "say_n", "say_method",
    "do", "do_lo", "do_hi", "do_streams", "votes", "institutions", "practice",
    "gap", "gap_lo", "gap_hi", "significant", "opposite_sides", "direction",
]


def say_do_gap(
    wide: pd.DataFrame,
    do_weights: Mapping[str, float] | None = None,
    level: float = 0.95,
    threshold: float = 0.0,
) -> pd.DataFrame:
    """Say-do gap per state-year-axis where both sides have evidence.

    Parameters
    ----------
    wide : DataFrame from :func:`orderwatch.synthesis.combine.stream_wide`
    do_weights : weights of ``votes``, ``institutions`` and ``practice`` in the *do*
        side (equal by default); ``words`` is ignored here.
    level : interval level
    threshold : minimum ``|gap|`` for a row to be called a gap in ``direction``

    Returns
    -------
    DataFrame
        Columns :data:`GAP_COLUMNS`. ``direction`` is ``says_more_gsi`` (talks closer
        to the GSI pole than it acts), ``says_more_us`` or ``consistent``.
    """
    dw = dict(do_weights or {"votes": 1.0, "institutions": 1.0, "practice": 1.0})
    dw["words"] = 0.0
    dw = validate_weights(dw)
    if len(wide) == 0:
        return pd.DataFrame(columns=GAP_COLUMNS)
    do = combine(wide, dw, level=level)
    out = wide[KEYS].copy()
    z = z_value(level)
    out["say"] = pd.to_numeric(wide["words"], errors="coerce")
    out["say_lo"] = pd.to_numeric(wide["words_lo"], errors="coerce")
    out["say_hi"] = pd.to_numeric(wide["words_hi"], errors="coerce")
    out["say_n"] = wide["words_n"]
    out["say_method"] = wide["words_method"]
    out["do"] = do["position"].to_numpy()
    out["do_lo"] = do["lo"].to_numpy()
    out["do_hi"] = do["hi"].to_numpy()
    out["do_streams"] = do["streams"].to_numpy()
    out["votes"] = pd.to_numeric(wide["votes"], errors="coerce")
    out["institutions"] = pd.to_numeric(wide["institutions"], errors="coerce")
    out["practice"] = pd.to_numeric(wide["practice"], errors="coerce") if "practice" in wide.columns else np.nan
    out = out[out["say"].notna() & out["do"].notna()].copy()
    se_say = (out["say_hi"] - out["say_lo"]) / (2 * z)
    se_do = do.loc[out.index, "se"]
    se_gap = np.sqrt(se_say**2 + se_do**2)
    out["gap"] = out["say"] - out["do"]
    out["gap_lo"] = out["gap"] - z * se_gap
    out["gap_hi"] = out["gap"] + z * se_gap
    out["significant"] = (out["gap_lo"] > 0) | (out["gap_hi"] < 0)
    out["opposite_sides"] = np.sign(out["say"]) * np.sign(out["do"]) < 0
    big = out["gap"].abs() > threshold
    out["direction"] = np.where(
        big & out["significant"] & (out["gap"] < 0), "says_more_gsi",
        np.where(big & out["significant"] & (out["gap"] > 0), "says_more_us", "consistent"),
    )
    return out[GAP_COLUMNS].sort_values(KEYS, ignore_index=True)


def gap_evidence(row: Mapping) -> dict:
    """The evidence behind one gap row: each side's figure, interval, size and method."""
    return {
        "say": {"stream": "words", "position": row.get("say"),
                "interval": [row.get("say_lo"), row.get("say_hi")],
                "n": row.get("say_n"), "method": row.get("say_method")},
        "do": {"streams": row.get("do_streams"), "position": row.get("do"),
               "interval": [row.get("do_lo"), row.get("do_hi")],
               "votes": row.get("votes"), "institutions": row.get("institutions"),
               "practice": row.get("practice")},
    }
