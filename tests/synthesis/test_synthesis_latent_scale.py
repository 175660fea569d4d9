"""The poles' scale keeps each stream's zero (docs/synthesis.md, step 1 of the model)."""

import numpy as np
import pytest

from orderwatch.synthesis.latent_scale import MIN_POLE_READING, from_pole_scale, pole_readings, to_pole_scale

FIXED = np.array([-1.0, 1.0, np.nan, np.nan])        # CHN, USA, two free states


def panel(china, us, others):
    """One stream (K=1), four states, three years: the poles' figures and two free states'."""
    Y = np.full((1, 4, 3), np.nan)
    Y[0, 0], Y[0, 1] = china, us
    Y[0, 2:] = others
    return Y


def test_uneven_poles_keep_the_zero_and_map_each_pole_to_one():
    Y = panel(china=-0.56, us=0.91, others=[[0.0, 0.28, -0.28], [0.91, -0.56, 1.0]])
    cn, us = pole_readings(Y, FIXED)
    assert cn[0] == pytest.approx(-0.56) and us[0] == pytest.approx(0.91)
    X, Xs = to_pole_scale(Y, np.full_like(Y, 0.1), cn, us)
    assert X[0, 2, 0] == 0.0                                     # no net ties: between, not China-leaning
    assert X[0, 2, 1] == pytest.approx(0.28 / 0.91) and X[0, 2, 2] == pytest.approx(-0.5)
    assert X[0, 3].tolist() == pytest.approx([1.0, -1.0, 1.0])    # at or beyond a pole: the pole
    assert Xs[0, 2, 2] == pytest.approx(0.1 / 0.56)               # errors scale with their side
    # An affine map through the poles would have read the zero at -(0.91 - 0.56) / (0.91 + 0.56).
    back = from_pole_scale(X[0, 2], cn[0], us[0])
    assert back == pytest.approx(Y[0, 2])


def test_a_pole_near_the_zero_stretches_at_most_twofold():
    Y = panel(china=-0.17, us=0.78, others=[[-0.17, 0.0, 0.3], [0.0, 0.0, 0.0]])
    cn, us = pole_readings(Y, FIXED)
    assert cn[0] == -MIN_POLE_READING and us[0] == pytest.approx(0.78)
    X, _ = to_pole_scale(Y, np.full_like(Y, 0.1), cn, us)
    assert X[0, 2, 0] == pytest.approx(-0.34)                     # one SCO-like tie is not China's position


def test_a_pole_on_the_wrong_side_or_missing_is_taken_at_face_value():
    Y = panel(china=0.05, us=np.nan, others=[[0.2, -0.2, 0.0], [0.0, 0.0, 0.0]])
    cn, us = pole_readings(Y, FIXED)
    assert cn[0] == -1.0 and us[0] == 1.0
    X, _ = to_pole_scale(Y, np.full_like(Y, 0.1), cn, us)
    assert X[0, 2].tolist() == pytest.approx([0.2, -0.2, 0.0])
