"""Roll-call subsets: the security rule, inferred issue flags, axis subsets."""

from __future__ import annotations

import pandas as pd

from orderwatch.votes.subsets import axis_masks, issue_flags, subset_mask


def rc(titles, source="undl", **flags):
    df = pd.DataFrame({"rcid": range(len(titles)), "short": titles, "descr": titles, "source": source,
                       "importantvote": pd.array([pd.NA] * len(titles), dtype="boolean")})
    for code in ("me", "nu", "di", "hr", "co", "ec"):
        df[code] = flags.get(code, False)
    return df


def test_security_rule_by_title():
    t = rc(["Situation of human rights in Myanmar", "Nuclear disarmament", "Oceans and the law of the sea",
            "Agricultural technology for sustainable development", "Prevention of an arms race in outer space",
            "Territorial integrity of Ukraine", "Measures to eliminate international terrorism",
            "The situation in Afghanistan", "Farms and harms"])
    assert subset_mask(t, "security").tolist() == [True, True, True, False, True, True, True, True, False]


def test_undl_flags_are_inferred_and_voeten_flags_kept():
    t = rc(["Nuclear disarmament", "Human rights and cultural diversity"])
    flags, inferred = issue_flags(t)
    assert flags["nu"].tolist() == [True, False] and flags["hr"].tolist() == [False, True]
    assert inferred.all().all()
    v = rc(["Nuclear disarmament"], source="voeten")  # Voeten coded it, the coding wins
    flags, inferred = issue_flags(v)
    assert not flags["nu"].iloc[0] and not inferred["nu"].iloc[0]


def test_axis_masks_and_pole_split():
    t = rc(["Nuclear disarmament", "Situation of human rights in the Democratic People's Republic of Korea",
            "Necessity of ending the embargo against Cuba", "Harmony with nature"])
    m = axis_masks(t, pole_split=pd.Series([False, False, False, True]).to_numpy())
    assert m["A1"].tolist() == [True, False, False, False]
    assert m["A2"].tolist() == [False, True, False, False]
    assert m["A3"].tolist() == [False, True, True, True]
    assert m["overall"].all()


def test_important_is_false_where_unknown():
    t = rc(["a", "b"], source="voeten")
    t["importantvote"] = pd.array([True, pd.NA], dtype="boolean")
    assert subset_mask(t, "important").tolist() == [True, False]


def test_security_subset_on_real_roll_calls(store):
    r = store.roll_calls()
    m = subset_mask(r, "security")
    undl = (r["source"] == "undl").to_numpy()
    # Both sources contribute, and the security subset is a real minority of roll calls.
    assert 0.15 < m.mean() < 0.5 and m[undl].sum() > 100
