"""Exports: --csv / --format parquet on the listing commands, Store repr, ow.plot (real store)."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from typer.testing import CliRunner

import orderwatch as ow
from orderwatch.cli import app
from orderwatch.readable import flat_frame, line, value

runner = CliRunner()


def _csv(args):
    r = runner.invoke(app, args + ["--csv"])
    assert r.exit_code == 0, r.output
    df = pd.read_csv(io.StringIO(r.stdout))
    assert len(df) > 0
    text = r.stdout
    assert "None" not in text and "{" not in text and "[" not in text
    for col in df.select_dtypes("floating"):
        if df[col].notna().sum() == 0:
            continue  # an axis the model does not publish: all empty
        decimals = df[col].dropna().map(lambda v: len(repr(float(v)).split(".")[1]) if "." in repr(float(v)) else 0)
        assert decimals.max() <= 3, col
    return df


def test_listing_commands_export_csv(full_store_path):
    db = ["--db", str(full_store_path)]
    pos = _csv(["positions", "--year", "2020", *db])
    assert {"iso3", "overall", "A1", "A2", "A3", "interval_lo", "interval_hi", "streams_votes"} <= set(pos.columns)
    over = _csv(["overview", *db])
    assert {"iso3", "name_en", "position", "year"} <= set(over.columns)
    inst = _csv(["institutions", "list", "--country", "VNM", "--year", "2024"])
    assert "ASEAN" in set(inst["arrangement_id"]) and inst["source_url"].notna().all()
    votes = _csv(["votes", "align", "--country", "PHL", "--years", "2010-2012", *db])
    assert sorted(votes["year"]) == [2010, 2011, 2012]
    text = _csv(["text", "positions", "--country", "IDN", "--years", "2015-2016", *db])
    assert set(text["year"]) <= {2015, 2016}


def test_parquet_export_keeps_full_precision(full_store_path):
    r = runner.invoke(app, ["positions", "--year", "2020", "--db", str(full_store_path), "--format", "parquet"])
    assert r.exit_code == 0
    df = pd.read_parquet(io.BytesIO(r.stdout_bytes))
    assert len(df) > 40 and df["overall"].notna().sum() > 40
    bad = runner.invoke(app, ["positions", "--year", "2020", "--db", str(full_store_path), "--format", "xlsx"])
    assert bad.exit_code == 2 and "csv or parquet" in bad.output


def test_store_repr_and_plot(full_store):
    text = repr(full_store)
    assert text.startswith("Store(") and "streams:" in text and "tables" in text
    fig = ow.plot.country(full_store, "Philippines")
    assert len(fig.axes) == 4
    ax = fig.axes[0]
    assert ax.get_ylim() == (-1.05, 1.05)
    assert {t.get_text() for t in fig.legends[0].get_texts()} >= {"combined", "votes", "words", "institutions"}
    xs = {tuple(a.get_xlim()) for a in fig.axes}
    assert len(xs) == 1  # one year axis for every panel


def test_readable_values():
    assert value(19.374000000000002, key="china_share_pct") == "19.4 %"
    assert value(pd.Timestamp("2016-07-12 00:00:00")) == "2016-07-12"
    assert value(None) == "—" and value(float("nan")) == "—"
    assert value(313658.3302171763) == "313,658"
    assert "None" not in line({"flag": None, "value": 1.23456})
    df = flat_frame([{"iso3": "PHL", "interval": [0.1, 0.2], "streams": {"words": 0.5}}])
    assert list(df.columns) == ["iso3", "interval_lo", "interval_hi", "streams_words"]


@pytest.mark.parametrize("args", [["positions", "--year", "2020"], ["overview"]])
def test_rounded_text_output(full_store_path, args):
    r = runner.invoke(app, args + ["--db", str(full_store_path)])
    assert r.exit_code == 0
    import re

    assert not re.search(r"\d\.\d{4,}", r.stdout), "figures must be rounded"
