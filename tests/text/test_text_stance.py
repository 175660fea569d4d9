"""Codebook v2: stance of each match (endorse / reject / describe), traditional Chinese,
middle frames, and intervals of short texts."""

from pathlib import Path

import pandas as pd
import pytest

from orderwatch.text.codebook import Matcher, to_simplified
from orderwatch.text.scoring import score_codebook

M = Matcher()


def stances(text):
    return [(x.frame, x.pole, x.stance) for x in M.find(text)]


@pytest.mark.parametrize("text, expected", [
    # Rejection cues before the term, in the sentence, or after it (所谓 ... 非法无效).
    ("They sail warships in the name of freedom of navigation.", [("a2_so_called_fon", "gsi", "reject")]),
    ("所谓南海仲裁案非法无效，是一张废纸。", [("a2_so_called_fon", "gsi", "endorse")]),
    ("南海仲裁案的裁决非法无效。", [("a2_so_called_fon", "gsi", "reject")]),
    ("美国国务院发言人谴责中方，称中方阻碍航行自由，呼吁中方遵守南海仲裁裁决。",
     [("a2_freedom_of_navigation", "us", "describe"), ("a2_international_law_award", "us", "describe")]),
    ("China firmly opposes using the invalid arbitration award to hurt its interests.",
     [("a2_so_called_fon", "gsi", "reject")]),
    ("The US imposes its rules-based order with double standards.", [("a2_so_called_fon", "gsi", "reject"),
                                                                     ("a2_anti_hegemony", "gsi", "endorse")]),
    ("China's illegal claims were rejected by the 2016 arbitral award.", [("a2_international_law_award", "us", "endorse")]),
    ("汪文斌说，美方所说的以规则为基础的国际秩序含糊不清。", [("a2_so_called_fon", "gsi", "reject")]),
    ("美国鼓吹航行自由。", [("a2_so_called_fon", "gsi", "reject")]),
    ("AUKUS reflects a Cold War mentality.", [("a3_bloc_confrontation", "gsi", "reject"),
                                             ("a3_cold_war_mentality", "gsi", "endorse")]),
    # Neutral use of shared vocabulary: described, counts for neither pole.
    ("All parties should respect UNCLOS and freedom of navigation.",
     [("a2_international_law_award", "us", "describe"), ("a2_freedom_of_navigation", "us", "describe")]),
    ("中方尊重各国依据国际法享有的航行自由。", [("a2_international_law_award", "us", "describe"),
                                    ("a2_freedom_of_navigation", "us", "describe")]),
    ("The DPRK will bolster its war deterrence.", [("a1_deterrence", "us", "describe")]),
    ("We will continue our commitment to respect international law.",
     [("a2_international_law_award", "us", "describe")]),
    ("AUKUS was announced in 2021; we hope it will be transparent.", [("a3_minilaterals", "us", "describe")]),
    ("Vietnam opposes China's hegemonism in the East Sea.", [("a2_anti_hegemony", "gsi", "describe")]),
    # Tied to the award, the allies or the US framing: endorsed.
    ("The 2016 arbitral award under UNCLOS is final, and we uphold freedom of navigation.",
     [("a2_international_law_award", "us", "endorse"), ("a2_international_law_award", "us", "endorse"),
      ("a2_freedom_of_navigation", "us", "endorse")]),
    ("We strengthen extended deterrence with our allies.", [("a1_deterrence", "us", "endorse"),
                                                          ("a1_alliances", "us", "endorse")]),
    ("We welcome the Quad's work for a free and open Indo-Pacific.", [("a3_minilaterals", "us", "endorse"),
                                                                     ("a3_like_minded", "us", "endorse")]),
    ("China will never seek hegemony.", [("a2_anti_hegemony", "gsi", "endorse")]),
    # Generic denunciations count for the GSI pole only when aimed at the US-led order
    # (or pledged away); opposing a violation of a term upholds it.
    ("Power politics, the use or threat of force and the rise of unilateral measures continue to pose threats.",
     [("a2_anti_hegemony", "gsi", "describe")]),
    ("If we endorse protectionist policies, unilateralism and trade wars, we close the door on trade.",
     [("a2_anti_hegemony", "gsi", "describe")]),
    ("We oppose hegemonism and power politics.", [("a2_anti_hegemony", "gsi", "endorse"),
                                                 ("a2_anti_hegemony", "gsi", "endorse")]),
    ("Unilateralism and unilateral sanctions hurt the developing world.",
     [("a2_anti_hegemony", "gsi", "endorse"), ("a2_anti_hegemony", "gsi", "endorse")]),
    ("反对单边主义和保护主义。", [("a2_anti_hegemony", "gsi", "describe")]),
    ("我们反对霸权主义和强权政治。", [("a2_anti_hegemony", "gsi", "endorse"), ("a2_anti_hegemony", "gsi", "endorse")]),
    ("坚决反对霸道霸凌。", [("a2_anti_hegemony", "gsi", "endorse"), ("a2_anti_hegemony", "gsi", "endorse")]),
    ("Malaysia opposes violations of international law, including the principle of sovereignty.",
     [("a2_international_law_award", "us", "describe")]),
    ("中方反对违反国际法的行为。", [("a2_international_law_award", "us", "describe")]),
    ("We oppose the so-called rules-based order.", [("a2_so_called_fon", "gsi", "endorse")]),
    ("A rules-based system imposes responsibilities on all countries and creates a stable environment.",
     [("a2_rules_based_order", "us", "endorse")]),
    ("We reject the Cold War mentality.", [("a3_cold_war_mentality", "gsi", "endorse")]),
    # Denunciations of the US-led coalitions without a cue before the term (Russia's General
    # Debate speeches, 2021-23): the sentence marks them as the other side's voice.
    ("The Summit for Democracy will be a step towards dividing the global community into us and them.",
     [("a3_bloc_confrontation", "gsi", "reject")]),
    ("Washington is creating subordinate, mini military and political alliances such as AUKUS.",
     [("a3_bloc_confrontation", "gsi", "reject")]),
    ("Some try to divide the world into democracies and autocracies and dictate neocolonial rules.",
     [("a3_bloc_confrontation", "gsi", "reject")]),
    ("The United Nations should not be an exclusive club of like-minded countries.",
     [("a3_bloc_confrontation", "gsi", "reject")]),
    ("Unilateral coercive measures imposed by some countries clearly violate international law.",
     [("a2_so_called_fon", "gsi", "reject")]),
    ("We must stop relying on military alliances and instead give security guarantees to neutral States.",
     [("a1_indivisible_security", "gsi", "reject")]),
    ("Relations between States need not be a zero-sum game.", [("a3_cold_war_mentality", "gsi", "describe")]),
    ("Our common security is challenged by regional conflicts.", [("a1_cooperative_security", "gsi", "describe")]),
    ("We advocate common security and oppose military blocs.", [("a1_cooperative_security", "gsi", "endorse"),
                                                               ("a3_bloc_confrontation", "gsi", "endorse")]),
    ("We require relevant countries to give up their obsession with zero-sum mindset.",
     [("a3_cold_war_mentality", "gsi", "endorse")]),
    ("We oppose military blocs and zero-sum games.", [("a3_bloc_confrontation", "gsi", "endorse"),
                                                     ("a3_cold_war_mentality", "gsi", "endorse")]),
    ("We continue to work with like-minded countries for an effective framework on climate change.",
     [("a3_like_minded", "us", "describe")]),
    ("所有志同道合的国家都可以参与一带一路。", []),
    ("We work with like-minded partners for a free and open Indo-Pacific.",
     [("a3_like_minded", "us", "endorse"), ("a3_like_minded", "us", "endorse")]),
    # The term upheld against China or Russia, whatever pejorative follows (second set, fourth session).
    ("China's disregard for international law amid reports of unlawful conduct is concerning.",
     [("a2_international_law_award", "us", "endorse")]),
    ("The US disregard for international law is unlawful.", [("a2_so_called_fon", "gsi", "reject")]),
    ("The US claimed China's violations of international law.", [("a2_international_law_award", "us", "describe")]),
    ("The Quad is just an appendage of Washington's Indo-Pacific strategy.",
     [("a3_bloc_confrontation", "gsi", "reject"), ("a3_bloc_confrontation", "gsi", "reject")]),
    ("We support the notion of Eurasian security indivisibility.", [("a1_indivisible_security", "gsi", "endorse")]),
    # Chinese: a long phrase after a word jieba joins to it; the GSI voice's own cues.
    ("中国企图改变国际上以规则为基础的国际秩序。", [("a2_rules_based_order", "us", "endorse")]),
    ("华盛顿推行的印太战略具有鲜明的反华性质。", [("a3_bloc_confrontation", "gsi", "reject")]),
])
def test_stance_known_answers(text, expected):
    assert stances(text) == expected


