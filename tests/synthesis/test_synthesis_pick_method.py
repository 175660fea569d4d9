"""One method per cell: the codebook first, Wordscores only where it can't place a state;
the votes stream's kappa/pi alternatives both survive."""

from __future__ import annotations

import numpy as np
import pandas as pd

from orderwatch.synthesis.combine import pick_method


def rows(*r):
    return pd.DataFrame(r, columns=["iso3", "year", "axis", "position", "method"])


def test_codebook_preferred_wordscores_fills_gaps():
    t = rows(("IDN", 2020, "overall", -0.4, "codebook"), ("IDN", 2020, "overall", -0.1, "wordscores"),
             ("IDN", 2021, "overall", np.nan, "codebook"), ("IDN", 2021, "overall", -0.2, "wordscores"),
             ("IDN", 2021, "A1", np.nan, "codebook"))
    out = pick_method(t).set_index(["year", "axis"])
    assert out.loc[(2020, "overall"), "method"] == "codebook" and out.loc[(2020, "overall"), "position"] == -0.4
    assert out.loc[(2021, "overall"), "method"] == "wordscores"
    assert np.isnan(out.loc[(2021, "A1"), "position"])
    assert len(out) == 3


def test_votes_alternatives_are_both_kept():
    t = rows(("VNM", 2019, "A1", -0.9, "pi_diff"), ("VNM", 2019, "A2", -0.5, "kappa_diff"))
    assert len(pick_method(t)) == 2


def test_explicit_method():
    t = rows(("IDN", 2020, "overall", -0.4, "codebook"), ("IDN", 2020, "overall", -0.1, "wordscores"))
    assert pick_method(t, "wordscores").position.tolist() == [-0.1]
