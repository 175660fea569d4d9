"""Benchmark: the words-stream scorers on the labelled development set of real passages.

Scores every passage of tests/fixtures/passages/dev_passages.csv with each current method
and prints, per method and language group:

- ``auc``: AUC of rbio above gsi over all rbio/gsi passages, an unplaced (null) passage
  counted as 0 (the centre), ties counting one half; this penalises missing coverage;
- ``auc_placed``: the same AUC over the passages the method placed (n in brackets);
- ``off_unplaced``: share of off_topic passages left unplaced (goal >= 0.90);
- ``on_placed``: share of gsi/rbio/middle passages placed (goal >= 0.80);
- ``mid_mean``: mean position of the placed middle passages (goal within [-1/3, 1/3]).

Methods: ``codebook`` (score_text, the CLI/web contract, min_hits=2), ``codebook_h1``
(score_codebook with min_hits=1), ``semantic`` (score_semantic), every other method of
``orderwatch.text.METHODS`` through score_text (today 'wordscores' and 'all', whose headline
position is reported), and ``keywords20``: a plain counter of 20 pole keywords (10 per pole, each
with English, simplified and traditional Chinese forms, taken from the axis table in
AXES.md, not tuned on this set), position (U - G) / (U + G), null with no hit.

Run: python benchmarks/text_dev_set.py [--methods codebook,semantic] [--out scores.csv]
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

import numpy as np
import pandas as pd

DEV_CSV = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "passages" / "dev_passages.csv"
BASE_METHODS = ("keywords20", "codebook", "codebook_h1")


def all_methods() -> list[str]:
    """The baselines plus every method ``score_text`` offers (new ones join automatically)."""
    from orderwatch.text import METHODS
    return list(BASE_METHODS) + [m for m in METHODS if m not in BASE_METHODS]
GROUPS = {"all": ("en", "zh-Hans", "zh-Hant"), "en": ("en",), "zh": ("zh-Hans", "zh-Hant"),
          "zh-Hans": ("zh-Hans",), "zh-Hant": ("zh-Hant",)}

# 20 keywords from the axis table of AXES.md: (name, pole, forms). Substring matching,
# case-insensitive for English; no stance, no context (that is what makes it a baseline).
KEYWORDS = [
    ("deterrence", "us", ["deterren", "deter ", "威慑", "威懾", "嚇阻"]),
    ("alliance", "us", ["allian", "allies", "ally", "同盟", "盟友", "盟國", "盟国"]),
    ("rules-based", "us", ["rules-based", "rule-based", "以规则为基础", "以規則為基礎", "以規則爲基礎",
                           "基于规则", "基於規則"]),
    ("freedom of navigation", "us", ["freedom of navigation", "航行自由"]),
    ("arbitral award", "us", ["arbitral", "arbitration", "仲裁"]),
    ("Quad", "us", ["quad", "四方安全对话", "四方安全對話", "四边机制", "四邊機制"]),
    ("AUKUS", "us", ["aukus", "奥库斯", "奧庫斯", "美英澳"]),
    ("like-minded", "us", ["like-minded", "likeminded", "理念相近", "志同道合"]),
    ("free and open Indo-Pacific", "us", ["free and open", "自由开放", "自由開放"]),
    ("democracy", "us", ["democra", "民主"]),
    ("indivisible security", "gsi", ["indivisib", "不可分割"]),
    ("common security", "gsi", ["common security", "cooperative security", "共同安全", "合作安全",
                                "共同、综合", "共同、綜合"]),
    ("Cold War mentality", "gsi", ["cold war mentality", "冷战思维", "冷戰思維"]),
    ("bloc confrontation", "gsi", ["bloc", "阵营", "陣營", "集团对抗", "集團對抗"]),
    ("shared future", "gsi", ["shared future", "common destiny", "命运共同体", "命運共同體"]),
    ("non-interference", "gsi", ["non-interference", "internal affairs", "不干涉", "内政", "內政"]),
    ("dialogue and consultation", "gsi", ["dialogue and consultation", "对话协商", "對話協商",
                                          "协商", "協商"]),
    ("hegemony", "gsi", ["hegemon", "霸权", "霸權"]),
    ("zero-sum", "gsi", ["zero-sum", "零和"]),
    ("Global Security Initiative", "gsi", ["global security initiative", "全球安全倡议", "全球安全倡議"]),
]


def load() -> pd.DataFrame:
    return pd.read_csv(DEV_CSV, dtype=str, keep_default_na=False, encoding="utf-8")


def keyword_position(text: str) -> float | None:
    low = text.lower()
    counts = {"us": 0, "gsi": 0}
    for _, pole, forms in KEYWORDS:
        counts[pole] += sum(len(re.findall(re.escape(f), low)) for f in forms)
    u, g = counts["us"], counts["gsi"]
    return None if u + g == 0 else (u - g) / (u + g)


def scorer(method: str):
    """A function text -> position (float or None) for ``method``."""
    if method == "keywords20":
        return keyword_position
    from orderwatch.text import score_text
    from orderwatch.text.scoring import score_codebook
    if method == "codebook":
        return lambda t: score_text(t, "codebook")["position"]
    if method == "codebook_h1":
        return lambda t: score_codebook(t, min_hits=1, n_boot=0)["position"]
    if method == "semantic":
        from orderwatch.text.semantic import score_semantic
        return lambda t: score_semantic(t)["position"]
    if method in all_methods():
        return lambda t: score_text(t, method)["position"]
    raise SystemExit(f"unknown method {method!r}; choose from {', '.join(all_methods())}")


def auc(pos: np.ndarray, neg: np.ndarray) -> float:
    """P(a positive scores above a negative), ties one half (Mann-Whitney)."""
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    diff = pos[:, None] - neg[None, :]
    return float(((diff > 0) + 0.5 * (diff == 0)).mean())


def summarise(df: pd.DataFrame, col: str) -> dict:
    p = df[col]
    placed = p.notna()
    pole = df["label"].isin(["gsi", "rbio"])
    filled = p.fillna(0.0).astype(float)
    rb, gs = df["label"] == "rbio", df["label"] == "gsi"
    on = df["label"].isin(["gsi", "rbio", "middle"])
    off = df["label"] == "off_topic"
    mid = (df["label"] == "middle") & placed
    return {"n": int(len(df)),
            "auc": auc(filled[rb].to_numpy(), filled[gs].to_numpy()),
            "auc_placed": auc(p[rb & placed].astype(float).to_numpy(), p[gs & placed].astype(float).to_numpy()),
            "n_placed_pole": int((pole & placed).sum()), "n_pole": int(pole.sum()),
            "off_unplaced": float((~placed[off]).mean()) if off.any() else float("nan"),
            "on_placed": float(placed[on].mean()) if on.any() else float("nan"),
            "mid_mean": float(p[mid].astype(float).mean()) if mid.any() else float("nan"),
            "n_mid_placed": int(mid.sum())}


def fmt(x: float) -> str:
    return "  -  " if x != x else f"{x:5.2f}"


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--methods", help="comma-separated methods (default: all)")
    ap.add_argument("--out", help="write per-passage positions to this CSV")
    ap.add_argument("--markdown", action="store_true", help="also print the table as Markdown")
    args = ap.parse_args(argv)
    df = load()
    methods = [m for m in (args.methods or ",".join(all_methods())).split(",") if m]
    timings = {}
    for m in methods:
        f = scorer(m)
        t = time.perf_counter()
        df[m] = [f(text) for text in df["text"]]
        timings[m] = time.perf_counter() - t
    print(f"development set: {len(df)} passages; labels "
          + ", ".join(f"{k} {v}" for k, v in df["label"].value_counts().items())
          + "; languages " + ", ".join(f"{k} {v}" for k, v in df["language"].value_counts().items()))
    rows = [(m, g, summarise(df[df["language"].isin(langs)], m)) for m in methods for g, langs in GROUPS.items()]
    print(f"\n{'method':12} {'lang':8} {'n':>4} {'auc':>6} {'auc_placed (n)':>16} {'off_unplaced':>13} "
          f"{'on_placed':>10} {'mid_mean (n)':>13} {'secs':>6}")
    for m, g, s in rows:
        secs = f"{timings[m]:6.1f}" if g == "all" else ""
        print(f"{m:12} {g:8} {s['n']:4d} {fmt(s['auc']):>6} {fmt(s['auc_placed']):>8} "
              f"({s['n_placed_pole']:3d}/{s['n_pole']:3d}) {fmt(s['off_unplaced']):>13} "
              f"{fmt(s['on_placed']):>10} {fmt(s['mid_mean']):>7} ({s['n_mid_placed']:3d}) {secs}")
    if args.markdown:
        print("\n| method | lang | n | AUC | AUC placed (n placed/n) | off-topic unplaced | on-topic placed "
              "| middle mean (n) |\n|---|---|---:|---:|---:|---:|---:|---:|")
        for m, g, s in rows:
            print(f"| {m} | {g} | {s['n']} | {fmt(s['auc']).strip()} | {fmt(s['auc_placed']).strip()} "
                  f"({s['n_placed_pole']}/{s['n_pole']}) | {fmt(s['off_unplaced']).strip()} | "
                  f"{fmt(s['on_placed']).strip()} | {fmt(s['mid_mean']).strip()} ({s['n_mid_placed']}) |")
    if args.out:
        df[["id", "label", "language", *methods]].to_csv(args.out, index=False)
        print(f"\nper-passage positions written to {args.out}")


if __name__ == "__main__":
    main()
