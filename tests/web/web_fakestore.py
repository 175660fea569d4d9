"""A store stand-in holding DataFrames, for testing the web layer without DuckDB.

The positions are made up for the tests (a known gradient by ISO3), never shown as data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orderwatch import countries


class FakeStore:
    def __init__(self, tables: dict[str, pd.DataFrame]):
        self.tables = dict(tables)

    def has_table(self, name: str) -> bool:
        return name in self.tables

    def table(self, name: str) -> pd.DataFrame:
        return self.tables[name].copy()

    def votes(self, countries=None, years=None, source=None) -> pd.DataFrame:
        v = self.tables["votes"]
        rc = self.tables["roll_calls"][["rcid", "year"]]
        v = v.merge(rc, on="rcid")
        if countries is not None:
            v = v[v["iso3"].isin(list(countries))]
        if years is not None:
            y0, y1 = years
            v = v[(v["year"] >= y0) & (v["year"] <= y1)]
        return v


def positions_frame(years=(2018, 2019, 2020), seed: int = 0, missing=("PRK",)) -> pd.DataFrame:
    """Every Asian state, every axis: position = a fixed value per state plus a year trend."""
    rng = np.random.default_rng(seed)
    reg = countries.registry()
    asian = reg[reg["is_asian"]]["iso3"].tolist()
    rows = []
    for i, iso3 in enumerate(sorted(asian)):
        base = -0.9 + 1.8 * i / max(1, len(asian) - 1)
        for y in years:
            for axis in ("overall", "A1", "A2", "A3"):
                p = np.nan if iso3 in missing else float(np.clip(base + 0.01 * (y - years[0]) + rng.normal(0, 0.01), -1, 1))
                rows.append({"iso3": iso3, "year": y, "axis": axis, "position": p,
                             "lo": p - 0.1, "hi": p + 0.1, "n": 10, "method": "test"})
    return pd.DataFrame(rows)


def fake_store(with_tables=("positions", "votes_positions", "text_positions")) -> FakeStore:
    t = {}
    for i, name in enumerate(with_tables):
        t[name] = positions_frame(seed=i)
    t["countries"] = countries.registry()
    t["roll_calls"] = pd.DataFrame({"rcid": [1, 2, 3], "year": [2020] * 3, "date": ["2020-12-01"] * 3,
                                    "resolution": ["A/RES/75/1", "A/RES/75/2", "A/RES/75/3"],
                                    "short": ["nuclear test ban", "human rights in X", "law of the sea"],
                                    "descr": ["", "", ""]})
    t["votes"] = pd.DataFrame({"rcid": [1, 1, 1, 2, 2, 2, 3, 3],
                               "iso3": ["PHL", "CHN", "USA", "PHL", "CHN", "USA", "PHL", "CHN"],
                               "vote": ["yes", "yes", "no", "abstain", "no", "yes", "yes", "yes"]})
    return FakeStore(t)
