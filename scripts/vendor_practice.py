"""Vendor the security-practice data (SIPRI arms, US forces abroad, MME exercises) into
src/orderwatch/bundled/ as zstd Parquet with provenance records.

Run by a developer when ../shared/data changes (users never need ../shared):

    /work/venv/bin/python scripts/vendor_practice.py [--shared ../shared/data]

Only this script's records in bundled/provenance.json are replaced; the others are kept.

SIPRI's terms allow derived aggregates only, never the register itself. Two aggregates
are vendored, both for recipients among the states orderwatch covers
(``countries.observed()``):

- ``sipri_arms_tiv``: TIV delivered per recipient, supplier and delivery year (the
  example SIPRI's note gives).
- ``sipri_arms_deals``: TIV delivered per recipient, supplier, generic weapon description
  (e.g. "FGA aircraft", never the designation) and order year, with its yearly split
  (``tiv_by_year`` = "2017:56.8;2018:56.8").
  Register rows that share these keys are merged; designations, numbers ordered and
  delivered, status, comments and unit TIVs are dropped. The practice stream resamples
  these units for its intervals and shows them as evidence.

The register lists the years of delivery but not the TIV of each year, so a row's TIV
delivered is split equally over its listed delivery years (an approximation; SIPRI's own
yearly figures weight years by the number delivered in each).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "orderwatch" / "bundled"
sys.path.insert(0, str(ROOT / "src"))
from orderwatch import countries  # noqa: E402
from orderwatch.bundled import sha256  # noqa: E402

REGISTER_HEADER_LINES = 11
REGISTER_FIELDS = 16
# SIPRI names the registry does not know; None marks non-state or unknown actors.
SIPRI_NAMES = {
    "Turkiye": "TUR", "UAE": "ARE", "East Germany (GDR)": "DDR", "Bosnia-Herzegovina": "BIH",
    "Cote d'Ivoire": "CIV", "North Yemen": "YAR", "Yemen Arab Republic (North Yemen)": "YAR",
    "South Yemen": "YMD", "Taiwan": "TWN", "Saint Vincent": "VCT", "Soviet Union": "RUS",
}
SIPRI = dict(
    origin="SIPRI Arms Transfers Database (armstransfers.sipri.org), trade register generated "
    "23 Oct 2025, as committed to GitHub Maodougie25/SIPRI-Arms-Trade-Group-Project--",
    version="register of 23 Oct 2025; Maodougie25/SIPRI-Arms-Trade-Group-Project-- @ 7b97468",
    licence="(c) SIPRI. Free for non-commercial research with citation; the register itself is not "
    "redistributed: derived aggregates only, for recipients among the states orderwatch covers",
    citation="SIPRI Arms Transfers Database, Stockholm International Peace Research Institute, 2025. "
    "https://www.sipri.org/databases/armstransfers",
)
TROOPDATA = dict(
    origin="Defense Manpower Data Center reports, via the troopdata R package (GitHub meflynn/troopdata, "
    "data-raw/)", version="meflynn/troopdata @ 3946bcf",
    licence="DMDC figures are US government works (public domain); the package is GPL-3: figures used "
    "with citation",
)


def _sipri_iso3(name: str) -> str | None:
    if name in SIPRI_NAMES:
        return SIPRI_NAMES[name]
    if name.endswith("*"):  # '*' non-state actors, '**' organisations
        return None
    try:
        return countries.to_iso3(name)
    except Exception:
        return None


def _name_iso3(name: object) -> str | None:
    try:
        return countries.to_iso3(str(name))
    except Exception:
        return None


def read_register(path: Path) -> pd.DataFrame:
    """Parse the register, re-joining the few records whose comment holds a bare line break."""
    lines = path.read_text(encoding="latin-1").splitlines()[REGISTER_HEADER_LINES:]
    records, pending = [], ""
    for line in lines:
        pending = f"{pending} {line}" if pending else line
        fields = next(csv.reader(io.StringIO(pending)))
        if len(fields) >= REGISTER_FIELDS:
            records.append(fields[:REGISTER_FIELDS])
            pending = ""
    if pending:
        raise ValueError(f"{path}: unterminated record at the end: {pending[:80]!r}")
    header, rows = records[0], records[1:]
    df = pd.DataFrame(rows, columns=[h.strip() or f"flag{i}" for i, h in enumerate(header)])
    return pd.DataFrame({
        "recipient": df["Recipient"], "supplier": df["Supplier"],
        "order_year": pd.to_numeric(df["Year of order"], errors="coerce").astype("Int64"),
        "weapon_description": df["Weapon description"].str.strip(),
        "delivery_years": df["Year(s) of delivery"].str.strip(),
        "tiv_delivered": pd.to_numeric(df["SIPRI TIV of delivered weapons"], errors="coerce"),
    })


def arms_aggregates(register: pd.DataFrame, covered: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(deals, tiv per recipient-supplier-year) for covered recipients with deliveries."""
    reg = register.assign(recipient_iso3=register.recipient.map(_sipri_iso3),
                          supplier_iso3=register.supplier.map(_sipri_iso3))
    reg = reg[reg.recipient_iso3.isin(covered) & reg.tiv_delivered.notna() & reg.delivery_years.ne("")]
    keys = ["recipient_iso3", "supplier", "supplier_iso3", "weapon_description", "order_year"]
    reg = reg.assign(years=reg.delivery_years.map(lambda s: sorted({int(y) for y in s.split(";") if y.strip()})))
    # each register row's TIV spread equally over its own delivery years
    per_year = reg.assign(share=reg.tiv_delivered / reg.years.map(len), rows=1).explode("years")
    per_year = per_year.rename(columns={"years": "year"}).astype({"year": "int64"})
    by_year = per_year.groupby(keys + ["year"], dropna=False, sort=True).share.sum().reset_index()
    deals = (by_year.groupby(keys, dropna=False, sort=True)
             .apply(lambda g: ";".join(f"{y}:{v:.6g}" for y, v in zip(g.year, g.share)), include_groups=False)
             .rename("tiv_by_year").reset_index())
    totals = reg.groupby(keys, dropna=False, sort=True).agg(tiv_delivered=("tiv_delivered", "sum"),
                                                            register_rows=("tiv_delivered", "size")).reset_index()
    deals = totals.merge(deals, on=keys, how="left", validate="1:1")
    years = deals.tiv_by_year.str.findall(r"(\d{4}):").map(lambda ys: [int(y) for y in ys])
    deals["first_delivery"] = years.map(min).astype("int64")
    deals["last_delivery"] = years.map(max).astype("int64")
    deals["order_year"] = deals.order_year.astype("Int64")
    tiv = (by_year.groupby(["recipient_iso3", "supplier", "supplier_iso3", "year"], dropna=False)
           .share.sum().rename("tiv").reset_index())
    return deals, tiv


