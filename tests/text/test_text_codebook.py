"""The codebook and its matcher: known answers on boundaries, rejection, spans, engines."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from orderwatch import bundled
from orderwatch.text.codebook import Codebook, Matcher, load_codebook, sentence_spans

CB = load_codebook()


def test_every_frame_is_complete():
    for f in CB.frames.values():
        assert f.definition and f.examples, f.id
        if f.id != "a1_unilateral_security":  # reached only through rejected_as
            assert f.en and f.zh, f.id
    poles = {(f.axis, f.pole) for f in CB.frames.values()}
    assert {(a, p) for a, p in poles if p != "middle"} == {(a, p) for a in ("A1", "A2", "A3") for p in ("gsi", "us")}
    assert {p for _, p in poles} == {"gsi", "us", "middle"}


def test_issue_terms_are_in_the_codebook():
    en = {p for f in CB.frames.values() for p in f.en}
    zh = {p for f in CB.frames.values() for p in f.zh}
    for term in ["indivisible security", "deterrence", "integrated deterrence", "freedom of navigation",
                 "rules-based international order", "dialogue and consultation", "non-interference",
                 "quad", "aukus", "free and open indo-pacific", "community with a shared future",
                 "cold war mentality", "bloc confrontation", "small circles", "zero-sum"]:
        assert term in en, term
    for term in ["全球安全倡议", "安全不可分割", "命运共同体", "冷战思维", "阵营对抗", "航行自由", "基于规则的国际秩序"]:
        assert term in zh, term


def test_seed_examples_match_their_frame():
    m = Matcher()
    for f in CB.frames.values():
        for ex in f.examples:
            if "illustration" in ex["source"] or f.id == "a2_international_law_award":
                continue
            frames = {x.frame for x in m.find(ex["text"])}
            assert f.id in frames, (f.id, ex["text"], frames)


def test_english_word_boundaries():
    m = Matcher()
    assert [x.frame for x in m.find("The Quad met.")] == ["a3_minilaterals"]
    assert m.find("Output quadrupled; squadrons flew.") == []


def test_chinese_word_boundaries_use_jieba():
    cb = Codebook.from_dict({"frames": [{"id": "x", "axis": "A3", "pole": "us", "definition": "d",
                                         "zh": ["印度"], "en": []}]})
    m = Matcher(cb)
    assert m.find("印度尼西亚总统访华。") == []
    hits = m.find("印度和中国是邻国。")
    assert [(h.start, h.end, h.text) for h in hits] == [(0, 2, "印度")]


def test_rejected_terms_count_for_the_speakers_pole():
    m = Matcher()
    (hit,) = m.find("We reject the so-called rules-based international order.")
    assert hit.pole == "gsi" and hit.frame == "a2_so_called_fon"
    (hit,) = m.find("They sail warships in the name of freedom of navigation.")
    assert hit.pole == "gsi" and hit.rejected and hit.frame == "a2_so_called_fon"
    (hit,) = m.find("China's so-called Global Security Initiative")
    assert hit.pole == "us" and hit.rejected
    (hit,) = m.find("我们反对所谓基于规则的国际秩序。")
    assert hit.pole == "gsi"
    (hit,) = m.find("The rules-based international order serves all.")
    assert hit.pole == "us" and not hit.rejected
    # Frames that already denounce are not flipped by a rejection cue.
    (hit,) = m.find("We reject the Cold War mentality.")
    assert hit.pole == "gsi" and not hit.rejected


def test_spans_index_the_original_text_in_mixed_language():
    text = "中国提出全球安全倡议。 The Quad and AUKUS — “so-called freedom of navigation” — 冷战思维！"
    for x in Matcher().find(text):
        assert text[x.start:x.end].lower() == x.text.lower()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["indivisible security", "Quad", " 冷战思维 ", "freedom of navigation", "印度尼西亚",
                                 "hello", ". ", "。", "é", "\n\n", "so-called "]), max_size=20))
def test_spans_and_engines_agree(parts):
    text = " ".join(parts)
    a = Matcher(engine="auto").find(text)
    b = Matcher(engine="regex").find(text)
    assert a == b
    for x in a:
        assert text[x.start:x.end] == x.text


def test_engines_agree_on_real_speeches():
    df = bundled.read("ungdc", columns=["iso3", "year", "text"])
    sample = df[df.iso3.isin(["PHL", "CHN", "USA", "VNM"]) & (df.year >= 2016)].text.tolist()
    fast, slow = Matcher(engine="auto"), Matcher(engine="regex")
    n = 0
    for t in sample:
        a = fast.find(t)
        assert a == slow.find(t)
        n += len(a)
    assert n > 50


def test_sentence_spans_cover_text():
    t = "One. Two!  三。四？ Last"
    spans = sentence_spans(t)
    assert spans[0, 0] == 0 and spans[-1, 1] == len(t)
    assert (spans[1:, 0] == spans[:-1, 1]).all()


def test_bad_codebook_is_refused():
    from orderwatch.errors import OrderwatchError

    with pytest.raises(OrderwatchError):
        Codebook.from_dict({"frames": [{"id": "x", "axis": "A9", "pole": "us", "definition": "d"}]})
