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
    grid = t[["iso3", "kind", "since", "settled"]].merge(pd.DataFrame({"year": list(years)}), how="cross")
    end = pd.to_numeric(grid["settled"], errors="coerce").fillna(10**6)
    grid["active"] = (grid["since"] <= grid["year"]) & (grid["year"] < end)
    grid["land"] = grid["active"] & (grid["kind"] == "land")
    grid["maritime"] = grid["active"] & (grid["kind"] == "maritime")
    out = grid.groupby(["iso3", "year"], as_index=False)[["active", "land", "maritime"]].any()
    out = out.rename(columns={"active": "dispute", "land": "dispute_land", "maritime": "dispute_maritime"})
    for c in ("dispute", "dispute_land", "dispute_maritime"):
        out[c] = out[c].astype(int)
    return out
