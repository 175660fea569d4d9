"""Catalogue v2 (issue 11): every new row dated, sourced and checked on its dates.

Each row of ``DATED`` is (arrangement, state, first day as a member, last day or None).
The test checks membership the day before, on the first day, and around the last day,
so a date typed wrong in the YAML fails here. ``test_every_new_row_has_a_dated_test``
fails when a row is added to the catalogue without an entry below.
"""

import datetime as dt
import re
from pathlib import Path

import pytest

from orderwatch.institutions.catalog import load_catalog

DATED = [
    ("US_MNNA_AUS", "AUS", "1996-07-21", None), ("US_MNNA_JPN", "JPN", "1996-07-21", None),
    ("US_MNNA_KOR", "KOR", "1996-07-21", None), ("US_MNNA_ISR", "ISR", "1996-07-21", None),
    ("US_MNNA_NZL", "NZL", "1996-07-21", None), ("US_MNNA_JOR", "JOR", "1996-11-12", None),
    ("US_MNNA_BHR", "BHR", "2002-03-14", None), ("US_MNNA_TWN", "TWN", "2002-09-30", None),
    ("US_MNNA_PHL", "PHL", "2003-10-06", None), ("US_MNNA_THA", "THA", "2003-12-30", None),
    ("US_MNNA_KWT", "KWT", "2004-01-15", None), ("US_MNNA_PAK", "PAK", "2004-06-16", None),
    ("US_MNNA_AFG", "AFG", "2012-07-07", "2022-09-23"), ("US_MNNA_QAT", "QAT", "2022-03-17", None),
    ("NATO_TUR", "TUR", "1952-02-18", None),
    ("US_SGP_1990_MOU", "SGP", "1990-01-01", None), ("US_SGP_SFA_2005", "SGP", "2005-07-12", None),
    ("US_IND_MDP", "IND", "2016-06-07", None), ("US_IND_FOUNDATIONAL", "IND", "2016-01-01", None),
    ("US_PNG_DCA_2023", "PNG", "2023-05-22", None),
    ("US_NZL_WELLINGTON_2010", "NZL", "2010-11-04", None), ("US_NZL_WASHINGTON_2012", "NZL", "2012-06-19", None),
    ("US_BHR_DCA_1991", "BHR", "1991-10-27", None), ("US_KWT_DCA_1991", "KWT", "1991-09-01", None),
    ("GSI_PAK_2022", "PAK", "2022-05-22", None),
    ("SHANGHAI_FIVE", "KGZ", "1996-04-01", "2001-06-15"), ("SHANGHAI_FIVE", "RUS", "1996-04-01", "2001-06-15"),
    ("RUS_PRK_2024", "PRK", "2024-12-04", None),
    ("JPN_AUS_RAA", "AUS", "2023-08-13", None), ("JPN_GBR_RAA", "GBR", "2023-10-15", None),
    ("JPN_PHL_RAA", "PHL", "2025-09-11", None),
    ("FPDA", "MYS", "1971-11-01", None), ("FPDA", "SGP", "1971-11-01", None), ("FPDA", "NZL", "1971-11-01", None),
    ("AUS_IDN_LOMBOK", "IDN", "2008-02-07", None),
    ("GSI_KAZ_2022", "KAZ", "2022-06-08", None), ("GSI_KHM_2022", "KHM", "2022-11-11", None),
    ("GSI_RUS_2023", "RUS", "2023-03-21", None), ("GSI_VNM_2023", "VNM", "2023-12-13", None),
    ("CHN_VNM_CSCP_2008", "VNM", "2008-06-01", None), ("CHN_LAO_CSCP", "LAO", "2011-09-21", None),
    ("CHN_KHM_CSCP_2010", "KHM", "2010-01-01", None), ("CHN_MMR_CSCP_2011", "MMR", "2011-05-27", None),
    ("CHN_THA_CSCP_2012", "THA", "2012-04-17", None), ("CHN_IRN_CSP_2016", "IRN", "2016-01-01", None),
    ("CHN_KAZ_PCSP_2019", "KAZ", "2019-01-01", None), ("CHN_RUS_NEW_ERA_2019", "RUS", "2019-06-05", None),
    ("CHN_PHL_CSC_2018", "PHL", "2018-11-21", None),
    ("CHN_KOR_SCP_2008", "KOR", "2008-05-27", None), ("CHN_MYS_CSP_2013", "MYS", "2013-10-04", None),
    ("CHN_AUS_CSP_2014", "AUS", "2014-11-17", None), ("CHN_NZL_CSP_2014", "NZL", "2014-11-20", None),
    ("CHN_MDV_CFCP_2014", "MDV", "2014-01-01", None), ("CHN_SAU_CSP_2016", "SAU", "2016-01-01", None),
    ("CHN_BGD_SCP_2016", "BGD", "2016-10-01", None),
    ("US_VNM_CP_2013", "VNM", "2013-07-25", None), ("US_MYS_CP_2014", "MYS", "2014-04-27", None),
    ("US_QAT_ACCESS", "QAT", "2003-01-01", None), ("US_ARE_DCA_2019", "ARE", "2019-05-29", None),
    ("US_OMN_ACCESS_1980", "OMN", "1980-01-01", None),
    ("CHN_IDN_CSP_2013", "IDN", "2013-01-01", None), ("CHN_MNG_CSP_2014", "MNG", "2014-08-21", None),
    ("CHN_SGP_2023", "SGP", "2023-03-31", None), ("US_MNG_SP_2019", "MNG", "2019-07-31", None),
    # NATO's Partnership for Peace (7 Dec 2026): signatures of the Framework Document.
    ("NATO_PFP", "GEO", "1994-03-23", None), ("NATO_PFP", "AZE", "1994-05-04", None),
    ("NATO_PFP", "TKM", "1994-05-10", None), ("NATO_PFP", "KAZ", "1994-05-27", None),
    ("NATO_PFP", "KGZ", "1994-06-01", None), ("NATO_PFP", "RUS", "1994-06-22", "2014-04-01"),
    ("NATO_PFP", "UZB", "1994-07-13", None), ("NATO_PFP", "ARM", "1994-10-05", None),
    ("NATO_PFP", "TJK", "2002-02-20", None),
    # NATO's partners across the globe (7 Dec 2026): first signed partnership programme.
    ("NATO_GLOBAL_PARTNERS", "AFG", "2010-11-20", "2021-08-20"), ("NATO_GLOBAL_PARTNERS", "MNG", "2012-03-19", None),
    ("NATO_GLOBAL_PARTNERS", "NZL", "2012-06-04", None), ("NATO_GLOBAL_PARTNERS", "KOR", "2012-09-01", None),
    ("NATO_GLOBAL_PARTNERS", "IRQ", "2012-09-01", None), ("NATO_GLOBAL_PARTNERS", "AUS", "2013-02-21", None),
    ("NATO_GLOBAL_PARTNERS", "JPN", "2014-05-06", None),
    # US-Saudi Arabia and the C5+1 (7 Dec 2026).
    ("US_SAU_DHAHRAN_1951", "SAU", "1951-06-18", "1962-04-01"), ("US_SAU_USMTM_1953", "SAU", "1953-06-27", None),
    ("US_SAU_SDA_2025", "SAU", "2025-11-18", None), ("C5_PLUS_1", "KAZ", "2015-11-01", None),
    ("C5_PLUS_1", "TKM", "2015-11-01", None),
    # US basing and access in the Philippines and Australia (7 Dec 2026, fourth session).
    ("US_PHL_MBA_1947", "PHL", "1947-03-26", "1992-11-24"), ("US_PHL_VFA_1999", "PHL", "1999-06-01", None),
    ("US_AUS_FPA_2014", "AUS", "2014-08-12", None),
]
# The catalogue before issue 11 (tested in test_institutions_catalog.py).
V1 = set("""US_JPN_1960 US_KOR_1953 US_PHL_1951 ANZUS US_THA_MANILA US_PAK_1959 EDCA_2014 EDCA_2023_SITES QUAD
AUKUS US_JPN_KOR_CAMP_DAVID US_JPN_PHL US_JPN_AUS_TSD US_VNM_CSP US_IDN_CSP SCO CICA CHN_PRK_1961 CHN_PAK_AWSCP
CSF_PAK CSF_KHM CSF_LAO CSF_MMR CSF_IDN CSF_KAZ CSF_UZB CSF_THA CSF_TKM CSF_MYS CSF_KGZ CSF_TJK CSF_VNM CSF_TLS
CSF_ASEAN CSF_CENTRAL_ASIA CSF_LANCANG_MEKONG GSI_IDN_2022 GSI_THA_2022 GSI_CENTRAL_ASIA_2023 GSI_KHM_2023 ASEAN
ARF EAS ADMM_PLUS CSTO""".split())
DOC = Path(__file__).resolve().parents[2] / "docs" / "institutions.md"


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


