"""EM probit ideal points: recovery of known positions, orientation, standard errors."""

from __future__ import annotations

import numpy as np
import pytest

from orderwatch.votes import EMIdealPoints
from orderwatch.votes.ideal import simulate_votes


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_recovers_simulated_positions(seed):
    codes, x = simulate_votes(n_states=150, n_rollcalls=120, random_state=seed)
    model = EMIdealPoints().fit(codes, orient=np.arange(x.size) == 0)
    assert model.converged_
    assert np.corrcoef(model.ideal_points_, x)[0, 1] >= 0.98


def test_orientation_follows_the_reference_state():
    codes, x = simulate_votes(random_state=4)
    flipped = EMIdealPoints().fit(codes, orient=np.arange(x.size) == int(np.argmin(x)))
    assert flipped.ideal_points_[np.argmin(x)] > 0
    assert np.corrcoef(flipped.ideal_points_, x)[0, 1] <= -0.98


def test_fit_returns_self_and_refits_from_scratch():
    codes, x = simulate_votes(random_state=5)
    m = EMIdealPoints(n_boot=0)
    assert m.fit(codes) is m
    first = m.ideal_points_.copy()
    m.fit(codes)
    np.testing.assert_allclose(m.ideal_points_, first)
    assert np.isnan(m.se_).all() and np.isfinite(m.se_laplace_).all()


def test_bootstrap_standard_errors_reproducible_and_sane():
    codes, x = simulate_votes(n_states=60, n_rollcalls=80, random_state=6)
    a = EMIdealPoints(n_boot=30, random_state=1).fit(codes, orient=np.arange(60) == 0)
    b = EMIdealPoints(n_boot=30, random_state=1).fit(codes, orient=np.arange(60) == 0)
    np.testing.assert_allclose(a.se_, b.se_)
    assert (a.se_ > 0).all() and (a.se_ < 1.0).all()


def test_states_with_too_few_votes_get_nan_not_zero():
    codes, _ = simulate_votes(n_states=30, n_rollcalls=50, random_state=7)
    codes[3:, 5] = -1  # state 5 votes only three times
    m = EMIdealPoints(min_votes=5).fit(codes)
    assert np.isnan(m.ideal_points_[5]) and np.isfinite(np.delete(m.ideal_points_, 5)).all()


def test_abstention_coding_is_validated():
    codes, _ = simulate_votes(random_state=8)
    with pytest.raises(ValueError, match="abstain"):
        EMIdealPoints(abstain="yes").fit(codes)
