"""Synthetic stream positions tables with known answers (for the synthesis and claims tests)."""

from __future__ import annotations

import pandas as pd

AXES = ["A1", "A2", "A3", "overall"]


def stream_table(values: dict[tuple[str, int], float], half_width: float = 0.1, method: str = "m",
                 axes=AXES, n: int = 50) -> pd.DataFrame:
    """A positions table: one row per (iso3, year) in ``values`` and per axis.

    ``n`` (units of evidence per row) defaults to enough for every stream to pass the
    publication rules' minimum (orderwatch.synthesis.publish.MIN_EVIDENCE)."""
    rows = []
    for (iso3, year), p in values.items():
        for a in axes:
            rows.append({"iso3": iso3, "year": year, "axis": a, "position": p,
                         "lo": p - half_width, "hi": p + half_width, "n": n, "method": method})
    return pd.DataFrame(rows)


def registry(states: dict[str, str]) -> pd.DataFrame:
    """A minimal registry: iso3 -> group; all Asian except group 'reference'."""
    return pd.DataFrame({
        "iso3": list(states), "group": list(states.values()),
        "is_asian": [g != "reference" for g in states.values()],
        "historical": False, "name_en": list(states),
        "un_member_from": 1945, "un_member_to": 2025,
    })