def _day(s, delta=0):
    return dt.date.fromisoformat(s) + dt.timedelta(days=delta)


@pytest.mark.parametrize("aid, iso3, joined, left", DATED)
def test_dated_membership(cat, aid, iso3, joined, left):
    assert iso3 not in cat.members_at(aid, _day(joined, -1))
    assert iso3 in cat.members_at(aid, joined)
    if left:
        assert iso3 in cat.members_at(aid, left)
        assert iso3 not in cat.members_at(aid, _day(left, 1))
    else:
        assert iso3 in cat.members_at(aid, "2025-12-31")


def test_every_new_row_has_a_dated_test(cat):
    ids = set(cat.arrangements["arrangement_id"])
    new = ids - V1
    assert new == {aid for aid, *_ in DATED}
    assert V1 <= ids                                    # nothing of v1 was dropped


def test_new_rows_are_sourced_and_secondary_ones_flagged_and_documented(cat):
    arr = cat.arrangements.set_index("arrangement_id")
    src = cat.sources.groupby("arrangement_id")
    doc = DOC.read_text("utf-8")
    for aid in {a for a, *_ in DATED}:
        urls = src.get_group(aid)["url"]
        assert urls.str.match(r"https?://[^\s]+$").all() and arr.loc[aid, "note"]
        if arr.loc[aid, "secondary_only"]:
            assert re.search(rf"\b{aid}\b", doc), f"{aid} is secondary-only but not listed in docs/institutions.md"


