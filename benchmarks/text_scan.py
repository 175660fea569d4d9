"""Benchmark: codebook scan of the full UN General Debate corpus, MB/s per core.

Side by side in one run: (1) the Aho-Corasick corpus scan (``Matcher.scan_corpus``: all
patterns at once over the lowercased UTF-8 bytes of the whole corpus, then English
boundary checks), (2) the full matcher per speech
(sentence spans, jieba checks, rejection cues, evidence), (3) the pure-Python fallback (one
compiled alternation), and (4) a naive baseline: one case-insensitive regex per pattern.
The slow ones run on a sample of the corpus; rates are MB of UTF-8 text per second on one
core.  Run: python benchmarks/text_scan.py
"""

from __future__ import annotations

import re
import time

from orderwatch import bundled
from orderwatch.text.codebook import Matcher


def main() -> None:
    df = bundled.read("ungdc", columns=["text"])
    texts = df.text.tolist()
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    m = Matcher(engine="aho")
    print(f"corpus: {len(texts):,} speeches, {mb:.1f} MB, {len(m._keys)} patterns")

    t = time.perf_counter()
    doc, pat, _, _ = m.scan_corpus(texts)
    dt_scan = time.perf_counter() - t
    print(f"aho-corasick corpus scan (full):     {mb / dt_scan:8.1f} MB/s  ({dt_scan:.1f} s, {len(doc):,} hits "
          "incl. relevance vocabulary)")

    t = time.perf_counter()
    n = sum(len(m.find(x)) for x in texts)
    dt_full = time.perf_counter() - t
    print(f"full matcher per speech (full):      {mb / dt_full:8.1f} MB/s  ({dt_full:.1f} s, {n:,} frame matches)")

    sample = texts[::100]
    smb = sum(len(x.encode("utf-8")) for x in sample) / 1e6
    slow = Matcher(engine="regex")
    t = time.perf_counter()
    for x in sample:
        slow.raw_hits(x.encode("utf-8").lower())
    dt = time.perf_counter() - t
    print(f"pure-Python alternation (sample):    {smb / dt:8.1f} MB/s  ({smb:.1f} MB sample)")

    naive = [re.compile(r"\b" + re.escape(p.text) + r"\b", re.I) for p in m._pats]
    t = time.perf_counter()
    k = 0
    for x in sample:
        for rx in naive:
            k += sum(1 for _ in rx.finditer(x))
    dt_naive = time.perf_counter() - t
    rate_naive = smb / dt_naive
    print(f"naive one regex per pattern (sample): {rate_naive:7.2f} MB/s  ({k:,} hits)")
    print(f"speed-up over naive: corpus scan {mb / dt_scan / rate_naive:.0f}x, "
          f"full matcher {mb / dt_full / rate_naive:.0f}x")


if __name__ == "__main__":
    main()
