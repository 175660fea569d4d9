"""Every stream's positions table, as built from the real bundled data, keeps one contract.

As scikit-learn checks every estimator with the same battery, each positions table (the
four streams' and the synthesis' combined one) is checked by :func:`schema.check_positions`.
"""

from __future__ import annotations

import pandas as pd
import pytest

from orderwatch.schema import (AXES, COMBINED_TABLE, POSITION_COLUMNS, STREAM_TABLES, PositionsContractError,
                               check_positions)

TABLES = [*STREAM_TABLES.values(), COMBINED_TABLE]


@pytest.mark.parametrize("table", TABLES)
def test_positions_table_keeps_the_contract(full_store, table):
    df = full_store.table(table)
    assert len(df), f"{table} is empty"
    check_positions(df, table)
    assert set(df["axis"]) <= set(AXES)
    assert df["position"].notna().any() and df["iso3"].str.fullmatch(r"[A-Z]{3}").all()


@pytest.mark.parametrize("table", list(STREAM_TABLES.values()))
def test_stream_tables_have_the_position_columns(full_store, table):
    assert list(full_store.table(table).columns) == POSITION_COLUMNS


GOOD = pd.DataFrame({"iso3": ["VNM", "VNM"], "year": [2020, 2020], "axis": ["A1", "A2"],
                     "position": [0.1, float("nan")], "lo": [-0.2, float("nan")], "hi": [0.3, float("nan")],
                     "n": [4, 0], "method": ["m", "m"]})


@pytest.mark.parametrize("change, words", [
    ({"position": [1.2, float("nan")]}, ["position 1.2 outside", "iso3='VNM'", "axis='A1'"]),
    ({"lo": [0.2, float("nan")]}, ["lo 0.2 above position 0.1"]),
    ({"hi": [0.0, float("nan")]}, ["hi 0 below position 0.1"]),
    ({"axis": ["A1", "A4"]}, ["axis 'A4' not in", "row 1"]),
    ({"axis": ["A1", "A1"]}, ["key (iso3, year, axis, method) repeated", "row 1"]),
    ({"n": [4, -1]}, ["n -1 < 0", "row 1"]),
])
def test_check_names_the_offending_column_and_row(change, words):
    bad = GOOD.assign(**change)
    with pytest.raises(PositionsContractError) as e:
        check_positions(bad, "votes_positions")
    for w in ["votes_positions", *words]:
        assert w in str(e.value)
    check_positions(GOOD, "votes_positions")   # the unchanged table passes


def test_same_key_under_two_methods_is_allowed_and_missing_column_named():
    two = pd.concat([GOOD, GOOD.assign(method="other")], ignore_index=True)
    check_positions(two, "text_positions")
    with pytest.raises(PositionsContractError, match="missing column.*position"):
        check_positions(GOOD.drop(columns="position"), "text_positions")