def test_traditional_chinese_is_matched_with_exact_spans():
    text = "我們堅持以規則為基礎的國際秩序，與理念相近國家合作。所謂「南海仲裁案」非法無效。"
    assert len(to_simplified(text)) == len(text)
    got = M.find(text)
    assert [(x.frame, x.pole) for x in got] == [("a2_rules_based_order", "us"), ("a3_like_minded", "us"),
                                                ("a2_so_called_fon", "gsi")]
    for x in got:  # evidence quotes the original (traditional) characters
        assert text[x.start:x.end] == x.text
    assert got[0].text == "以規則為基礎的國際秩序"


def test_middle_frames_land_near_zero():
    r = score_codebook("ASEAN centrality must be upheld. We will not choose sides. "
                       "Our strategic autonomy is not negotiable.")
    assert r["position"] == 0 and r["n"] == 3
    lo, hi = r["interval"]
    assert lo < -0.3 and hi > 0.3
    # Middle frames pull a one-sided text towards 0.
    one = score_codebook("We uphold the rules-based order. We value our treaty allies.")
    both = score_codebook("We uphold the rules-based order. We value our treaty allies. ASEAN centrality matters.")
    assert 0 < both["position"] < one["position"]


def test_described_matches_do_not_count():
    r = score_codebook("All states should respect UNCLOS. Freedom of navigation matters to trade.")
    assert r["position"] is None and r["n"] == 0 and r["n_described"] == 2
    assert {e["stance"] for e in r["evidence"]} == {"describe"}


