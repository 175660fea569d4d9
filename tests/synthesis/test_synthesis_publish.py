"""Publication rules: weak single streams withheld, axes need two streams, thin years are
provisional and never the default, contested UN seats not attributed; with and without
a practice stream."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from orderwatch.synthesis import combined_positions, say_do_gap, stream_wide
from orderwatch.synthesis.publish import MIN_EVIDENCE, default_year, year_evidence
from orderwatch.votes.data import prepare
from synthetic_positions import registry, stream_table


def test_single_weak_stream_is_withheld_strong_one_published():
    inst = pd.concat([
        stream_table({("AFG", 2024): -1.0}, n=1, axes=["overall"]),         # one tie
        stream_table({("JPN", 2024): 0.8}, n=MIN_EVIDENCE["institutions"], axes=["overall"]),
    ])
    pos = combined_positions({"institutions": inst}, None, years=(2024, 2024)).set_index(["iso3", "axis"])
    afg = pos.loc[("AFG", "overall")]
    assert np.isnan(afg.position) and np.isnan(afg.lo) and not afg.published
    assert afg.publication == "single_weak_stream" and afg.position_raw == -1.0
    jpn = pos.loc[("JPN", "overall")]
    assert jpn.position == pytest.approx(0.8) and jpn.published


def test_two_weak_streams_are_published_and_axes_need_two_streams():
    w = stream_table({("IDN", 2020): 0.2}, n=3)
    v = stream_table({("IDN", 2020): 0.4}, n=5)
    pos = combined_positions({"words": w, "votes": v}, None, years=(2020, 2020)).set_index("axis")
    assert pos.at["overall", "published"]
    # No axis validated: never published, whatever the evidence; the value stays visible.
    assert pos.loc[["A1", "A2", "A3"], "publication"].eq("axis_not_validated").all()
    assert pos.loc[["A1", "A2", "A3"], "position"].isna().all()
    assert pos.loc[["A1", "A2", "A3"], "position_raw"].notna().all()
    # With the axis gate lifted (as the validity report judges axes), two streams publish.
    from orderwatch.synthesis.publish import apply_rules
    raw = combined_positions({"words": w, "votes": v}, None, years=(2020, 2020), rules=False)
    gated = apply_rules(raw, ("words", "votes"), published_axes=("A1", "A2", "A3", "overall")).set_index("axis")
    assert gated["published"].all()
    # Votes alone on the axes: withheld, with the reason.
    w_few = stream_table({("IDN", 2020): 0.2}, n=2)
    pos = combined_positions({"words": w_few, "votes": v}, None, years=(2020, 2020)).set_index("axis")
    assert pos.loc[["A1", "A2", "A3"], "publication"].eq("axis_single_stream").all()
    assert pos.loc[["A1", "A2", "A3"], "position"].isna().all()


def test_thin_year_is_provisional_and_never_the_default():
    years = {("PHL", y): 0.3 for y in (2023, 2024, 2025)} | {("VNM", y): -0.3 for y in (2023, 2024, 2025)}
    votes = stream_table(years, n=90)
    votes.loc[votes.year == 2025, "n"] = 33                                 # partial year
    words = stream_table({k: v for k, v in years.items() if k[1] < 2025}, n=30)
    tables = {"votes": votes, "words": words}
    ev = year_evidence(tables).set_index("year")
    assert ev.at[2025, "provisional"] and ev.at[2025, "why"] == "few_roll_calls;no_speech"
    assert not ev.at[2024, "provisional"]
    pos = combined_positions(tables, None, years=(2023, 2025))
    assert pos[pos.year == 2025].provisional.all() and not pos[pos.year == 2024].provisional.any()
    # 2025 has figures (votes alone, strong) but is not the default year.
    assert pos[(pos.year == 2025) & (pos.axis == "overall")].position.notna().all()
    assert default_year(pos) == 2024


def test_default_year_none_when_nothing_published():
    pos = combined_positions({"votes": stream_table({("AAA", 2020): 0.1}, n=1)}, None, years=(2020, 2020))
    assert default_year(pos) is None


def test_contested_seat_votes_not_attributed():
    # Myanmar's 2022 votes and speech are dropped; institutions still place it.
    votes = stream_table({("MMR", 2020): -0.4, ("MMR", 2022): 0.1})
    words = stream_table({("MMR", 2020): -0.3, ("MMR", 2022): 0.5})
    inst = stream_table({("MMR", 2020): -0.4, ("MMR", 2022): -0.4})
    pos = combined_positions({"votes": votes, "words": words, "institutions": inst}, None,
                             years=(2020, 2022)).set_index(["year", "axis"])
    y22 = pos.loc[(2022, "overall")]
    assert np.isnan(y22.votes) and np.isnan(y22.words) and y22.streams == "institutions"
    assert y22.contested_seat and "contested_seat" in y22.notes
    assert y22.position == pytest.approx(-0.4)
    y20 = pos.loc[(2020, "overall")]
    assert not y20.contested_seat and y20.n_streams == 3


def test_votes_matrix_drops_votes_cast_after_the_change_of_power():
    rc = pd.DataFrame({"rcid": [1, 2, 3], "date": ["2021-01-20", "2021-03-01", "2021-09-01"],
                       "session": 75, "resolution": ["a", "b", "c"], "source": "undl"})
    votes = pd.DataFrame([(r, iso, "yes") for r in (1, 2, 3) for iso in ("MMR", "AFG", "CHN")],
                         columns=["rcid", "iso3", "vote"])
    vm = prepare(rc, votes)
    col = {iso: vm.column(iso) for iso in ("MMR", "AFG", "CHN")}
    assert vm.codes[:, col["MMR"]].tolist() == [0, -1, -1]     # coup 1 Feb 2021
    assert vm.codes[:, col["AFG"]].tolist() == [0, 0, -1]      # Kabul 15 Aug 2021
    assert vm.codes[:, col["CHN"]].tolist() == [0, 0, 0]


@pytest.mark.parametrize("with_practice", [False, True])
def test_practice_stream_counts_when_present_and_is_missing_when_absent(with_practice):
    v = stream_table({("PHL", 2024): 0.2, ("THA", 2024): 0.0})
    i = stream_table({("PHL", 2024): 0.6, ("THA", 2024): 0.2})
    tables = {"votes": v, "institutions": i}
    if with_practice:
        tables["practice"] = stream_table({("PHL", 2024): 1.0}, axes=["A1", "overall"])
    pos = combined_positions(tables, None, years=(2024, 2024)).set_index(["iso3", "axis"])
    phl = pos.loc[("PHL", "overall")]
    if with_practice:
        assert phl.position == pytest.approx(0.6) and phl.n_streams == 3 and "practice" in phl.streams
        assert phl.w_practice == pytest.approx(1 / 3)
        # THA has no practice row: missing, not 0 -> the mean of its two streams.
        assert pos.loc[("THA", "overall")].position == pytest.approx(0.1)
        assert "practice:none" in pos.loc[("THA", "overall")].notes
    else:
        assert phl.position == pytest.approx(0.4) and np.isnan(phl.practice) and phl.w_practice == 0
        assert "practice" not in (pos.loc[("THA", "overall")].notes or "")
    lat = combined_positions(tables, None, years=(2024, 2024), model="latent").set_index(["iso3", "axis"])
    assert (lat.loc[("PHL", "overall"), "w_practice"] > 0) == with_practice
    assert "practice" in lat.columns and lat.loc[("THA", "overall"), "w_practice"] == 0
    gap = say_do_gap(stream_wide({**tables, "words": stream_table({("PHL", 2024): -0.2})}))
    g = gap[(gap.iso3 == "PHL") & (gap.axis == "overall")].iloc[0]
    assert g["do"] == pytest.approx(0.6 if with_practice else 0.4)
    assert ("practice" in g.do_streams) == with_practice
