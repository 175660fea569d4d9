"""The labelled development set of real official passages (tests/fixtures/passages).

Checks the file's schema and counts, and that no passage was taken from the bundled corpora
(the set must be out-of-sample for anything trained or tuned on them).  The counts asserted
are what was really collected; see tests/fixtures/passages/README.md.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from orderwatch import bundled

DEV_CSV = Path(__file__).resolve().parents[1] / "fixtures" / "passages" / "dev_passages.csv"
COLUMNS = ["id", "label", "language", "text", "speaker_state", "speaker", "source_url", "date",
           "doc_title", "note"]
LABELS = ("gsi", "rbio", "middle", "off_topic")
LANGUAGES = ("en", "zh-Hans", "zh-Hant")
PROBE = 60  # characters of each passage looked up verbatim in the bundled corpora


def load_dev_passages(path: Path = DEV_CSV) -> pd.DataFrame:
    """The development set as a DataFrame of strings (empty cells stay ``""``, not NaN)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def dev() -> pd.DataFrame:
    return load_dev_passages()


def _probe(text: str) -> str:
    """A PROBE-character slice from the middle of the whitespace-collapsed passage."""
    flat = " ".join(text.split())
    if len(flat) <= PROBE:
        return flat
    start = (len(flat) - PROBE) // 2
    return flat[start:start + PROBE]


def test_schema(dev):
    assert list(dev.columns) == COLUMNS
    assert dev["id"].is_unique
    assert set(dev["label"]) <= set(LABELS)
    assert set(dev["language"]) <= set(LANGUAGES)
    assert dev["speaker_state"].str.fullmatch(r"[A-Z]{3}").all()
    assert dev["source_url"].str.match(r"https?://\S+$").all()
    dates = pd.to_datetime(dev["date"], format="%Y-%m-%d", errors="coerce")
    assert dates.notna().all(), dev.loc[dates.isna(), "id"].tolist()
    assert dates.dt.year.between(2015, 2025).all()
    assert (dev["text"].str.strip().str.len() >= 20).all()
    assert (dev["doc_title"].str.strip() != "").all()


def test_language_tags_match_the_script(dev):
    han = dev["text"].str.contains(r"[\u4e00-\u9fff]")
    assert (han == dev["language"].str.startswith("zh")).all()
    # a few characters that differ between the scripts: 们/們, 国/國, 为/為, 这/這, 对/對, 发/發
    simp, trad = "们国为这对发关际规则维护", "們國為這對發關際規則維護"
    zh_hans = dev[dev["language"] == "zh-Hans"]["text"]
    zh_hant = dev[dev["language"] == "zh-Hant"]["text"]
    assert not zh_hans.apply(lambda t: any(c in t for c in trad)).any()
    assert not zh_hant.apply(lambda t: any(c in t for c in simp)).any()


def test_no_passage_duplicated(dev):
    flat = dev["text"].map(lambda t: re.sub(r"\s+", " ", t).strip().lower())
    assert flat.is_unique
    probes = dev["text"].map(_probe)
    assert probes.is_unique


def test_no_passage_comes_from_the_bundled_corpora(dev):
    corpora = [bundled.read(name, columns=["text"])["text"].dropna() for name in
               ("us_official", "us_nss", "china_mfa_2016_2020", "china_mfa_zh_2020_2024",
                "china_reports", "china_xi")]
    ungdc = bundled.read("ungdc", columns=["year", "text"])
    # a quotation cannot predate its speech: the passages are 2015-2025
    corpora.append(ungdc.loc[ungdc["year"] >= 2014, "text"].dropna())
    haystack = "\n".join(" ".join(t.split()) for c in corpora for t in c)
    found = [pid for pid, text in zip(dev["id"], dev["text"]) if _probe(text) in haystack]
    assert not found, f"passages found verbatim in the bundled corpora: {found}"


def test_text_cells_are_clean(dev):
    for col in ("text", "speaker", "doc_title", "note"):
        assert (dev[col].str.strip() != "").all(), col
    assert (dev["text"] == dev["text"].str.strip()).all()
    assert not dev["text"].str.contains("\n").any()


def test_counts(dev):
    labels = Counter(dev["label"])
    langs = Counter(dev["language"])
    assert len(dev) >= 175
    assert langs["zh-Hans"] + langs["zh-Hant"] >= 40
    assert langs["zh-Hant"] >= 8
    assert all(labels[lab] >= 25 for lab in LABELS), labels
    # every label in every script, so per-language figures are defined
    cells = Counter(zip(dev["label"], dev["language"]))
    assert all(cells[(lab, lang)] >= 3 for lab in LABELS for lang in LANGUAGES), cells
