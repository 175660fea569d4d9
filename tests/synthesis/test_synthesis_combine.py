import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orderwatch.synthesis import (
    WeightsError, combine, combined_positions, monte_carlo_interval, parse_weights, stream_wide,
    validate_weights,
)
from synthetic_positions import registry, stream_table

Z = 1.959963984540054


def test_weights_normalise_and_fill_missing_streams():
    assert validate_weights({"words": 1, "votes": 3}) == {"words": 0.25, "votes": 0.75, "institutions": 0.0,
                                                          "practice": 0.0}
    assert parse_weights("words=1, votes=1,institutions=2") == {"words": 0.25, "votes": 0.25, "institutions": 0.5,
                                                                 "practice": 0.0}
    assert parse_weights(None) == pytest.approx({"words": .25, "votes": .25, "institutions": .25, "practice": .25})


@pytest.mark.parametrize("text, message", [
    ("votes=-1", "must be >= 0"),
    ("words=0,votes=0,institutions=0", "sum to zero"),
    ("votes=0", "sum to zero"),
    ("tweets=1", "unknown stream"),
    ("votes", "write stream=value"),
    ("votes=abc", "not a number"),
    ("votes=nan", "finite"),
])
def test_bad_weights_give_a_clear_error(text, message):
    with pytest.raises(WeightsError, match=message):
        parse_weights(text)


def test_combined_position_known_answer():
    words = stream_table({("AAA", 2020): 0.2}, half_width=0.1 * Z)   # se 0.1
    votes = stream_table({("AAA", 2020): 0.6}, half_width=0.2 * Z)   # se 0.2
    out = combine(stream_wide({"words": words, "votes": votes}), {"words": 1, "votes": 1})
    row = out[out.axis == "overall"].iloc[0]
    assert row.position == pytest.approx(0.4)
    assert row.se == pytest.approx(math.sqrt(0.25 * 0.01 + 0.25 * 0.04))
    assert row.lo == pytest.approx(0.4 - Z * row.se)
    assert row.n_streams == 2 and row.streams == "words,votes"
    # Unequal weights: 1:3
    out = combine(stream_wide({"words": words, "votes": votes}), {"words": 1, "votes": 3})
    assert out.iloc[0].position == pytest.approx(0.25 * 0.2 + 0.75 * 0.6)


def test_missing_stream_renormalises_weights_not_zero():
    words = stream_table({("AAA", 2020): -0.5})
    votes = stream_table({("BBB", 2020): 0.5})
    out = combine(stream_wide({"words": words, "votes": votes}))
    a = out[(out.iso3 == "AAA") & (out.axis == "A1")].iloc[0]
    assert a.position == pytest.approx(-0.5)           # not (-0.5 + 0) / 2
    assert a.w_words == pytest.approx(1.0) and a.w_votes == 0.0
    assert a.n_streams == 1


def test_state_without_data_is_missing_never_zero():
    votes = stream_table({("AAA", 2020): 0.3})
    reg = registry({"AAA": "southeast", "BBB": "southeast"})
    pos = combined_positions({"votes": votes}, reg, years=(2020, 2021))
    b = pos[pos.iso3 == "BBB"]
    assert len(b) == 8                               # 2 years x 4 axes, all present as rows
    assert b.position.isna().all() and (b.n_streams == 0).all()
    assert b.notes.str.contains("votes:none").all()
    a21 = pos[(pos.iso3 == "AAA") & (pos.year == 2021)]
    assert a21.position.isna().all()                 # no evidence in 2021 either
    a20 = pos[(pos.iso3 == "AAA") & (pos.year == 2020)].set_index("axis")
    assert a20.at["overall", "position"] == pytest.approx(0.3) and a20.at["overall", "published"]
    # One stream alone does not place a state on an axis (publication rule).
    assert a20.loc[["A1", "A2", "A3"], "position"].isna().all()
    assert (a20.loc[["A1", "A2", "A3"], "publication"] == "axis_single_stream").all()
    assert np.allclose(a20.loc[["A1", "A2", "A3"], "position_raw"], 0.3)


