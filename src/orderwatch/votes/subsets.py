"""Which roll calls speak to what: Voeten's six issue codes, important votes, security, axes.

Voeten's data (1946–2019) flags six issues per roll call. The UN Digital Library records
(2020–2025) carry no flags, so where a flag is missing it is *inferred from the title* by
the keyword rules below, and :func:`issue_flags` says which flags were inferred. On
Voeten's own roll calls of sessions 60–74 the inferred flags can be checked against the
coded ones (docs/votes.md gives the agreement).

The **security** subset (issue text of orderwatch issue 3) is: nuclear weapons (``nu``) or
arms control (``di``), plus roll calls whose short title, description or title mentions the
Korean peninsula, Ukraine/Crimea, the wars in the Middle East (Syria, Iraq/Kuwait, Lebanon,
Gaza, the Golan, Yemen, "the situation in the Middle East"), Afghanistan, Myanmar, the law
of the sea, outer space or terrorism (:data:`SECURITY_PATTERN`).

Axis subsets follow ../shared/AXES.md:

A1 security logic
    nuclear weapons and arms control (``nu`` or ``di``).
A2 who orders the region
    law of the sea, human rights (``hr``) and country-specific resolutions (a named
    state's situation: the non-interference question).
A3 blocs or community
    resolutions that split the blocs: Ukraine/Crimea, sanctions and unilateral coercive
    measures or embargoes, country situations, plus every roll call on which the United
    States and China cast opposite votes (yes against no).
overall
    every roll call.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from orderwatch.schema import AXES

ISSUES = ("me", "nu", "di", "hr", "co", "ec")
ISSUE_NAMES = {
    "me": "Palestinian conflict",
    "nu": "nuclear weapons and nuclear material",
    "di": "arms control and disarmament",
    "hr": "human rights",
    "co": "colonialism",
    "ec": "economic development",
}
SUBSETS = ("all", "security", "important") + ISSUES

# Keyword rules that infer Voeten's issue codes from a title (used only where a flag is
# missing, i.e. the 2020–2025 UN Digital Library records).
ISSUE_PATTERNS = {
    "me": r"palestin|israel|jerusalem|unrwa|golan|occupied arab|occupied territor",
    "nu": r"nuclear|fissile|fissionable|atomic",
    "di": r"disarm|\barms\b|weapon|missile|ammunition|non-?proliferation|outer space",
    "hr": r"human rights|torture|racism|racial|discrimination|rights of (?:the )?(?:child|women|indigenous|persons)"
    r"|death penalty|extrajudicial|genocide|xenophobia|right to (?:food|development)",
    "co": r"colonial|non-self-governing|self-determination|trust territor|namibia|western sahara",
    "ec": r"econom|development|\btrade\b|financ|\bdebt\b|poverty|sustainable|agricultur|embargo|coercive",
}

SECURITY_PATTERN = (
    r"korea|dprk|ukrain|crimea|sevastopol|syria|\biraq|kuwait|lebanon|gaza|golan|yemen"
    r"|middle east|afghan|myanmar|burma|rohingya|law of the sea|oceans|sea-?bed|outer space"
    r"|terroris"
)
COUNTRY_SITUATION_PATTERN = (
    r"situation (?:of human rights )?in |situation of human rights of|human rights in (?:the )?(?:islamic republic|democratic people|syrian|myanmar"
    r"|belarus|crimea|iran|occupied)|(?:temporarily )?occupied territories of ukraine"
)
LAW_OF_SEA_PATTERN = r"law of the sea|oceans|sea-?bed|maritime|fisheries|fish stocks"
BLOC_PATTERN = (
    r"ukrain|crimea|sevastopol|sanction|coercive measures|embargo|aggression against"
)


def _text(roll_calls: pd.DataFrame) -> pd.Series:
    """Short title, description, title and resolution symbol joined, lower case."""
    parts = [roll_calls[c].fillna("").astype(str) for c in ("short", "descr", "title") if c in roll_calls]
    if not parts:
        return pd.Series("", index=roll_calls.index)
    text = parts[0]
    for p in parts[1:]:
        text = text + " | " + p
    return text


def _match(text: pd.Series, pattern: str, case: bool = False) -> np.ndarray:
    return text.str.contains(pattern, flags=0 if case else re.IGNORECASE, regex=True).to_numpy(dtype=bool)


def issue_flags(roll_calls: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The six issue flags per roll call, inferring missing ones from the title.

    Parameters
    ----------
    roll_calls : DataFrame
        Store ``roll_calls`` rows (``me`` ... ``ec`` may be null or absent).

    Returns
    -------
    flags : DataFrame of bool
        Columns ``me, nu, di, hr, co, ec`` in the row order of ``roll_calls``.
    inferred : DataFrame of bool
        True where the flag came from the keyword rule instead of Voeten's coding.
    """
    text = _text(roll_calls)
    flags, inferred = {}, {}
    # The store writes False, not null, for the uncoded 2020-2025 records: treat every
    # non-Voeten row as uncoded.
    uncoded = (roll_calls["source"] != "voeten").to_numpy() if "source" in roll_calls else False
    for code in ISSUES:
        coded = roll_calls[code] if code in roll_calls else pd.Series(pd.NA, index=roll_calls.index)
        missing = coded.isna().to_numpy() | uncoded
        guess = _match(text, ISSUE_PATTERNS[code])
        known = coded.where(~coded.isna(), False).astype(bool).to_numpy()
        flags[code] = np.where(missing, guess, known)
        inferred[code] = missing
    return pd.DataFrame(flags, index=roll_calls.index), pd.DataFrame(inferred, index=roll_calls.index)


