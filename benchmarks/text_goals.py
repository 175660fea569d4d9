"""The words stream's goals on the labelled development set (issue 10), per method.

python benchmarks/text_goals.py [--csv PATH] [--cache /tmp/words_emb.npz]

Reads tests/fixtures/passages/dev_passages.csv (id, label gsi/rbio/middle/off_topic,
language en/zh-Hans/zh-Hant, text, ...) and reports for each method: AUC (rbio above gsi)
in English and Chinese (unplaced on-topic passages count as 0, the scale's centre, so
abstaining is not free), the share of off-topic passages left unplaced, the share of
on-topic passages placed, and the middle group's mean (goal: inside [-1/3, 1/3]).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from orderwatch.text.codebook import AXES  # noqa: F401  (import check)
from orderwatch.text.combined import score_all
from orderwatch.text.learned import LearnedScorer, auc
from orderwatch.text.scoring import score_codebook

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT / "tests/fixtures/passages/dev_passages.csv"


def positions(d: pd.DataFrame, cache=None) -> pd.DataFrame:
    emb, tfidf, auto = LearnedScorer("embedding"), LearnedScorer("tfidf"), LearnedScorer("auto")
    out = {"codebook": [], "learned_embedding": [], "learned_tfidf": [], "learned_auto": [], "all": []}
    for t in d.text:
        out["codebook"].append(score_codebook(t, n_boot=0)["position"])
        out["learned_embedding"].append(emb.score(t, cache=cache)["position"])
        out["learned_tfidf"].append(tfidf.score(t)["position"])
        out["learned_auto"].append(auto.score(t, cache=cache)["position"])
        out["all"].append(score_all(t, learned=auto)["position"])
    return pd.DataFrame({k: pd.array(v, dtype="Float64") for k, v in out.items()}, index=d.index)


def goals(d: pd.DataFrame, pos: pd.DataFrame) -> pd.DataFrame:
    rows = []
    zh = d.language.str.startswith("zh")
    for m in pos:
        p = pos[m].astype(float)
        r = {"method": m}
        for name, lang in (("AUC en", ~zh), ("AUC zh", zh)):
            sel = lang & d.label.isin(["gsi", "rbio"])
            r[name] = auc(np.where(d.label[sel] == "rbio", 1, -1), p[sel].fillna(0).to_numpy())
        r["off-topic unplaced"] = p[d.label == "off_topic"].isna().mean()
        r["on-topic placed"] = p[d.label != "off_topic"].notna().mean()
        r["middle mean"] = p[d.label == "middle"].mean()
        r["gsi mean"] = p[d.label == "gsi"].mean()
        r["rbio mean"] = p[d.label == "rbio"].mean()
        rows.append(r)
    return pd.DataFrame(rows).set_index("method")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--csv", default=str(DEFAULT))
    ap.add_argument("--cache", default=None)
    ap.add_argument("--show", action="store_true", help="print every passage with its positions")
    args = ap.parse_args()
    from orderwatch.text.semantic import EmbeddingCache

    d = pd.read_csv(args.csv, dtype=str, keep_default_na=False)
    print(f"{len(d)} passages: " + ", ".join(f"{k} {v}" for k, v in d.label.value_counts().items())
          + "; " + ", ".join(f"{k} {v}" for k, v in d.language.value_counts().items()))
    pos = positions(d, cache=EmbeddingCache(args.cache) if args.cache else None)
    print(goals(d, pos).round(3).to_string())
    print("goals: AUC en >= 0.95, AUC zh >= 0.90, off-topic unplaced >= 0.90, on-topic placed >= 0.80, "
          "middle mean in [-0.33, 0.33]")
    if args.show:
        for i, r in d.iterrows():
            vals = " ".join("  null" if pd.isna(pos.at[i, m]) else f"{pos.at[i, m]:+.2f}" for m in pos)
            print(f"{r.label:9s} {r.language:7s} {vals}  {r.text[:110]}")


if __name__ == "__main__":
    main()
