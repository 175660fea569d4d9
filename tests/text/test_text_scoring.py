"""Codebook scoring, score_text's JSON contract, and the semantic scale."""

import json

import numpy as np
import pytest

from orderwatch.text import score_text
from orderwatch.text.scoring import logit_position, score_codebook

GSI = ("We uphold indivisible security. Security cannot be based on the insecurity of others. "
       "Disputes must be settled through dialogue and consultation. We oppose bloc confrontation. "
       "The Cold War mentality must go. Build a community with a shared future.")
US = ("Integrated deterrence keeps the peace. Our treaty allies matter. Freedom of navigation must be upheld. "
      "The arbitral award is final and legally binding. The Quad and AUKUS deliver. "
      "We work with like-minded partners for a free and open Indo-Pacific.")


def test_position_formula_known_values():
    assert logit_position(3, 0) == pytest.approx(0.75)
    assert logit_position(0, 3) == pytest.approx(-0.75)
    assert logit_position(2, 2) == 0


def test_poles_have_the_right_sign_on_every_axis():
    g, u = score_codebook(GSI), score_codebook(US)
    assert g["position"] < -0.8 and u["position"] > 0.8
    for axis in ("A1", "A2", "A3"):
        assert g["axes"][axis]["gsi"] > 0 and g["axes"][axis]["us"] == 0
        assert u["axes"][axis]["us"] > 0 and u["axes"][axis]["gsi"] == 0


def test_interval_brackets_position_and_is_reproducible():
    text = GSI + " " + US + " Freedom of navigation. The Quad."
    a, b = score_codebook(text, random_state=7), score_codebook(text, random_state=7)
    assert a == b
    lo, hi = a["interval"]
    assert -1 <= lo <= a["position"] <= hi <= 1


def test_not_enough_signal_is_null_not_zero():
    r = score_codebook("The weather in Geneva was pleasant this week.")
    assert r["position"] is None and r["interval"] == [None, None]
    assert any("not enough signal" in w for w in r["warnings"])
    assert r["relevance"] == 0


def test_relevance_is_a_share():
    r = score_codebook("Security in the South China Sea matters. We like cake. Cake is good.")
    assert r["relevance"] == pytest.approx(1 / 3)


def test_evidence_spans_point_into_the_text():
    r = score_codebook(GSI)
    for e in r["evidence"]:
        assert GSI[e["start"]:e["end"]] == e["text"]
        assert e["text"] in e["passage"]


def test_chinese_text_scores_on_the_chinese_side():
    r = score_codebook("中方坚持共同、综合、合作、可持续的安全观，反对冷战思维和阵营对抗。美方鼓吹航行自由。")
    # 美方鼓吹航行自由: the US term under a pejorative cue counts for the GSI pole (v2).
    assert r["axes"]["A3"]["gsi"] == 2 and r["axes"]["A2"]["gsi"] == 1 and r["axes"]["A2"]["us"] == 0
    assert r["position"] < 0


def test_score_text_contract_shape():
    r = json.loads(json.dumps(score_text(GSI)))
    for key in ("position", "interval", "relevance", "axes", "evidence", "method"):
        assert key in r
    assert set(r["axes"]) == {"A1", "A2", "A3"}
    assert set(r["evidence"][0]) >= {"frame", "pole", "axis", "text", "start", "end"}
    assert r["method"] == "codebook"


def test_score_text_empty_and_unknown_method():
    from orderwatch.errors import OrderwatchError

    assert score_text("")["position"] is None
    with pytest.raises(OrderwatchError):
        score_text("x", method="magic")


def test_score_text_wordscores_places_real_poles():
    from orderwatch import bundled

    df = bundled.read("ungdc", columns=["iso3", "year", "text"])
    chn = df[(df.iso3 == "CHN") & (df.year == 2023)].text.iloc[0]
    usa = df[(df.iso3 == "USA") & (df.year == 2022)].text.iloc[0]
    c, u = score_text(chn, "wordscores"), score_text(usa, "wordscores")
    assert c["method"] == "wordscores" and c["position"] < u["position"]
    assert c["position"] < 0 < u["position"]


def test_semantic_scale_orders_poles_across_languages():
    a = score_text("中国坚持安全不可分割原则，反对冷战思维和阵营对抗，倡导对话协商。", "semantic")
    b = score_text("We strengthen integrated deterrence with our treaty allies, the Quad and AUKUS.", "semantic")
    assert a["position"] < b["position"]
    assert np.isfinite(a["position"])


def test_semantic_positions_shape_and_cache(tmp_path):
    import pandas as pd

    from orderwatch.text.semantic import EmbeddingCache, semantic_positions

    sp = pd.DataFrame({"iso3": ["AAA", "BBB"], "year": [2020, 2020],
                       "text": ["We strengthen deterrence with our allies in the South China Sea. The Quad matters.",
                                "We oppose bloc confrontation and the Cold War mentality. Security is indivisible."]})
    cache = EmbeddingCache(tmp_path / "emb.npz")
    pos = semantic_positions(sp, ["AAA", "BBB"], cache=cache)
    assert list(pos.columns) == ["iso3", "year", "axis", "position", "lo", "hi", "n", "method"]
    o = pos[pos.axis == "overall"].set_index("iso3").position
    assert o["BBB"] < o["AAA"]
    cache.save()
    assert len(EmbeddingCache(tmp_path / "emb.npz")) == len(cache) > 0