def test_pole_and_depth_coding_review(cat):
    arr = cat.arrangements.set_index("arrangement_id")
    assert arr.loc["CICA", "pole"] == "ASEAN/inclusive"                       # Israel, Turkiye, Korea are members
    assert {"ISR", "TUR", "KOR"} <= set(cat.members_at("CICA", "2024-01-01"))
    assert set(arr.loc[arr["csf"] == "regional", "scope"]) == {"framework"}  # attached to the organisation
    assert arr.loc["GSI_KHM_2022", "occasion"] == arr.loc["GSI_KHM_2023", "occasion"]   # repeated endorsement once
    assert arr.loc["GSI_VNM_2023", "occasion"] == arr.loc["CSF_VNM", "occasion"]         # one state visit once
    assert arr.loc["US_VNM_CP_2013", "occasion"] == arr.loc["US_VNM_CSP", "occasion"]    # one partnership's levels once
    assert arr.loc["SHANGHAI_FIVE", "occasion"] == arr.loc["SCO", "occasion"]            # 2001: predecessor once
    xian = arr[arr["occasion"].fillna("").str.contains("Xi'an")].index
    assert {"CSF_CENTRAL_ASIA", "GSI_CENTRAL_ASIA_2023", "CSF_KGZ", "CSF_TJK"} <= set(xian)
    assert arr.loc["RUS_PRK_2024", "pole"] == "Russia-led" and arr.loc["RUS_PRK_2024", "depth"] == 4
    assert arr.loc["NATO_TUR", "depth"] == 4 and arr.loc["US_MNNA_PAK", "depth"] == 2
    # Basing is A2 (access also A2), also where the treaty itself grants it (Japan art. VI,
    # Korea art. IV); the Philippine access instruments after the bases count once.
    for aid in ("US_JPN_1960", "US_KOR_1953", "US_PHL_MBA_1947", "US_PHL_VFA_1999", "US_AUS_FPA_2014", "EDCA_2014"):
        assert set(arr.loc[aid, "axes"].split(",")) == {"A1", "A2"}, aid
    assert arr.loc["US_PHL_VFA_1999", "occasion"] == arr.loc["EDCA_2014", "occasion"] == arr.loc["EDCA_2023_SITES", "occasion"]
