"""Downloads for analysts: positions long and wide, with country names, rounded, and a data dictionary.

``/download/positions.csv`` is the combined positions table in long form (one row per
state, year and axis) with ``name_en``/``name_zh`` beside the ISO3 code;
``/download/positions_wide.csv`` has one row per state and year with the four axes side
by side; ``/download/positions_dictionary.csv`` says what every column means. CSV figures
are rounded to 3 decimals (the precision the intervals support); Parquet keeps full
precision.
"""

from __future__ import annotations

import pandas as pd

from orderwatch.observatory import Observatory

CSV_DIGITS = 3
AXIS_ORDER = ("overall", "A1", "A2", "A3")

#: Column -> meaning, for both the long and the wide table (``<axis>_lo`` etc. in the wide one).
DICTIONARY: dict[str, str] = {
    "iso3": "ISO 3166-1 alpha-3 code of the state",
    "name_en": "English short name (orderwatch registry)",
    "name_zh": "Chinese name (orderwatch registry)",
    "group": "Subregion: northeast, southeast, south, central, west, oceania_partner, reference, other",
    "year": "Calendar year",
    "axis": "overall, A1 security logic, A2 who orders the region, A3 blocs or community",
    "position": "Combined position on [-1, 1]: -1 China's Global Security Initiative pole, +1 the US "
                "rules-based-order pole; empty = no evidence (never 0)",
    "lo": "Lower end of the 95% interval of the position",
    "hi": "Upper end of the 95% interval of the position",
    "se": "Standard error of the combined position (streams treated as independent)",
    "n_streams": "How many streams had evidence for this state, year and axis",
    "streams": "Which streams had evidence (words, votes, institutions)",
    "words": "Position from the words stream (speeches, official texts)",
    "votes": "Position from the votes stream (UN General Assembly roll calls)",
    "institutions": "Position from the institutions stream (alliances, minilaterals, SCO/ASEAN mechanisms)",
    "w_words": "Weight the words stream had in this row after renormalisation over the streams present",
    "w_votes": "Weight the votes stream had in this row after renormalisation",
    "w_institutions": "Weight the institutions stream had in this row after renormalisation",
    "weights": "The user weights the table was computed with (default equal)",
    "notes": "Why a stream is missing or needs care, e.g. votes:undl_source (2020+ votes from the UN "
             "Digital Library), words:no_speech",
    "provisional": "True where the figure rests on data that may still change",
    "<axis>": "Wide table: the position on that axis (overall, A1, A2, A3)",
    "<axis>_lo, <axis>_hi": "Wide table: the 95% interval on that axis",
    "<axis>_n_streams": "Wide table: streams with evidence on that axis",
}

LONG_COLUMNS = ["iso3", "name_en", "name_zh", "group", "year", "axis", "position", "lo", "hi", "se", "n_streams",
                "streams", "words", "votes", "institutions", "practice", "w_words", "w_votes", "w_institutions",
                "w_practice", "provisional", "notes"]


def _names(d: Observatory) -> pd.DataFrame:
    reg = d.registry()
    return reg[[c for c in ("iso3", "name_en", "name_zh", "group") if c in reg.columns]].drop_duplicates("iso3")


def positions_long(d: Observatory) -> pd.DataFrame:
    """The combined positions, one row per state-year-axis, with names (full precision)."""

    def build() -> pd.DataFrame:
        pos = d.table("positions")
        out = pos.merge(_names(d), on="iso3", how="left")
        cols = [c for c in LONG_COLUMNS if c in out.columns]
        return out[cols].sort_values(["iso3", "year", "axis"], ignore_index=True)

    return d.memo(("export", "positions_long"), build)


def positions_wide(d: Observatory) -> pd.DataFrame:
    """One row per state-year: ``overall, overall_lo, overall_hi, ..., A3_n_streams`` with names."""

    def build() -> pd.DataFrame:
        pos = d.table("positions")
        cols = [c for c in ("position", "lo", "hi", "n_streams") if c in pos.columns]
        piv = pos.pivot_table(index=["iso3", "year"], columns="axis", values=cols, dropna=False, aggfunc="first")
        flat = pd.DataFrame(index=piv.index)
        for axis in AXIS_ORDER:
            for c in cols:
                if (c, axis) in piv.columns:
                    flat[axis if c == "position" else f"{axis}_{c}"] = piv[(c, axis)]
        flat = flat.reset_index().merge(_names(d), on="iso3", how="left")
        front = [c for c in ("iso3", "name_en", "name_zh", "group", "year") if c in flat.columns]
        return flat[front + [c for c in flat.columns if c not in front]]

    return d.memo(("export", "positions_wide"), build)


def dictionary() -> pd.DataFrame:
    return pd.DataFrame({"column": list(DICTIONARY), "meaning": list(DICTIONARY.values())})


#: Download name -> builder; these take precedence over the raw table of the same name.
EXPORTS = {"positions": positions_long, "positions_wide": positions_wide,
           "positions_dictionary": lambda d: dictionary()}


def rounded(df: pd.DataFrame, digits: int = CSV_DIGITS) -> pd.DataFrame:
    """Float columns rounded (and -0.0 made 0.0) for CSV."""
    out = df.copy()
    floats = out.select_dtypes("floating").columns
    out[floats] = out[floats].round(digits) + 0.0
    return out