def test_notes_flag_membership_and_vote_source_seam():
    reg = registry({"AAA": "southeast"})
    reg["un_member_from"] = 2002
    votes = stream_table({("AAA", 2019): 0.1, ("AAA", 2020): 0.1})
    pos = combined_positions({"votes": votes}, reg, years=(2000, 2020))
    notes = pos[pos.axis == "overall"].set_index("year").notes
    assert "votes:not_un_member" in notes[2000]
    assert "votes:undl_source" in notes[2020] and "votes:undl_source" not in notes[2019]


def test_streams_subset_and_weights_change_the_figure():
    w = stream_table({("AAA", 2020): -0.6})
    v = stream_table({("AAA", 2020): 0.6})
    t = {"words": w, "votes": v}
    only_votes = combined_positions(t, None, streams=["votes"], years=(2020, 2020), rules=False)
    assert np.allclose(only_votes.position, 0.6)
    heavy_words = combined_positions(t, None, weights={"words": 3, "votes": 1}, years=(2020, 2020))
    assert heavy_words.set_index("axis").at["overall", "position"] == pytest.approx(-0.3)


def test_overall_from_axes_subset():
    rows = []
    for axis, p in (("A1", 0.1), ("A2", 0.5), ("A3", -0.3), ("overall", 0.9)):
        rows.append({"iso3": "AAA", "year": 2020, "axis": axis, "position": p, "lo": p - .1, "hi": p + .1,
                     "n": 1, "method": "m"})
    t = {"votes": pd.DataFrame(rows)}
    pos = combined_positions(t, None, years=(2020, 2020), overall_axes=["A2", "A3"], rules=False)
    assert pos[pos.axis == "overall"].position.iloc[0] == pytest.approx(0.1)
    with pytest.raises(WeightsError):
        combined_positions(t, None, years=(2020, 2020), overall_axes=["A9"])


def test_monte_carlo_agrees_with_analytic_interval_in_the_interior():
    words = stream_table({("AAA", 2020): 0.1}, half_width=0.1)
    votes = stream_table({("AAA", 2020): -0.2}, half_width=0.2)
    wide = stream_wide({"words": words, "votes": votes})
    an = combine(wide)
    mc = monte_carlo_interval(wide, n_draws=20000, random_state=1)
    assert mc.position_mc.iloc[0] == pytest.approx(an.position.iloc[0], abs=0.01)
    assert mc.lo_mc.iloc[0] == pytest.approx(an.lo.iloc[0], abs=0.01)
    assert mc.hi_mc.iloc[0] == pytest.approx(an.hi.iloc[0], abs=0.01)


def test_several_methods_in_one_stream_table_are_not_mixed():
    a = stream_table({("AAA", 2020): 0.5}, method="kappa")
    b = stream_table({("AAA", 2020): -0.5, ("BBB", 2020): -0.5}, method="ideal")
    wide = stream_wide({"votes": pd.concat([a, b])})
    assert set(wide.votes_method) == {"ideal"}                 # the method with more rows
    wide = stream_wide({"votes": pd.concat([a, b])}, methods={"votes": "kappa"})
    assert set(wide.votes_method) == {"kappa"}


@settings(max_examples=60, deadline=None)
@given(p=st.lists(st.one_of(st.none(), st.floats(-1, 1)), min_size=3, max_size=3),
       w=st.lists(st.floats(0.01, 10), min_size=3, max_size=3))
def test_combined_is_a_convex_combination_of_present_streams(p, w):
    tables = {}
    for stream, value in zip(("words", "votes", "institutions"), p):
        if value is not None:
            tables[stream] = stream_table({("AAA", 2020): value}, axes=["overall"])
    if not tables:
        return
    out = combine(stream_wide(tables), dict(zip(("words", "votes", "institutions"), w)))
    present = [v for v in p if v is not None]
    assert min(present) - 1e-9 <= out.position.iloc[0] <= max(present) + 1e-9
    assert -1 <= out.lo.iloc[0] <= out.hi.iloc[0] <= 1
