"""Territorial disputes with China: the cited table and a state-year indicator.

The table lives in ``territorial_disputes.yaml`` beside this module; each row names its
sources (Fravel 2008; the 2016 South China Sea award; the CIA World Factbook; the
parties' own statements). It is a hand-coded, cited table, not a dataset of record.
"""

from __future__ import annotations

from importlib import resources

import pandas as pd
import yaml

COLUMNS = ["iso3", "kind", "status", "since", "settled", "basis", "sources", "citations"]


def disputes_table() -> pd.DataFrame:
    """The cited territorial-disputes table (one row per dispute), citations resolved."""
    text = resources.files("orderwatch.synthesis").joinpath("territorial_disputes.yaml").read_text("utf-8")
    doc = yaml.safe_load(text)
    refs = doc["sources"]
    rows = []
    for d in doc["disputes"]:
        rows.append({
            "iso3": d["iso3"], "kind": d["kind"], "status": d["status"],
            "since": int(d["since"]),
            "settled": None if d.get("settled") is None else int(d["settled"]),
            "basis": d["basis"],
            "sources": ",".join(d["sources"]),
            "citations": " | ".join(" ".join(refs[s].split()) for s in d["sources"]),
        })
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["settled"] = out["settled"].astype("Int64")
    return out


def dispute_years(years: range, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """State-year indicators: ``dispute`` (any active), ``dispute_land``, ``dispute_maritime``.

    A dispute is active in year ``y`` when ``since <= y`` and it was not settled by
    ``y`` (``settled`` null or ``y < settled``). Only states in the table appear; a state
    absent from the table has no recorded dispute with China.
    """
    t = disputes_table() if table is None else table
    rows = []
    for iso3, sub in t.groupby("iso3"):
        for y in years:
            active = sub[(sub["since"] <= y) & (sub["settled"].isna() | (y < sub["settled"].fillna(10**6)))]
            rows.append({"iso3": iso3, "year": y, "dispute": int(len(active) > 0),
                         "dispute_land": int((active["kind"] == "land").any()),
                         "dispute_maritime": int((active["kind"] == "maritime").any())})
    return pd.DataFrame(rows)
