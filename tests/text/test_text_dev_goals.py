"""The words stream on the labelled sets of real official passages (issue 10).

Two sets (tests/fixtures/passages/README.md): the development set (dev_passages.csv, built
on another branch; skipped only while absent) and the second set of December 2026
(second_set.csv: 96 passages, other speakers, measured once before any change it prompted).
Floors sit a little under the figures measured in docs/text.md, so a regression fails here;
the goals themselves are reported by benchmarks/text_goals.py.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

PASSAGES = Path(__file__).resolve().parents[1] / "fixtures" / "passages"
DEV = PASSAGES / "dev_passages.csv"
#: Floors per set: AUC (en, zh), on-topic placed, off-topic left unplaced.
FLOORS = {"dev_passages.csv": (0.85, 0.85, 0.70, 0.85), "second_set.csv": (0.85, 0.80, 0.70, 0.90)}


@pytest.fixture(scope="module", params=sorted(FLOORS))
def scored(request):
    from orderwatch.text.combined import score_all
    from orderwatch.text.learned import LearnedScorer

    path = PASSAGES / request.param
    if not path.exists():
        pytest.skip(f"{path} not present (built on the passages branch)")
    d = pd.read_csv(path, dtype=str, keep_default_na=False)
    d.attrs["floors"] = FLOORS[request.param]
    learned = LearnedScorer("auto")
    res = [score_all(t, learned=learned) for t in d.text]
    d["position"] = [np.nan if r["position"] is None else r["position"] for r in res]
    d["width"] = [np.nan if r["position"] is None else r["interval"][1] - r["interval"][0] for r in res]
    return d


def test_combined_rule_ranks_us_side_above_gsi_side(scored):
    from orderwatch.text.learned import auc

    for zh, floor in zip((False, True), scored.attrs["floors"][:2]):
        sel = scored[scored.label.isin(["gsi", "rbio"]) & (scored.language.str.startswith("zh") == zh)]
        got = auc(np.where(sel.label == "rbio", 1, -1), sel.position.fillna(0).to_numpy())
        assert got >= floor, ("zh" if zh else "en", got)


def test_off_topic_left_alone_on_topic_placed_middle_central(scored):
    placed, unplaced = scored.attrs["floors"][2:]
    assert scored[scored.label == "off_topic"].position.isna().mean() >= unplaced
    # The learned scorer no longer places Chinese passages (the embedding did not rank them),
    # so fewer are placed than the 80 %: 74 % on the development set, 77 % on the second.
    assert scored[scored.label != "off_topic"].position.notna().mean() >= placed
    assert abs(scored[scored.label == "middle"].position.mean()) < 1 / 3
    assert (scored.width.dropna() > 0.05).all()  # no zero-width interval, however short the passage


def test_second_set_is_disjoint_from_the_development_set():
    dev = pd.read_csv(DEV, dtype=str, keep_default_na=False) if DEV.exists() else None
    second = pd.read_csv(PASSAGES / "second_set.csv", dtype=str, keep_default_na=False)
    assert second.id.is_unique and set(second.label) == {"gsi", "rbio", "middle", "off_topic"}
    assert second.source_url.str.match(r"https?://").all()
    if dev is not None:
        assert not set(second.source_url) & set(dev.source_url)
        snippets = {t[i:i + 40] for t in dev.text for i in range(0, max(1, len(t) - 40), 20)}
        assert not any(t[i:i + 40] in snippets for t in second.text for i in range(0, max(1, len(t) - 40), 10))


def test_learned_scorer_leaves_chinese_unscored():
    from orderwatch.text.learned import LearnedScorer

    # Security-relevant (亚太, 大国) but no codebook frame: no learned figure for Chinese.
    r = LearnedScorer("auto").score("亚太地区的和平稳定需要大国之间加强沟通。")
    assert r["position"] is None and any("Chinese" in w for w in r["warnings"])
    assert "no English security-relevant sentence: no position (abstains)" in r["warnings"]
    # English still is.
    assert LearnedScorer("auto").score("Our alliance with Japan is the cornerstone of peace in the Indo-Pacific.")["position"] is not None
