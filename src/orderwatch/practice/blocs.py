"""Which pole a partner state belongs to in a year: the US, a US treaty ally, China,
Russia, or neither.

The US pole is the United States itself (and NATO as an organisation, which SIPRI lists as a
supplier). Its treaty allies form a separate group, ``ally``: the states bound to the US by a
collective-defence treaty in force that year:

- NATO members from their accession (France counts throughout: it left the integrated
  command 1966-2009 but never the treaty);
- the Asia-Pacific treaties: Japan (Security Treaty, in force 1952), the Philippines (Mutual
  Defense Treaty, 1952), Australia and New Zealand (ANZUS, 1952; the US suspended its
  obligations to New Zealand in 1986), South Korea (Mutual Defense Treaty, 1954), Thailand
  and Pakistan (Manila Pact, 1955; Pakistan left SEATO in 1973), Taiwan (US-ROC Mutual
  Defense Treaty, 1955-1979).

The Rio Treaty (1947) is left out on purpose: it is a hemispheric pact whose parties
include states that sell arms to Asia without any US alignment (Brazil is a BRICS member),
and several parties have left it.

Why allies are not the US pole (arms; ``allies_with_us=True`` restores the old rule). A
supplier's alignment is the supplier's, not the buyer's: buying French submarines, Korean
jets or Turkish drones does not tie a buyer to Washington's security logic the way US arms do
(US spares, training, end-use monitoring and export-control leverage), and Southeast Asian
governments say they buy from European and Korean firms precisely to avoid depending on
either great power. The allies also sell across the alignment spectrum (SIPRI, 1995-2024:
Ukraine 28 %, Turkey 18 %, Sweden 14 %, Italy 8 % of their Asian deliveries went to
China's closest partners, against 2 % for the US). So a third country's deliveries are
neutral evidence, counted in the denominator like Israel's or India's.

China's pole is China; Russia (with the Soviet Union
before 1992) is its own pole unless the user counts it with China's
(``russia_with_china=True``). Everyone else, non-state suppliers and unknown suppliers
are 'other': they enter denominators but neither pole.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# state -> (first year, last year) of the treaty tie; None = still in force
NATO = {
    **{s: (1949, None) for s in ("BEL", "CAN", "DNK", "FRA", "ISL", "ITA", "LUX", "NLD", "NOR", "PRT", "GBR")},
    "GRC": (1952, None), "TUR": (1952, None), "DEU": (1955, None), "ESP": (1982, None),
    **{s: (1999, None) for s in ("CZE", "HUN", "POL")},
    **{s: (2004, None) for s in ("BGR", "EST", "LVA", "LTU", "ROU", "SVK", "SVN")},
    "ALB": (2009, None), "HRV": (2009, None), "MNE": (2017, None), "MKD": (2020, None),
    "FIN": (2023, None), "SWE": (2024, None),
}
ASIA_PACIFIC = {
    "JPN": (1952, None), "PHL": (1952, None), "AUS": (1952, None), "NZL": (1952, 1986),
    "KOR": (1954, None), "THA": (1955, None), "PAK": (1955, 1973), "TWN": (1955, 1979),
}
US_ALLIES = {**NATO, **ASIA_PACIFIC}
# organisations SIPRI lists as suppliers
NON_STATE_POLES = {"NATO**": "us"}
SUPPLIER_BLOCS = ("us", "ally", "china", "russia", "other")


def is_us_ally(iso3: str | None, year: int) -> bool:
    """True when ``iso3`` is the US or a US treaty ally in ``year`` (exercises' partners)."""
    if iso3 == "USA":
        return True
    span = US_ALLIES.get(iso3 or "")
    return span is not None and span[0] <= year and (span[1] is None or year <= span[1])


def pole(iso3: str | None, year: int, supplier_name: str | None = None) -> str:
    """'us', 'ally', 'china', 'russia' or 'other' for a partner in a year."""
    if iso3 is None and supplier_name in NON_STATE_POLES:
        return NON_STATE_POLES[supplier_name]
    if iso3 == "USA":
        return "us"
    if is_us_ally(iso3, year):
        return "ally"
    if iso3 == "CHN":
        return "china"
    if iso3 == "RUS":
        return "russia"
    return "other"


def pole_series(iso3: pd.Series, year: pd.Series, names: pd.Series | None = None) -> pd.Series:
    """``pole`` over columns (vectorised over the few distinct partner-years)."""
    names = names if names is not None else pd.Series("", index=iso3.index)
    keys = pd.DataFrame({"i": iso3.fillna("").astype(str), "y": year.astype("int64"),
                         "n": names.fillna("").astype(str)})
    table = {(i, y, n): pole(i or None, y, n or None) for i, y, n in keys.drop_duplicates().itertuples(index=False)}
    return pd.Series([table[k] for k in keys.itertuples(index=False, name=None)], index=iso3.index)


def us_poles(allies_with_us: bool) -> tuple[str, ...]:
    """The supplier groups counted on the US side (+1)."""
    return ("us", "ally") if allies_with_us else ("us",)


def gsi_poles(russia_with_china: bool) -> tuple[str, ...]:
    """The poles counted on China's side (−1)."""
    return ("china", "russia") if russia_with_china else ("china",)


def widen(position: float, interval: np.ndarray, n: int) -> tuple[float, float]:
    """Bootstrap interval widened to at least ``position ± 3/n`` (clipped to [-1, 1]).

    Resampling cannot show what the sample lacks: with n units all from one pole the
    bootstrap interval has zero width. By the rule of three, up to 3/n of such units
    could come from elsewhere (95%), so the interval is never narrower than that.
    """
    floor = 3.0 / n
    return (float(max(-1.0, min(interval[0], position - floor))),
            float(min(1.0, max(interval[1], position + floor))))
