"""Alliances (ATOP 5.1), military expenditure (SIPRI), capabilities (COW NMC), trade (WITS)."""

from __future__ import annotations

import pandas as pd

from orderwatch import bundled, countries


def alliances() -> pd.DataFrame:
    a = bundled.read("atop")
    return pd.DataFrame({
        "iso3_a": countries.cow_series_to_iso3(a.ccode1, a.year), "iso3_b": countries.cow_series_to_iso3(a.ccode2, a.year),
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
    out.insert(0, "iso3", countries.cow_series_to_iso3(out.ccode, out.year))
    # COW codes missing values as -9
    for col in ("milex", "milper", "irst", "pec", "tpop", "upop", "cinc"):
        out[col] = out[col].where(out[col] >= 0)
    return out


def trade() -> pd.DataFrame:
    w = bundled.read("wits")
    return pd.DataFrame({"reporter_iso3": w.reporter_iso3, "partner": w.partner, "product": w["product"],
                         "indicator": w.indicator, "year": w.year.astype("int64"),
                         "value": pd.to_numeric(w.value, errors="coerce")})
