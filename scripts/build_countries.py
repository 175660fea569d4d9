"""Build the country registry (src/orderwatch/bundled/countries.parquet).

Run by scripts/vendor.py after the sources are vendored. Inputs: the COW<->ISO3 crosswalk,
the countries that appear in the UNGA votes, pycountry (ISO numbers and zh_CN names), and
the UN M49 subregions written out below (M49 is published as a table; it has no package).

Quirks handled here, and tested in tests/test_countries.py:
- COW 345 is Yugoslavia until 2006 and Serbia after: registry keeps both YUG and SRB.
- COW 678 is the Yemen Arab Republic (YAR), 680 the People's Democratic Republic of Yemen
  (YMD), 679 unified Yemen (YEM); the shared crosswalk maps both 678 and 680 to 'YAR'.
- COW 710 is the PRC (CHN); the Republic of China held China's UN seat until
  25 Oct 1971 and appears as COW 713 (TWN) in the vote data.
- Gleditsch-Ward codes come from the GW<->COW panel, not country_converter (whose GW codes
  for Vietnam and Yemen are wrong and which crashes on import under pandas 3).
"""

from __future__ import annotations

import gettext

import pandas as pd
import pycountry

M49 = {
    "Africa": {
        "Eastern Africa": "BDI COM DJI ERI ETH KEN MDG MWI MUS MOZ RWA SYC SOM SSD UGA TZA ZMB ZWE ZZB",
        "Middle Africa": "AGO CMR CAF TCD COG COD GNQ GAB STP",
        "Northern Africa": "DZA EGY LBY MAR SDN TUN",
        "Southern Africa": "BWA SWZ LSO NAM ZAF",
        "Western Africa": "BEN BFA CPV CIV GMB GHA GIN GNB LBR MLI MRT NER NGA SEN SLE TGO",
    },
    "Americas": {
        "Caribbean": "ATG BHS BRB CUB DMA DOM GRD HTI JAM KNA LCA VCT TTO",
        "Central America": "BLZ CRI SLV GTM HND MEX NIC PAN",
        "South America": "ARG BOL BRA CHL COL ECU GUY PRY PER SUR URY VEN",
        "Northern America": "CAN USA",
    },
    "Asia": {
        "Eastern Asia": "CHN JPN MNG PRK KOR TWN",
        "South-eastern Asia": "BRN KHM IDN LAO MYS MMR PHL SGP THA TLS VNM",
        "Southern Asia": "AFG BGD BTN IND IRN MDV NPL PAK LKA",
        "Central Asia": "KAZ KGZ TJK TKM UZB",
        "Western Asia": "ARM AZE BHR CYP GEO IRQ ISR JOR KWT LBN OMN QAT SAU PSE SYR TUR ARE YEM YAR YMD",
    },
    "Europe": {
        "Eastern Europe": "BLR BGR CZE HUN POL MDA ROU RUS SVK UKR CSK",
        "Northern Europe": "DNK EST FIN ISL IRL LVA LTU NOR SWE GBR",
        "Southern Europe": "ALB AND BIH HRV GRC ITA MLT MNE MKD PRT SMR SRB SVN ESP YUG VAT",
        "Western Europe": "AUT BEL FRA DEU LIE LUX MCO NLD CHE DDR",
    },
    "Oceania": {
        "Australia and New Zealand": "AUS NZL",
        "Melanesia": "FJI PNG SLB VUT",
        "Micronesia": "KIR MHL FSM NRU PLW",
        "Polynesia": "WSM TON TUV",
    },
}

# The seed's groupings (subregions of Asia, the Oceania partners, reference powers).
GROUP_OF_SUBREGION = {
    "Eastern Asia": "northeast", "South-eastern Asia": "southeast", "Southern Asia": "south",
    "Central Asia": "central", "Western Asia": "west",
}
OCEANIA_PARTNERS = {"AUS", "NZL", "PNG"}
REFERENCE_POWERS = {"USA", "CHN", "RUS"}

