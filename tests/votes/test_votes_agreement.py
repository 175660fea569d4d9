"""Agreement measures: hand-computed answers on a tiny vote matrix, then invariants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orderwatch.errors import NoSharedVotesError
from orderwatch.votes import agreement
from orderwatch.votes.agreement import measure_from_tables, tables_all_pairs, tables_against
from orderwatch.votes.matrix import VoteMatrix, vote_matrix

A = ["yes", "yes", "no", "abstain", "yes", "absent"]
B = ["yes", "no", "no", "abstain", "yes", "absent"]


def tiny(a=A, b=B) -> VoteMatrix:
    n = len(a)
    votes = pd.DataFrame({"rcid": list(range(n)) * 2, "iso3": ["AAA"] * n + ["BBB"] * n, "vote": list(a) + list(b)})
    rc = pd.DataFrame({
        "rcid": range(n), "session": 70, "date": pd.date_range("2015-01-01", periods=n, freq="D"),
        "resolution": [f"R/{i}" for i in range(n)], "short": [f"item {i}" for i in range(n)], "source": "voeten",
    })
    rc["year"] = rc["date"].dt.year
    return vote_matrix(votes, rc)


def test_share_kappa_s_known_answers():
    # 5 shared votes (the joint absence is excluded), 4 identical: share 0.8.
    # Marginals a: yes 3, no 1, abstain 1; b: yes 2, no 2, abstain 1 -> p_e = 9/25.
    # kappa = (0.8 - 0.36) / 0.64 = 0.6875. S: one yes/no split, distance 1 -> 1 - 2 * 1/5.
    vm = tiny()
    assert agreement(vm, "AAA", "BBB", "share", n_boot=0).value == pytest.approx(0.8)
    assert agreement(vm, "AAA", "BBB", "kappa", n_boot=0).value == pytest.approx(0.6875)
    assert agreement(vm, "AAA", "BBB", "s", n_boot=0).value == pytest.approx(0.6)
    # Scott's pi: pooled yes .5, no .3, abstain .2 -> p_e = .38, pi = (.8 - .38) / .62.
    assert agreement(vm, "AAA", "BBB", "pi", n_boot=0).value == pytest.approx(0.42 / 0.62)
    assert agreement(vm, "AAA", "BBB", "share", n_boot=0).n == 5


def test_absences_counted_on_request():
    vm = tiny()
    r = agreement(vm, "AAA", "BBB", "share", include_absent=True, n_boot=0)
    assert r.n == 6 and r.value == pytest.approx(5 / 6)
    s = agreement(vm, "AAA", "BBB", "s", include_absent=True, n_boot=0)
    assert s.n == 5 and any("absence" in w for w in s.warnings)


def test_interval_brackets_value_and_is_reproducible():
    vm = tiny(A * 10, B * 10)
    r1 = agreement(vm, "AAA", "BBB", "kappa", n_boot=300, random_state=3)
    r2 = agreement(vm, "AAA", "BBB", "kappa", n_boot=300, random_state=3)
    lo, hi = r1.interval
    assert lo <= r1.value <= hi and lo < hi
    assert r1.interval == r2.interval


def test_evidence_most_decisive_first():
    r = agreement(tiny(), "AAA", "BBB", "share", n_boot=0)
    first = r.evidence[0]
    assert first["votes"] == {"AAA": "yes", "BBB": "no"} and first["split"] == 1.0
    assert [e["split"] for e in r.evidence] == sorted((e["split"] for e in r.evidence), reverse=True)
    assert len(r.evidence) == 5


def test_undefined_kappa_is_none_with_warning_not_a_crash():
    vm = tiny(["yes"] * 4, ["yes"] * 4)
    r = agreement(vm, "AAA", "BBB", "kappa", n_boot=50)
    assert r.value is None and r.warnings
    assert r.to_dict()["value"] is None


def test_one_category_ballot_kappa_zero_pi_informative():
    vm = tiny(["yes"] * 6, ["yes", "yes", "yes", "yes", "no", "no"])
    k = agreement(vm, "AAA", "BBB", "kappa", n_boot=0)
    assert k.value == pytest.approx(0.0) and any("pi" in w for w in k.warnings)
    assert agreement(vm, "AAA", "BBB", "pi", n_boot=0).value != pytest.approx(0.0)


def test_no_shared_votes_raises():
    vm = tiny(["yes", "absent"], ["absent", "no"])
    with pytest.raises(NoSharedVotesError, match="no shared votes"):
        agreement(vm, "AAA", "BBB", "share")
    with pytest.raises(NoSharedVotesError):
        agreement(tiny(), "AAA", "ZZZ", "share")


def test_all_pairs_tables_match_one_against_many():
    rng = np.random.default_rng(1)
    codes = rng.integers(-1, 3, size=(40, 6)).astype(np.int8)
    allp = tables_all_pairs(codes, 3)
    one = tables_against(codes[:, 2], codes, np.ones((1, 40)), 3)[0]
    np.testing.assert_allclose(allp[2], one)


codes_strategy = st.lists(st.tuples(st.integers(-1, 3), st.integers(-1, 3)), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(codes_strategy)
def test_measures_symmetric_and_bounded(pairs):
    a = np.array([p[0] for p in pairs], dtype=np.int8)
    b = np.array([p[1] for p in pairs], dtype=np.int8)
    w = np.ones((1, len(a)))
    for measure, k in (("share", 3), ("kappa", 3), ("pi", 3), ("s", 3), ("share", 4), ("kappa", 4), ("pi", 4)):
        ab, n_ab = measure_from_tables(tables_against(a, b[:, None], w, k), measure)
        ba, n_ba = measure_from_tables(tables_against(b, a[:, None], w, k), measure)
        assert n_ab[0, 0] == n_ba[0, 0]
        v1, v2 = ab[0, 0], ba[0, 0]
        assert (np.isnan(v1) and np.isnan(v2)) or v1 == pytest.approx(v2)
        if not np.isnan(v1):
            assert -1.0 - 1e-12 <= v1 <= 1.0 + 1e-12
            if measure == "share":
                assert v1 >= 0.0
