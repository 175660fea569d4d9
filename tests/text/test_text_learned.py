"""The learned passage scorer: masking, the logistic model, abstention, intervals, vendored weights."""

import numpy as np
import pytest

from orderwatch.text.learned import LearnedScorer, Logistic, auc, load_weights, mask_names, text_position


def test_mask_names_removes_states_places_and_speakers_not_pronouns():
    out = mask_names("The United States and China's Xi Jinping met near the South China Sea. Join us, Japan!")
    assert "United States" not in out and "China" not in out and "Xi" not in out and "Japan" not in out
    assert "Join us" in out
    assert mask_names("美方和中方在南海，菲律宾。") == "X和X在X，X。"


def test_logistic_separates_and_is_deterministic():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 5))
    y = np.where(X[:, 0] + 0.3 * rng.normal(size=400) > 0, 1, -1)
    a = Logistic(1.0).fit(X[:300], y[:300], calibrate=(X[300:], y[300:]))
    b = Logistic(1.0).fit(X[:300], y[:300], calibrate=(X[300:], y[300:]))
    assert np.array_equal(a.coef_, b.coef_)
    p = a.predict_proba(X)
    assert ((p > 0) & (p < 1)).all() and auc(y, p) > 0.95
    assert a.coef_[0] > 5 * np.abs(a.coef_[1:]).max()


def test_auc_known_values():
    assert auc([1, 1, -1, -1], [0.9, 0.8, 0.1, 0.2]) == 1.0
    assert auc([1, -1], [0.0, 1.0]) == 0.0
    assert auc([1, -1, 1, -1], [0.5, 0.5, 0.5, 0.5]) == 0.5


def test_text_position_abstains_shrinks_and_never_zero_width():
    assert text_position(np.array([])) == (None, [None, None])
    pos, (lo, hi) = text_position(np.array([1.0]))
    assert pos == pytest.approx(0.5) and hi - lo > 0.5
    pos, _ = text_position(np.array([0.5, 0.5, 0.5]))
    assert pos == pytest.approx(0.0)
    pos10, (lo10, hi10) = text_position(np.ones(10))
    assert pos10 == pytest.approx(2 * 10.5 / 11 - 1) and lo10 < pos10 <= hi10 and hi10 - lo10 < hi - lo


def test_vendored_weights_have_provenance():
    w = load_weights()
    assert len(w["coef"]) == 512 and w["random_state"] == 0
    assert len(w["training_sha256"]) == 64 and w["n_sentences"] > 3000
    assert "refit" in w and "encoder" in w


def test_embedding_scorer_orders_poles_across_languages_and_abstains():
    s = LearnedScorer("embedding")
    us = s.score("We will strengthen integrated deterrence with our treaty allies and partners.")
    gsi = s.score("各国应通过对话协商和平解决争端，坚持共同、综合、合作、可持续的安全观。")
    assert gsi["position"] < us["position"]
    off = s.score("The festival celebrates music, food and dance from many regions.")
    assert off["position"] is None and off["interval"] == [None, None] and off["n"] == 0


@pytest.fixture(scope="module")
def tfidf():
    return LearnedScorer("tfidf")  # fitted from the bundled corpora (seconds)


def test_tfidf_baseline_orders_poles_and_skips_chinese(tfidf):
    p = tfidf.sentence_proba(["Our alliances and partnerships are the foundation of deterrence in the region.",
                              "Countries should settle disputes through dialogue and consultation and oppose hegemonism.",
                              "我们反对冷战思维。"])
    assert p[0] > 0.5 > p[1] and np.isnan(p[2])