def troops(path: Path, covered: set[str]) -> pd.DataFrame:
    t = pd.read_csv(path)
    t = t[t.iso3c.isin(covered)]
    t = pd.DataFrame({"iso3": t.iso3c, "year": t.year.astype("int64"), "troops_ad": t.troops_ad.astype("int64"),
                      "army_ad": t.army_ad, "navy_ad": t.navy_ad, "air_force_ad": t.air_force_ad,
                      "marine_corps_ad": t.marine_corps_ad})
    # a state spelt two ways in one year (e.g. 'East Timor' and 'Timor-Leste' 2013) has an
    # all-zero filler row beside the real one: keep the larger figure of each column
    return t.groupby(["iso3", "year"], as_index=False).max()


def bases(path: Path, covered: set[str]) -> pd.DataFrame:
    b = pd.read_csv(path, encoding="latin-1")
    b = b[b.iso3c.isin(covered) & (b.iso3c != "USA")]
    return pd.DataFrame({"iso3": b.iso3c, "basename": b.basename, "lat": b.lat, "lon": b.lon,
                         "base": b.base.astype(bool), "lilypad": b.lilypad.astype(bool),
                         "fundedsite": b.fundedsite.astype(bool)}).reset_index(drop=True)


def exercises(path: Path, covered: set[str]) -> pd.DataFrame:
    """Every participation in an exercise that at least one covered state took part in
    (all participants kept, so the partners of a covered state are known)."""
    m = pd.read_csv(path)
    gw_iso3 = {int(g): i for g, i in zip(countries.registry().gw, countries.registry().iso3) if pd.notna(g)}
    m["iso3"] = m.gwcode.map(lambda g: gw_iso3.get(int(g)) if pd.notna(g) else None)
    # a few participations lack the code but name a state (e.g. Vietnam); non-states stay None
    by_name = m.country.map(lambda c: _name_iso3(c))
    m["iso3"] = m.iso3.where(m.iso3.notna(), by_name)
    keep = set(m.loc[m.iso3.isin(covered), "MMEID"])
    m = m[m.MMEID.isin(keep)]
    flags = ["CPX", "Air", "Land", "Sea", "Amphibious", "Warfighting", "Peacekeeping", "Humanitarian"]
    # MME codes a missing name as -9
    names = {c: m[c].astype(str).str.strip().replace({"-9": None, "nan": None}) for c in ("Ex_Name", "Series_Name")}
    out = pd.DataFrame({"mmeid": m.MMEID, "exercise": names["Ex_Name"], "series": names["Series_Name"],
                        "year": m.year.astype("int64"), "gwcode": m.gwcode.astype("Int64"), "country": m.country,
                        "iso3": m.iso3, "location": m.Location})
    for f in flags:
        out[f.lower()] = m[f].fillna(0).astype(bool)
    return out.reset_index(drop=True)


