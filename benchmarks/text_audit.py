"""Draw the codebook precision audit sample (issue 10): 100 counted matches, 2015-2024.

python benchmarks/text_audit.py [--n 100] [--seed 0] [--source ungdc] > audit.tsv

Every counted match (stance endorse or reject, and middle frames) of the bundled corpora
dated 2015-2024 - UN General Debate speeches of all states, MFA press conferences (EN and
ZH), Xi's speeches, government reports, US official texts - is a candidate; a simple
random sample (seeded) is printed with its sentence.  The judgements and the rule are in
docs/text.md ("Codebook audit"); tests/text/fixtures/codebook_audit.tsv keeps them.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from orderwatch import bundled
from orderwatch.text.codebook import default_matcher, sentence_spans
from orderwatch.text.scoring import _sentence_index


def candidates() -> pd.DataFrame:
    m = default_matcher()
    texts = []
    un = bundled.read("ungdc", columns=["iso3", "year", "text"])
    texts += [(f"ungdc:{i}:{y}", t) for i, y, t in un[un.year.between(2015, 2024)].itertuples(index=False)]
    for name in ("china_mfa_2016_2020", "china_mfa_zh_2020_2024", "china_xi", "china_reports"):
        d = bundled.read(name, columns=["id", "date", "text"])
        d = d[pd.to_datetime(d.date, errors="coerce").dt.year.between(2015, 2024)]
        texts += [(f"{name}:{i}", t) for i, t in zip(d.id, d.text) if t]
    us = bundled.read("us_official", columns=["doc_id", "date", "text"])
    us = us[pd.to_datetime(us.date, errors="coerce").dt.year.between(2015, 2024)]
    texts += [(f"us_official:{i}", t) for i, t in zip(us.doc_id, us.text) if t]
    rows = []
    for ref, t in texts:
        ms = [x for x in m.find(t) if x.counts]
        if not ms:
            continue
        spans = sentence_spans(t)
        for x, si in zip(ms, _sentence_index(spans, [x.start for x in ms])):
            s, e = spans[int(si)] if len(spans) else (0, len(t))
            rows.append({"doc_ref": ref, "frame": x.frame, "pole": x.pole, "stance": x.stance, "term": x.text,
                         "sentence": " ".join(t[int(s):int(e)].split())[:500]})
    return pd.DataFrame(rows)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--source", help="only the matches of this corpus (e.g. ungdc, the General Debate)")
    args = ap.parse_args()
    c = candidates()
    if args.source:
        c = c[c.doc_ref.str.startswith(args.source + ":")]
    sample = c.sample(args.n, random_state=np.random.RandomState(args.seed))
    print(f"# {len(c)} counted matches 2015-2024{' in ' + args.source if args.source else ''}; "
          f"sample of {args.n}, seed {args.seed}")
    print(sample.to_csv(sep="\t", index=False), end="")


if __name__ == "__main__":
    main()