# States with no current ISO 3166 entry, or whose ISO name is not a neutral short name.
SPECIAL = {
    "YUG": ("Yugoslavia", "南斯拉夫", None, "YU", 345),
    "SRB": ("Serbia", "塞尔维亚", "688", "RS", 345),
    "CSK": ("Czechoslovakia", "捷克斯洛伐克", None, "CS", 315),
    "DDR": ("German Democratic Republic", "民主德国", None, "DD", 265),
    "YAR": ("Yemen Arab Republic", "阿拉伯也门共和国", None, None, 678),
    "YMD": ("People's Democratic Republic of Yemen", "也门民主人民共和国", None, "YD", 680),
    "YEM": ("Yemen", "也门", "887", "YE", 679),
    "ZZB": ("Zanzibar", "桑给巴尔", None, None, 511),
    "TWN": ("Taiwan (Republic of China)", "台湾", "158", "TW", 713),
    "CHN": ("China", "中国", "156", "CN", 710),
    "KOR": ("South Korea", "韩国", "410", "KR", 732),
    "PRK": ("North Korea", "朝鲜", "408", "KP", 731),
    "LAO": ("Laos", "老挝", "418", "LA", 812),
    "VNM": ("Vietnam", "越南", "704", "VN", 816),
    "IRN": ("Iran", "伊朗", "364", "IR", 630),
    "SYR": ("Syria", "叙利亚", "760", "SY", 652),
    "RUS": ("Russia", "俄罗斯", "643", "RU", 365),
    "USA": ("United States", "美国", "840", "US", 2),
    "GBR": ("United Kingdom", "英国", "826", "GB", 200),
    "BRN": ("Brunei", "文莱", "096", "BN", 835),
    "TLS": ("Timor-Leste", "东帝汶", "626", "TL", 860),
    "MDA": ("Moldova", "摩尔多瓦", "498", "MD", 359),
    "TZA": ("Tanzania", "坦桑尼亚", "834", "TZ", 510),
    "BOL": ("Bolivia", "玻利维亚", "068", "BO", 145),
    "VEN": ("Venezuela", "委内瑞拉", "862", "VE", 101),
    "PSE": ("Palestine", "巴勒斯坦", "275", "PS", None),
    "FSM": ("Micronesia", "密克罗尼西亚联邦", "583", "FM", 987),
    "COD": ("DR Congo", "刚果（金）", "180", "CD", 490),
    "COG": ("Congo", "刚果（布）", "178", "CG", 484),
    "CIV": ("Côte d'Ivoire", "科特迪瓦", "384", "CI", 437),
    "TUR": ("Türkiye", "土耳其", "792", "TR", 640),
    "CZE": ("Czechia", "捷克", "203", "CZ", 316),
    "MKD": ("North Macedonia", "北马其顿", "807", "MK", 343),
    "SWZ": ("Eswatini", "斯威士兰", "748", "SZ", 572),
    "VAT": ("Holy See", "梵蒂冈", "336", "VA", None),  # not in the COW system; 325 is Italy
}


def build(cow_iso3: pd.DataFrame, gw_cow: pd.DataFrame, vote_years: pd.DataFrame) -> pd.DataFrame:
    """Registry rows for every state in M49 above, with codes, names and UN membership years.

    ``vote_years`` has iso3, first, last: the years a state cast any vote (yes, no, abstain
    or recorded absence) in the UNGA data; that is the membership span the tool uses.
    """
    zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    cow_of = {r.iso3c: int(r.ccode) for r in cow_iso3.itertuples() if isinstance(r.iso3c, str)}
    # Latest GW code for each COW code (GW differs for e.g. Germany 260/255, Yemen 678/679).
    gw_latest = gw_cow.dropna(subset=["ccode", "gwcode"]).sort_values("year").groupby("ccode").gwcode.last()
    years = vote_years.set_index("iso3")
    rows = []
    for region, subs in M49.items():
        for sub, codes in subs.items():
            for iso3 in codes.split():
                c = pycountry.countries.get(alpha_3=iso3)
                name = getattr(c, "common_name", None) or (c.name if c else None)
                name_zh = zh.gettext(c.name) if c else None
                numeric, iso2, cow = (c.numeric if c else None), (c.alpha_2 if c else None), cow_of.get(iso3)
                if iso3 in SPECIAL:
                    name, name_zh, numeric, iso2, cow = SPECIAL[iso3]
                group = GROUP_OF_SUBREGION.get(sub, "other")
                if iso3 in OCEANIA_PARTNERS:
                    group = "oceania_partner"
                first = years["first"].get(iso3)
                last = years["last"].get(iso3)
                rows.append(dict(
                    iso3=iso3, iso_numeric=numeric, iso2=iso2, cow=cow,
                    gw=int(gw_latest[cow]) if cow in gw_latest.index else None,
                    name_en=name, name_zh=name_zh, m49_region=region, m49_subregion=sub, group=group,
                    is_asian=region == "Asia" and iso3 not in ("YAR", "YMD"),
                    is_focus=group in ("northeast", "southeast", "south", "central", "oceania_partner")
                    or iso3 in REFERENCE_POWERS,
                    is_reference=iso3 in REFERENCE_POWERS,
                    historical=iso3 in ("YUG", "CSK", "DDR", "YAR", "YMD", "ZZB"),
                    un_member_from=None if pd.isna(first) else int(first),
                    un_member_to=None if pd.isna(last) else int(last),
                ))
    out = pd.DataFrame(rows)
    for col in ("cow", "gw", "un_member_from", "un_member_to"):
        out[col] = out[col].astype("Int64")
    return out