def _write(name: str, df: pd.DataFrame, coverage_col: str | None, **meta) -> dict:
    path = OUT / f"{name}.parquet"
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path, compression="zstd", compression_level=9)
    cov = None
    if coverage_col:
        s = df[coverage_col].dropna().astype(str)
        cov = [s.min(), s.max()]
    print(f"{name:24s} {len(df):>9,d} rows  {path.stat().st_size / 1e6:7.3f} MB")
    return dict(name=name, file=path.name, **meta, sha256=sha256(path), rows=len(df), columns=list(df.columns),
                coverage=cov)


def vendor(shared: Path) -> None:
    """Write the practice files and replace their records in provenance.json."""
    covered = set(countries.observed())
    te = shared / "troops_exercises"
    deals, tiv = arms_aggregates(read_register(shared / "sipri_arms/trade-register.csv"), covered)
    records = [
        _write("sipri_arms_tiv", tiv, "year", title="SIPRI arms transfers: TIV delivered per recipient, supplier "
               "and year (covered recipients; derived aggregate)", **SIPRI),
        _write("sipri_arms_deals", deals, None, title="SIPRI arms transfers: TIV delivered per recipient, "
               "supplier, weapon description and order year (covered recipients; derived aggregate)", **SIPRI),
        _write("us_troops", troops(te / "troopdata-rebuild-country-year.csv", covered), "year",
               title="US active-duty military personnel per host state and year (DMDC), covered states",
               citation="Allen, M. A., Flynn, M. E. & Machain, C. M. troopdata: US military personnel and base "
               "data (R package); Defense Manpower Data Center, Military and Civilian Personnel by Service/"
               "Agency by State/Country; Kane, T. (2004). Global U.S. Troop Deployment, 1950-2003. Heritage "
               "Foundation.", **TROOPDATA),
        _write("us_bases", bases(te / "basedata.csv", covered), None,
               title="US bases and lily-pad sites abroad, covered host states (undated snapshot)",
               citation="Vine, D. (2015). Base Nation: How U.S. Military Bases Abroad Harm America and the "
               "World. Metropolitan Books; via the troopdata R package (Allen, Flynn & Machain).", **TROOPDATA),
        _write("mme_exercises", exercises(te / "mme-v7-long.csv", covered), "year",
               title="Multinational Military Exercises v7, participations in exercises with a covered state",
               origin="D'Orazio & Galambos, Multinational Military Exercises 1980-2010 (Harvard Dataverse "
               "doi:10.7910/DVN/KHFODX), via GitHub meflynn/troopdata", version="MME v7; meflynn/troopdata @ 3946bcf",
               licence="academic dataset: free with citation",
               citation="D'Orazio, V. & Galambos, A. (2021). Multinational Military Exercises, 1980-2010. "
               "Harvard Dataverse, doi:10.7910/DVN/KHFODX."),
    ]
    prov = OUT / "provenance.json"
    names = {r["name"] for r in records}
    current = [r for r in json.loads(prov.read_text(encoding="utf-8")) if r["name"] not in names]
    prov.write_text(json.dumps(current + records, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(records)} practice records to {prov}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    vendor(ap.parse_args().shared)


if __name__ == "__main__":
    main()