def subset_mask(roll_calls: pd.DataFrame, subset: str = "all") -> np.ndarray:
    """Boolean mask of the roll calls in a named subset.

    Parameters
    ----------
    roll_calls : DataFrame
        Store ``roll_calls`` rows.
    subset : str
        ``all``, ``security``, ``important`` (where Voeten flags it, sessions 38–72) or one
        of the six issue codes ``me nu di hr co ec``.
    """
    subset = subset.lower()
    if subset == "all":
        return np.ones(len(roll_calls), dtype=bool)
    if subset == "important":
        if "importantvote" not in roll_calls:
            return np.zeros(len(roll_calls), dtype=bool)
        return roll_calls["importantvote"].fillna(False).astype(bool).to_numpy()
    flags, _ = issue_flags(roll_calls)
    if subset in ISSUES:
        return flags[subset].to_numpy()
    if subset == "security":
        return flags["nu"].to_numpy() | flags["di"].to_numpy() | _match(_text(roll_calls), SECURITY_PATTERN)
    raise ValueError(f"unknown roll-call subset {subset!r}; choose from {', '.join(SUBSETS)}")


def axis_masks(roll_calls: pd.DataFrame, pole_split: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Boolean masks of the roll calls that speak to each axis (see the module docstring).

    Parameters
    ----------
    roll_calls : DataFrame
        Store ``roll_calls`` rows.
    pole_split : ndarray of bool, optional
        Roll calls on which the two poles voted yes against no; joins the A3 subset.

    Returns
    -------
    dict
        ``{'A1': mask, 'A2': mask, 'A3': mask, 'overall': mask}``.
    """
    flags, _ = issue_flags(roll_calls)
    text = _text(roll_calls)
    country = _match(text, COUNTRY_SITUATION_PATTERN)
    a3 = country | _match(text, BLOC_PATTERN)
    if pole_split is not None:
        a3 = a3 | np.asarray(pole_split, dtype=bool)
    return {
        "A1": flags["nu"].to_numpy() | flags["di"].to_numpy(),
        "A2": flags["hr"].to_numpy() | country | _match(text, LAW_OF_SEA_PATTERN),
        "A3": a3,
        "overall": np.ones(len(roll_calls), dtype=bool),
    }


def axis_mask(roll_calls: pd.DataFrame, axis: str, pole_split: np.ndarray | None = None) -> np.ndarray:
    """Boolean mask of the roll calls of one axis (see :func:`axis_masks`)."""
    if axis not in AXES:
        raise ValueError(f"unknown axis {axis!r}; choose from {', '.join(AXES)}")
    return axis_masks(roll_calls, pole_split)[axis]
