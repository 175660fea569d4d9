"""Country names for every entry point, and the labels the surfaces print.

:func:`resolve` accepts what a user types (ISO3, ISO2, a COW code, an English or Chinese
name) and returns the ISO3 code through :func:`orderwatch.countries.to_iso3`; an unknown
name raises :class:`UnknownCountry` naming it with close matches. The CLI, the web, the
reports, the Python API (``Observatory.profile``, ``ow.plot.country``) all resolve here.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from orderwatch import countries
from orderwatch.errors import UnknownCountryError
from orderwatch.schema import COMBINED_TABLE, STREAM_TABLES

#: Which table holds each source of positions: the synthesis' combined table, then the streams.
SOURCES: dict[str, str] = {"combined": COMBINED_TABLE, **STREAM_TABLES}
SOURCE_LABELS = {
    "combined": "Combined (synthesis)",
    "words": "Words (texts)",
    "votes": "Votes (UNGA)",
    "institutions": "Institutions",
    "practice": "Practice",
}
AXIS_LABELS: dict[str, str] = {
    "overall": "Overall",
    "A1": "A1 security logic",
    "A2": "A2 who orders the region",
    "A3": "A3 blocs or community",
}
#: Subregion filters offered on the map (registry ``group`` values).
GROUPS: dict[str, str] = {
    "northeast": "Northeast Asia",
    "southeast": "Southeast Asia",
    "south": "South Asia",
    "central": "Central Asia",
    "west": "West Asia",
}


class UnknownCountry(UnknownCountryError, LookupError):
    """A state the registry does not know (a one-line error in the CLI, a 404 on the web)."""


def resolve(query: str | int) -> str:
    """ISO3 code of a state given by ISO3, ISO2, COW code or an English or Chinese name.

    >>> resolve("Philippines"), resolve("ph"), resolve("菲律宾"), resolve("VNM")
    ('PHL', 'PHL', 'PHL', 'VNM')
    >>> resolve("Philipines")
    Traceback (most recent call last):
    ...
    orderwatch.observatory.names.UnknownCountry: unknown country 'Philipines'; did you mean PHL (Philippines), CHL (Chile), PSE (Palestine)?
    """
    try:
        return countries.to_iso3(query)
    except UnknownCountryError as exc:
        raise UnknownCountry(exc.query, exc.suggestions) from None


def _iso_numeric(v: Any) -> str | None:
    if v is None or (not isinstance(v, str) and pd.isna(v)):
        return None
    if isinstance(v, (int, np.integer)) or str(v).isdigit():
        return str(int(v)).zfill(3)
    return str(v)


def registry_frame(stored: pd.DataFrame | None) -> pd.DataFrame:
    """The registry (the store's ``countries`` table, else the bundled one) with zero-padded
    ISO numeric codes (the map's keys) and ``is_asian``."""
    df = stored if stored is not None else countries.registry()
    df = df.copy()
    if "iso_numeric" in df:
        df["iso_numeric"] = df["iso_numeric"].map(_iso_numeric)
    if "is_asian" not in df:
        df["is_asian"] = df.get("group", pd.Series(dtype=str)).isin(list(GROUPS))
    return df.reset_index(drop=True)
