"""One method per cell: the words stream's pooled scale first, the codebook where it has
none, Wordscores never by default; the votes stream's kappa/pi alternatives both survive."""

from __future__ import annotations

import numpy as np
import pandas as pd

from orderwatch.synthesis.combine import pick_method


def rows(*r):
    return pd.DataFrame(r, columns=["iso3", "year", "axis", "position", "method"])


def test_pooled_preferred_codebook_fallback_wordscores_never():
    t = rows(("IDN", 2020, "overall", -0.4, "codebook"), ("IDN", 2020, "overall", -0.1, "wordscores"),
             ("IDN", 2020, "overall", 0.2, "pooled"),
             ("IDN", 2021, "overall", -0.3, "codebook"), ("IDN", 2021, "overall", np.nan, "pooled"),
             ("IDN", 2022, "overall", np.nan, "codebook"), ("IDN", 2022, "overall", -0.2, "wordscores"),
             ("IDN", 2022, "A1", np.nan, "codebook"))
    out = pick_method(t).set_index(["year", "axis"])
    assert out.loc[(2020, "overall"), "method"] == "pooled" and out.loc[(2020, "overall"), "position"] == 0.2
    assert out.loc[(2021, "overall"), "method"] == "codebook"
    # Wordscores no longer fills a gap: the cell stays empty (missing, never 0).
    assert out.loc[(2022, "overall"), "method"] == "codebook"
    assert np.isnan(out.loc[(2022, "overall"), "position"])
    assert np.isnan(out.loc[(2022, "A1"), "position"])
    assert "wordscores" not in set(out["method"])


def test_votes_alternatives_are_both_kept():
    t = rows(("VNM", 2019, "A1", -0.9, "pi_diff"), ("VNM", 2019, "A2", -0.5, "kappa_diff"))
    assert len(pick_method(t)) == 2


def test_explicit_method():
    t = rows(("IDN", 2020, "overall", -0.4, "codebook"), ("IDN", 2020, "overall", -0.1, "wordscores"))
    assert pick_method(t, "wordscores").position.tolist() == [-0.1]
