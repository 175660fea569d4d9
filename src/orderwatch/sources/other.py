"""Alliances (ATOP 5.1), military expenditure (SIPRI), capabilities (COW NMC), trade (WITS)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from orderwatch import bundled, countries


def _iso3_by_cow_year(ccode: pd.Series, year: pd.Series) -> pd.Series:
    reg = countries.registry()
    m = {int(c): i for c, i in zip(reg.cow, reg.iso3) if pd.notna(c)}
    m.update({255: "DEU", 260: "DEU", 345: "YUG"})
    iso = ccode.astype("int64").map(m)
    return iso.where(~((ccode == 345) & (year >= countries.SERBIA_FROM.year)), "SRB")


def alliances() -> pd.DataFrame:
    a = bundled.read("atop")
    return pd.DataFrame({
        "iso3_a": _iso3_by_cow_year(a.ccode1, a.year), "iso3_b": _iso3_by_cow_year(a.ccode2, a.year),
        "ccode_a": a.ccode1.astype("int64"), "ccode_b": a.ccode2.astype("int64"), "year": a.year.astype("int64"),
        "defense": a.atop_defense.astype(bool), "offense": a.atop_offense.astype(bool),
        "neutral": a.atop_neutral.astype(bool), "nonagg": a.atop_nonagg.astype(bool),
        "consul": a.atop_consul.astype(bool),
    })


def military_expenditure() -> pd.DataFrame:
    s = bundled.read("sipri")
    return pd.DataFrame({"iso3": s.iso3, "year": s.year.astype("int64"), "measure": s.measure,
                         "value": pd.to_numeric(s.value, errors="coerce"), "flag": s.flag})


def capabilities() -> pd.DataFrame:
    c = bundled.read("cow_nmc")
    out = c.copy()
    out["ccode"] = out.ccode.astype("int64")
    out["year"] = out.year.astype("int64")
    out.insert(0, "iso3", _iso3_by_cow_year(out.ccode, out.year))
    # COW codes missing values as -9
    for col in ("milex", "milper", "irst", "pec", "tpop", "upop", "cinc"):
        out[col] = out[col].where(out[col] >= 0)
    return out


def trade() -> pd.DataFrame:
    w = bundled.read("wits")
    return pd.DataFrame({"reporter_iso3": w.reporter_iso3, "partner": w.partner, "product": w["product"],
                         "indicator": w.indicator, "year": w.year.astype("int64"),
                         "value": pd.to_numeric(w.value, errors="coerce")})
