"""One method per cell: the words stream's pooled scale supersedes the raw codebook figures
it is built from (a year it declines stays empty), the codebook only where no pooled series
exists, Wordscores never by default; the votes stream's kappa/pi alternatives both survive."""

from __future__ import annotations

import numpy as np
import pandas as pd

from orderwatch.synthesis.combine import pick_method


def rows(*r):
    return pd.DataFrame(r, columns=["iso3", "year", "axis", "position", "method"])


def test_pooled_supersedes_codebook_wordscores_never():
    t = rows(("IDN", 2020, "overall", -0.4, "codebook"), ("IDN", 2020, "overall", -0.1, "wordscores"),
             ("IDN", 2020, "overall", 0.2, "pooled"),
             ("IDN", 2021, "overall", -0.3, "codebook"), ("IDN", 2021, "overall", np.nan, "pooled"),
             ("IDN", 2022, "overall", np.nan, "codebook"), ("IDN", 2022, "overall", -0.2, "wordscores"),
             ("IDN", 2022, "A1", np.nan, "codebook"))
    out = pick_method(t).set_index(["year", "axis"])
    assert out.loc[(2020, "overall"), "method"] == "pooled" and out.loc[(2020, "overall"), "position"] == 0.2
    # The pooled series declined 2021 (one scored sentence): its raw codebook figure does
    # not come back through the fallback; the cell stays empty (missing, never 0).
    assert out.loc[(2021, "overall"), "method"] == "pooled"
    assert np.isnan(out.loc[(2021, "overall"), "position"])
    # Wordscores does not fill a gap either.
    assert (2022, "overall") not in out.index and (2022, "A1") not in out.index
    assert set(out["method"]) == {"pooled"}


def test_codebook_used_where_no_pooled_series_exists():
    t = rows(("IDN", 2020, "overall", -0.4, "codebook"), ("IDN", 2021, "overall", np.nan, "codebook"),
             ("IDN", 2021, "overall", -0.2, "wordscores"))
    out = pick_method(t).set_index(["year", "axis"])
    assert out.loc[(2020, "overall"), "position"] == -0.4
    assert out.loc[(2021, "overall"), "method"] == "codebook" and np.isnan(out.loc[(2021, "overall"), "position"])


def test_votes_alternatives_are_both_kept():
    t = rows(("VNM", 2019, "A1", -0.9, "pi_diff"), ("VNM", 2019, "A2", -0.5, "kappa_diff"))
    assert len(pick_method(t)) == 2


def test_explicit_method():
    t = rows(("IDN", 2020, "overall", -0.4, "codebook"), ("IDN", 2020, "overall", -0.1, "wordscores"))
    assert pick_method(t, "wordscores").position.tolist() == [-0.1]
