"""The country registry: ISO3 keys with ISO numeric/ISO2, COW and GW codes, names EN/ZH,
UN M49 region and subregion, the seed's groupings and UN membership years.

Every stream keys states by ISO3. ``to_iso3`` accepts any code or name (English or
Chinese, case-insensitive) and raises UnknownCountryError with the closest matches.

Historical quirks (see scripts/build_countries.py for how the table is made):
the Republic of China held China's seat until 25 October 1971 (COW 713, ISO3 TWN);
COW 345 is Yugoslavia until 2006 and Serbia after; COW 678 / 680 are North / South Yemen
until 1990 and 679 unified Yemen.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import pandas as pd

from orderwatch import bundled
from orderwatch.errors import UnknownCountryError, closest

ASIAN_GROUPS = ("northeast", "southeast", "south", "central")
REFERENCE_POWERS = ("USA", "CHN", "RUS")
PRC_SEAT_DATE = dt.date(1971, 10, 25)  # UNGA Res. 2758 (XXVI)
SERBIA_FROM = dt.date(2006, 6, 3)

def covered_states(countries: pd.DataFrame) -> list[str]:
    """The states every stream reports on: current Asian states (registry ``is_asian``),
    the Oceania partners and the reference powers, from a ``countries`` table."""
    mask = countries["is_asian"].fillna(False).astype(bool)
    if "group" in countries.columns:
        mask |= countries["group"].eq("oceania_partner")
    if "historical" in countries.columns:
        mask &= ~countries["historical"].fillna(False).astype(bool)
    return sorted(set(countries.loc[mask, "iso3"]) | set(REFERENCE_POWERS))


# Names people use that the registry's short names don't cover.
ALIASES = {
    "ROK": "KOR", "DPRK": "PRK", "PRC": "CHN", "ROC": "TWN", "UK": "GBR", "US": "USA",
    "AMERICA": "USA", "BURMA": "MMR", "EAST TIMOR": "TLS", "TIMOR LESTE": "TLS",
    "KOREA": "KOR", "SOUTH KOREA": "KOR", "NORTH KOREA": "PRK", "VIET NAM": "VNM",
    "LAO PDR": "LAO", "RUSSIAN FEDERATION": "RUS", "USSR": "RUS", "SOVIET UNION": "RUS",
    "TURKEY": "TUR", "IRAN, ISLAMIC REPUBLIC OF": "IRN", "SYRIAN ARAB REPUBLIC": "SYR",
    "BRUNEI DARUSSALAM": "BRN", "UNITED STATES OF AMERICA": "USA", "CZECH REPUBLIC": "CZE",
    "FEDERAL REPUBLIC OF GERMANY": "DEU", "YEMEN PEOPLE'S REPUBLIC": "YMD",
    "CAPE VERDE": "CPV", "SWAZILAND": "SWZ", "MACEDONIA": "MKD", "IVORY COAST": "CIV",
    "韩国": "KOR", "南朝鲜": "KOR", "朝鲜": "PRK", "日本": "JPN", "美国": "USA", "中国": "CHN",
    "俄罗斯": "RUS", "印度": "IND", "印度尼西亚": "IDN", "印尼": "IDN", "菲律宾": "PHL",
    "越南": "VNM", "巴基斯坦": "PAK", "澳大利亚": "AUS", "新加坡": "SGP", "马来西亚": "MYS",
    "泰国": "THA", "柬埔寨": "KHM", "老挝": "LAO", "缅甸": "MMR", "蒙古": "MNG", "蒙古国": "MNG",
}


@lru_cache(maxsize=1)
def registry() -> pd.DataFrame:
    """The registry as a DataFrame, one row per state (current and historical)."""
    return bundled.read("countries")


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    reg = registry()
    table: dict[str, str] = {}
    for r in reg.itertuples():
        for key in (r.iso3, r.iso2, r.iso_numeric, r.name_en, r.name_zh):
            if isinstance(key, str) and key:
                table.setdefault(key.upper(), r.iso3)
        if pd.notna(r.cow):
            table.setdefault(f"COW:{int(r.cow)}", r.iso3)
    for alias, iso3 in ALIASES.items():
        table[alias.upper()] = iso3
    return table


def to_iso3(query: str | int) -> str:
    """Map an ISO3/ISO2/ISO numeric/COW code or an English or Chinese name to ISO3.

    Integers are COW codes (the convention of the vote and alliance data); digit strings
    are ISO 3166 numeric codes; 'cow:710' names a COW code explicitly.

    >>> to_iso3("Viet Nam"), to_iso3(710), to_iso3("710"), to_iso3("菲律宾"), to_iso3("kor")
    ('VNM', 'CHN', 'ZAF', 'PHL', 'KOR')
    """
    if isinstance(query, (int,)) and not isinstance(query, bool):
        query = f"COW:{query}"
    key = str(query).strip().upper()
    table = _lookup()
    if key in table:
        return table[key]
    if key.isdigit() and key.zfill(3) in table:
        return table[key.zfill(3)]
    raise UnknownCountryError(str(query), suggestions(str(query)))


def suggestions(query: str, n: int = 3) -> list[str]:
    """Closest known codes or names, rendered as 'ISO3 (Name)'."""
    reg = registry().set_index("iso3")
    table = _lookup()
    hits = closest(query.strip().upper(), table.keys(), n=n * 2)
    out: list[str] = []
    for h in hits:
        iso3 = table[h]
        label = f"{iso3} ({reg.at[iso3, 'name_en']})"
        if label not in out:
            out.append(label)
    return out[:n]


@lru_cache(maxsize=1)
def _cow_iso3() -> dict[int, str]:
    """COW code -> ISO3 (345 -> YUG; ``cow_to_iso3`` dates Serbia from 2006)."""
    reg = registry()
    table = {int(c): i for c, i in zip(reg.cow, reg.iso3) if pd.notna(c)}
    table.update({255: "DEU", 260: "DEU", 345: "YUG"})
    return table


def cow_to_iso3(ccode: int, date: dt.date | None = None) -> str | None:
    """ISO3 of a COW code on a date, handling the codes whose state changed over time."""
    if ccode == 345 and date is not None and date >= SERBIA_FROM:
        return "SRB"
    return _cow_iso3().get(int(ccode))


def cow_series_to_iso3(ccode: pd.Series, when: pd.Series) -> pd.Series:
    """``cow_to_iso3`` over columns; ``when`` holds dates, or calendar years (Serbia from 2006)."""
    iso = ccode.astype("int64").map(_cow_iso3())
    cutoff = SERBIA_FROM.year if pd.api.types.is_integer_dtype(when) else SERBIA_FROM
    serbia = (ccode == 345).to_numpy() & (when >= cutoff).to_numpy()
    return iso.where(~serbia, "SRB")


def name(iso3: str, lang: str = "en") -> str:
    reg = registry().set_index("iso3")
    return str(reg.at[iso3, "name_zh" if lang == "zh" else "name_en"])


def asian(focus_only: bool = False) -> list[str]:
    """ISO3 of Asian states (M49 Asia); ``focus_only`` keeps the seed's four subregions."""
    reg = registry()
    mask = reg.is_asian & ~reg.historical
    if focus_only:
        mask &= reg.group.isin(ASIAN_GROUPS)
    return sorted(reg.loc[mask, "iso3"])


def group(name: str) -> list[str]:
    """ISO3 of a seed grouping: northeast, southeast, south, central, west, oceania_partner."""
    reg = registry()
    if name not in set(reg.group):
        raise UnknownCountryError(name, closest(name, sorted(set(reg.group))))
    return sorted(reg.loc[(reg.group == name) & ~reg.historical, "iso3"])


def observed() -> list[str]:
    """The states every stream reports on: current Asian states (M49 Asia), the seed's
    Oceania partners (AUS, NZL, PNG) and the reference powers (USA, CHN, RUS)."""
    reg = registry()
    mask = ((reg.is_asian | (reg.group == "oceania_partner")) & ~reg.historical) | reg.is_reference
    return sorted(reg.loc[mask, "iso3"])
