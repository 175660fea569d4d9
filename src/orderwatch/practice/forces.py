"""Forces hosted: US active-duty personnel (DMDC) and Chinese or Russian bases and access
(a curated list with a source per row), as a position per host state-year.

Scale. Presence is coded on four levels, the same for every power:

=====  ==========================================  =====================================
level  US (DMDC active-duty personnel that year)   China / Russia (data/foreign_presence.csv)
=====  ==========================================  =====================================
0      fewer than 100 (attachés, embassy guards)   nothing on record
1      100 - 999                                    access, outpost or small facility, or
                                                    a base whose personnel the source omits
2      1,000 - 9,999                                base with 1,000 - 9,999 personnel
3      10,000 or more                               10,000 or more
=====  ==========================================  =====================================

Thresholds rather than a log-linear score because the low end of DMDC counts is noise for
this purpose: nearly every embassy has a few dozen US personnel.

    position = (L_us - L_gsi) / (L_us + L_china + L_russia)      strength = max(L) / 3

with L_gsi the level of China's pole (China, plus Russia when ``russia_with_china``); by
default a Russian presence sits in the denominator, on neither pole, as Russian arms do.
The position says whose forces dominate; the strength says how much presence there is,
and scales the component's weight in the combination (positions.py), so a few hundred US
personnel are weak evidence for the US pole rather than a figure of +0.33 that would drag
an ally's score down. Null when no power is present at level 1 or more: hosting nobody is
not evidence of either pole. The interval is ±1/3 (one level of coding uncertainty, not
sampling), clipped to [-1, 1].

Known gaps: DMDC counts omit rotational deployments (troopdata issue 6), so the
Philippines' EDCA rotations and Australia's Darwin Marines are under-counted; the US
bases file is an undated snapshot (Vine 2015) and is shown as evidence, not scored.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

from orderwatch.errors import OrderwatchError
from orderwatch.practice.blocs import gsi_poles

THRESHOLDS = (100, 1_000, 10_000)
METHOD = "presence_levels"
PRESENCE_COLUMNS = ["presence_id", "power", "host_iso3", "site", "kind", "from_year", "to_year", "level",
                    "basis", "source_url", "source_title", "source_date", "note"]


def us_level(troops: pd.Series) -> pd.Series:
    """DMDC active-duty count -> level 0..3."""
    return pd.Series(np.searchsorted(THRESHOLDS, troops.to_numpy(), side="right"), index=troops.index)


@lru_cache(maxsize=1)
def foreign_presence() -> pd.DataFrame:
    """The curated Chinese and Russian bases and access (data/foreign_presence.csv)."""
    with resources.as_file(resources.files("orderwatch.practice") / "data" / "foreign_presence.csv") as p:
        return load_presence(p)


def load_presence(path) -> pd.DataFrame:
    """Read and validate a presence file: one source per row, levels 1-3, sane years."""
    df = pd.read_csv(path, dtype={"source_date": str, "note": str})
    if list(df.columns) != PRESENCE_COLUMNS:
        raise OrderwatchError(f"foreign_presence.csv: columns {list(df.columns)}, expected {PRESENCE_COLUMNS}")
    for i, r in df.iterrows():
        where = f"foreign_presence.csv line {i + 2} ({r.presence_id})"
        if r.power not in ("CHN", "RUS"):
            raise OrderwatchError(f"{where}: power must be CHN or RUS, not {r.power!r}")
        if r.level not in (1, 2, 3):
            raise OrderwatchError(f"{where}: level must be 1, 2 or 3, not {r.level!r}")
        if not str(r.source_url).startswith(("http://", "https://")):
            raise OrderwatchError(f"{where}: source_url is not a web address")
        if pd.notna(r.to_year) and r.to_year < r.from_year:
            raise OrderwatchError(f"{where}: to_year {r.to_year} is before from_year {r.from_year}")
    if df.presence_id.duplicated().any():
        raise OrderwatchError("foreign_presence.csv: duplicate presence_id")
    return df.astype({"from_year": "int64", "to_year": "Int64", "level": "int64"})


def presence_years(presence: pd.DataFrame, last_year: int) -> pd.DataFrame:
    """One row per presence and year it was in force (open-ended rows run to ``last_year``)."""
    rows = []
    for r in presence.itertuples():
        end = last_year if pd.isna(r.to_year) else int(r.to_year)
        rows += [(r.presence_id, r.power, r.host_iso3, y, r.level) for y in range(r.from_year, end + 1)]
    return pd.DataFrame(rows, columns=["presence_id", "power", "iso3", "year", "level"])


def forces_positions(troops: pd.DataFrame, presence: pd.DataFrame, state_years: pd.DataFrame, *,
                     russia_with_china: bool = False) -> pd.DataFrame:
    """Per host state-year: US troops and level, Chinese and Russian levels, position.

    Parameters
    ----------
    troops : DataFrame
        iso3, year, troops_ad (the store's ``us_troops``).
    presence : DataFrame
        ``foreign_presence()``.
    state_years : DataFrame
        iso3, year grid.
    """
    last = int(state_years.year.max())
    out = state_years[["iso3", "year"]].merge(troops[["iso3", "year", "troops_ad"]], how="left", on=["iso3", "year"])
    out["us_level"] = us_level(out.troops_ad.fillna(0)).astype("int64")
    py = presence_years(presence, last)
    for power, col in (("CHN", "china_level"), ("RUS", "russia_level")):
        lv = py[py.power == power].groupby(["iso3", "year"])["level"].max().rename(col)
        out = out.merge(lv, how="left", left_on=["iso3", "year"], right_index=True)
        out[col] = out[col].fillna(0).astype("int64")
    ids = py.groupby(["iso3", "year"]).presence_id.agg(lambda s: ";".join(sorted(s))).rename("presence_ids")
    out = out.merge(ids, how="left", left_on=["iso3", "year"], right_index=True)
    gsi = out.china_level.copy()
    if "russia" in gsi_poles(russia_with_china):
        gsi = np.maximum(gsi, out.russia_level)
    total = out.us_level + out.china_level + out.russia_level
    present = total > 0
    pos = ((out.us_level - gsi) / total.where(present)).where(present)
    out["position"] = pos
    out["strength"] = (np.maximum(out.us_level, np.maximum(out.china_level, out.russia_level)) / 3).where(present)
    out["lo"] = (pos - 1 / 3).clip(-1, 1)
    out["hi"] = (pos + 1 / 3).clip(-1, 1)
    out["n"] = (out.us_level.gt(0).astype(int) + out.presence_ids.fillna("").map(
        lambda s: len(s.split(";")) if s else 0)).astype("int64")
    out["method"] = METHOD
    out["russia_with_china"] = russia_with_china
    return out[["iso3", "year", "position", "lo", "hi", "n", "strength", "troops_ad", "us_level", "china_level",
                "russia_level",
                "presence_ids", "method", "russia_with_china"]]