@pytest.mark.parametrize("text", [
    "We uphold the rules-based international order and our treaty allies.",  # one sentence
    "We uphold the rules-based order. Our treaty allies matter.",  # two sentences
    "我们反对冷战思维和阵营对抗。",
])
def test_short_texts_never_get_zero_width_intervals(text):
    r = score_codebook(text)
    lo, hi = r["interval"]
    assert r["position"] is not None and hi - lo > 0.2
    assert lo <= r["position"] <= hi


def test_the_december_audit_errors_that_rules_can_fix_stay_fixed():
    """The General-Debate audit of 7 Dec 2026 (tests/text/fixtures/codebook_audit_ungdc_2026_12.tsv):
    'carbon neutrality' and 'digital neutrality' are not neutrality between the powers
    (masked phrases), and 'imperialism and its coercive actions ... contrary to
    international law' is the GSI side's voice."""
    audit = pd.read_csv(Path(__file__).parent / "fixtures" / "codebook_audit_ungdc_2026_12.tsv", sep="\t", comment="#")
    assert (audit.correct == 1).sum() == 50 and len(audit) == 60
    wrong = audit[audit.correct == 0]
    neutral = wrong[wrong.term.str.lower().str.contains("neutrality")]
    assert len(neutral) == 5
    for sentence in neutral.sentence:
        assert not [x for x in M.find(sentence) if x.frame == "m_non_alignment"], sentence
    nicaragua = wrong[wrong.doc_ref == "ungdc:NIC:2022"].sentence.iloc[0]
    assert [(x.pole, x.stance) for x in M.find(nicaragua) if x.text == "international law"] == [("gsi", "reject")]
    # Malta's own neutrality still counts.
    assert stances("Malta's neutrality does not mean that we are indifferent.") == [("m_non_alignment", "middle", "endorse")]
