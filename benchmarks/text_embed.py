"""Benchmark: sentence embeddings per second with the packaged multilingual encoder.

Run: python benchmarks/text_embed.py
"""

from __future__ import annotations

import time

from orderwatch import bundled
from orderwatch.text.scoring import relevant_sentences
from orderwatch.text.semantic import EmbeddingCache, _encoder


def main() -> None:
    t = time.perf_counter()
    _encoder().encode(["warm up"])
    print(f"model load: {time.perf_counter() - t:.1f} s")
    df = bundled.read("ungdc", columns=["iso3", "year", "text"])
    sents = []
    for text in df[(df.year == 2023)].text.head(40):
        sents += [" ".join(s.split()) for s in relevant_sentences(text)]
    sents = sents[:1000]
    cache = EmbeddingCache()
    t = time.perf_counter()
    cache.embed(sents)
    dt = time.perf_counter() - t
    print(f"{len(sents)} UNGA security-order sentences: {len(sents) / dt:.0f} sentences/s (2 threads)")
    t = time.perf_counter()
    cache.embed(sents)
    print(f"cached again: {len(sents) / (time.perf_counter() - t):,.0f} sentences/s")


if __name__ == "__main__":
    main()
