"""Fit, validate and time the learned passage scorer (src/orderwatch/text/learned.py).

python benchmarks/text_learned.py [--write] [--cache /tmp/words_emb.npz]

* validation by source (train on official texts, test on General Debate speeches, and
  back) and by period (train before 2018, test from 2018), sentence-level AUC, for the
  embedding model and the tf-idf baseline;
* what it learned: the training sentences furthest towards each pole;
* throughput of scoring with embeddings cached (goal >= 200 sentences/s on 2 cores);
* ``--write`` refits the embedding model on all sentences and writes
  src/orderwatch/text/learned_use.json with its provenance.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import time
from pathlib import Path

import numpy as np

from orderwatch.text.learned import RANDOM_STATE, auc, split_fit, training_sentences
from orderwatch.text.tfidf import Tfidf
from orderwatch.text.semantic import MODEL_ID, EmbeddingCache

C_EMB, C_TFIDF, MAX_PER_SOURCE = 1.0, 10.0, 2000
OUT = Path(__file__).resolve().parents[1] / "src/orderwatch/text/learned_use.json"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--cache", default="/tmp/words_emb.npz")
    args = ap.parse_args()
    t0 = time.time()
    df = training_sentences(max_per_source=MAX_PER_SOURCE)
    print(f"training sentences: {len(df)} ({time.time() - t0:.1f} s)")
    print(df.groupby(["source", "label"]).size().to_string())
    cache = EmbeddingCache(args.cache)
    t0 = time.time()
    E = cache.embed(df.sentence.tolist())
    cache.save()
    print(f"embedded in {time.time() - t0:.1f} s")
    tf = Tfidf().fit(df.sentence)
    T = tf.transform(df.sentence)
    y = df.label.to_numpy()
    splits = {"official -> unga": (df.source == "official", df.source == "unga"),
              "unga -> official": (df.source == "unga", df.source == "official"),
              "before 2018 -> 2018+": (df.year < 2018, df.year >= 2018)}
    print("\nsentence-level AUC (US above PRC), held out by source / period")
    print(f"{'split':24s} {'n_train':>7s} {'n_test':>7s} {'embedding':>9s} {'tfidf':>6s}")
    for name, (tr, te) in splits.items():
        tr, te = tr.to_numpy(), te.to_numpy()
        me = split_fit(E[tr], y[tr], C_EMB)
        # The tf-idf vocabulary is refitted on the training side only.
        tft = Tfidf().fit(df.sentence[tr])
        mt = split_fit(tft.transform(df.sentence[tr]), y[tr], C_TFIDF)
        print(f"{name:24s} {tr.sum():7d} {te.sum():7d} {auc(y[te], me.decision(E[te])):9.3f} "
              f"{auc(y[te], mt.decision(tft.transform(df.sentence[te]))):6.3f}")
    model = split_fit(E, y, C_EMB)
    z = model.decision(E)
    print("\nwhat it learned: training sentences furthest towards each pole (names masked)")
    for label, idx in (("US pole (+1)", np.argsort(-z)[:8]), ("GSI pole (-1)", np.argsort(z)[:8])):
        print(label)
        for i in idx:
            print(f"  {z[i]:+.2f} [{df.source[i]} {df.year[i]}] {df.sentence[i][:160]}")
    # Throughput with embeddings cached: cache look-up + calibrated probability.
    sents = df.sentence.tolist()
    t0 = time.time()
    for _ in range(3):
        model.predict_proba(cache.embed(sents))
    rate = 3 * len(sents) / (time.time() - t0)
    print(f"\nscoring with cached embeddings: {rate:,.0f} sentences/s "
          f"(threads: OMP={os.environ.get('OMP_NUM_THREADS', 'default')}, {os.cpu_count()} cores)")
    if args.write:
        digest = hashlib.sha256("\n".join(f"{l}\t{s}" for l, s in zip(y, sents)).encode()).hexdigest()
        OUT.write_text(json.dumps({
            "model": "L2 logistic regression on masked-sentence embeddings, Platt-calibrated",
            "encoder": MODEL_ID, "C": C_EMB, "random_state": RANDOM_STATE,
            "max_per_source": MAX_PER_SOURCE, "n_sentences": int(len(y)),
            "n_by_side": {"us": int((y > 0).sum()), "prc": int((y < 0).sum())},
            "training_sha256": digest,
            "training_data": "bundled us_official, us_nss, china_mfa_2016_2020 (English answers), "
                             "ungdc CHN/USA 1990-2024: security-relevant sentences, names masked "
                             "(orderwatch.text.learned.training_sentences)",
            "refit": "python benchmarks/text_learned.py --write",
            "intercept": model.intercept_, "platt": list(model.platt_),
            "coef": [round(float(c), 6) for c in model.coef_]}, indent=1) + "\n")
        print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
