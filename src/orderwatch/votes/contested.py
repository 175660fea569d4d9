"""Contested UN seats: votes cast by a delegation the government in power does not control.

After a change of government by force, the General Assembly's Credentials Committee may
defer a decision on the competing credentials; the seat then stays with the delegation of
the ousted government. Its votes express that delegation's position, not the position of
the government that rules the state, so orderwatch does not attribute them to the state
from the date power changed hands: they are dropped (missing, never 0) from every votes
model, and the synthesis flags the state-years ``contested_seat``.

==== ========== =====================================================================
iso3 from       why
==== ========== =====================================================================
MMR  2021-02-01 military coup; the seat stayed with Ambassador Kyaw Moe Tun (appointed by
                the ousted civilian government); the Credentials Committee deferred the
                competing claims (A/76/550, Dec 2021) and has deferred them every year since
AFG  2021-08-15 the Taliban took Kabul; the seat stayed with the Islamic Republic's
                delegation; the Credentials Committee deferred the competing claims
                (A/76/550, Dec 2021) and has deferred them every year since
==== ========== =====================================================================

Votes before the date (e.g. Myanmar in January 2021) are kept: they were cast by the
government then in power.
"""

from __future__ import annotations

import pandas as pd

#: iso3 -> first date whose votes are not attributed to the government in power.
CONTESTED_SEATS: dict[str, str] = {"MMR": "2021-02-01", "AFG": "2021-08-15"}


def contested_mask(iso3: pd.Series, dates: pd.Series) -> pd.Series:
    """True where a vote (state, date) was cast from a contested seat."""
    d = pd.to_datetime(dates)
    out = pd.Series(False, index=iso3.index)
    for iso, since in CONTESTED_SEATS.items():
        out |= (iso3 == iso) & (d >= pd.Timestamp(since))
    return out


def contested_years() -> dict[str, int]:
    """iso3 -> first calendar year in which some votes come from a contested seat."""
    return {iso: int(since[:4]) for iso, since in CONTESTED_SEATS.items()}
