"""Country-year pooling and the local-level smoother; the combined rule of score --method all."""

import numpy as np
import pandas as pd
import pytest

from orderwatch.text.combined import combine, score_all
from orderwatch.text.pooled import MAX_GAP, local_level, segments, smooth, stability, yearly_observations


def test_local_level_known_cases():
    # One observation with known noise and a N(0, 1) prior: the posterior is the usual one.
    m, v, _ = local_level(np.array([2000]), np.array([0.5]), np.array([0.5]), q=0.01)
    assert m[0] == pytest.approx(0.5 * 1 / 1.25) and v[0] == pytest.approx(1 * 0.25 / 1.25)
    # A constant series is smoothed to (about) the constant; the interval shrinks with data.
    yrs = np.arange(2000, 2010)
    m, v, _ = local_level(yrs, np.full(10, 0.4), np.full(10, 0.2), q=0.001)
    assert np.allclose(m, 0.4, atol=0.03) and v[5] < 0.04
    # A gap widens the variance in the middle of it.
    m2, v2, _ = local_level(np.array([2000, 2001, 2010, 2011]), np.full(4, 0.4), np.full(4, 0.2), q=0.01)
    assert v2[1] > v[1]


def test_a_long_silence_restarts_the_series():
    # Twenty years of firm -1 then, after a gap longer than MAX_GAP, a split year (+1 / -1):
    # the old level must not be carried over (it was: India's A2 in 2023 read -0.87).
    years = list(range(1960, 1980)) + [1980 + MAX_GAP + 1]
    obs = pd.DataFrame({"iso3": "AAA", "year": years, "axis": "A2", "y": [-1.0] * 20 + [0.0],
                        "se": [0.2] * 20 + [1.0], "n": 2})
    pos, _ = smooth(obs)
    last = pos[pos.year == years[-1]].iloc[0]
    assert last.position == pytest.approx(0.0, abs=1e-9) and last.lo < -0.9 and last.hi > 0.9
    assert (pos[pos.year < 1980].position < -0.9).all()      # the old run is not pulled either
    # Within MAX_GAP the level is carried (and the interval widened by the gap).
    near = obs.assign(year=list(range(1960, 1980)) + [1979 + MAX_GAP])
    carried = smooth(near)[0].iloc[-1]
    assert carried.position < -0.5
    assert [len(s) for s in segments(obs)] == [20, 1]


def test_q_is_chosen_by_likelihood_and_smoothing_recovers_a_random_walk():
    rng = np.random.default_rng(1)
    rows = []
    for s in range(30):
        level = np.cumsum(rng.normal(0, 0.1, 20))
        for t, lv in enumerate(level):
            rows.append({"iso3": f"S{s:02d}", "year": 2000 + t, "axis": "overall", "y": lv + rng.normal(0, 0.2),
                         "se": 0.2, "n": 5})
    obs = pd.DataFrame(rows)
    pos, qs = smooth(obs)
    assert 0.002 <= qs["overall"] <= 0.02  # true q = 0.01
    raw = stability(obs.rename(columns={"y": "position"}))
    assert stability(pos)["r"] > raw["r"]
    assert (pos.lo <= pos.position).all() and (pos.position <= pos.hi).all() and (pos.hi - pos.lo > 0).all()
    assert set(pos.method) == {"pooled"}


def test_minimum_evidence():
    def sent(iso3, year, scores):
        return pd.DataFrame({"iso3": iso3, "year": year, "score": scores,
                             **{f"{k}_{a}": 0.0 for a in ("A1", "A2", "A3") for k in ("us", "gsi", "middle")}})
    s = pd.concat([sent("AAA", 2020, [1.0]), sent("AAA", 2021, [1.0, -1.0, np.nan]), sent("BBB", 2020, [np.nan] * 4)])
    obs = yearly_observations(s)
    assert list(zip(obs.iso3, obs.year, obs.axis)) == [("AAA", 2021, "overall")]
    assert obs.n.tolist() == [2] and obs.y.tolist() == [0.0]


def test_stability_counts_sign_flips_of_adjacent_years():
    p = pd.DataFrame({"iso3": "AAA", "year": [2000, 2001, 2002, 2004], "axis": "overall",
                      "position": [0.5, -0.5, 0.4, 0.3]})
    st = stability(p)
    assert st["pairs"] == 2 and st["sign_flips"] == 1.0


def test_combined_rule_uses_codebook_sentences_and_abstains_off_topic():
    r = score_all("We reject the Cold War mentality and bloc confrontation. The weather was fine.")
    assert r["n"] == 1 and r["n_codebook_sentences"] == 1 and r["position"] < 0
    lo, hi = r["interval"]
    assert hi - lo > 0.3
    assert score_all("The weather was fine. We like cake.")["position"] is None
    assert combine(np.array([np.nan]))[0] is None


def test_score_text_all_reports_every_method_and_combines():
    from orderwatch.text import score_text

    r = score_text("We uphold the rules-based international order with our treaty allies.", method="all")
    assert r["method"] == "all" and set(r["methods"]) == {"codebook", "learned", "wordscores", "semantic"}
    assert r["position"] > 0 and r["interval"][1] - r["interval"][0] > 0.2
    for name, m in r["methods"].items():
        if m["position"] is not None:
            assert m["interval"][1] > m["interval"][0], name
