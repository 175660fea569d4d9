"""Focused scaling of the UN General Debate: security-order passages placed between CHN and USA.

A General Debate speech covers everything from climate to debt; scaling whole speeches
would place states on whatever dimension dominates the corpus (Baturo, Dasandi &
Mikhaylov 2017).  The focused scaling first keeps only the security-order passages
(sentences with a codebook frame or the codebook's security-order vocabulary, see
:func:`orderwatch.text.scoring.relevant_sentences`), then runs Wordscores with two
reference texts per year:

* the GSI pole (-1): China's security-order passages in the General Debate, pooled over
  the year and ``window`` years either side (China's own statements on the same agenda);
* the US pole (+1): the United States' passages, pooled the same way.

Pooling over a window gives each reference enough words (one speech's security passages
are a few hundred words) while keeping the references close in time to the texts they
score.  Scores are Martin-Vanberg rescaled, so the references sit at -1 and +1, and
clipped to [-1, 1]; intervals are the Wordscores standard errors rescaled the same way.
China and the United States themselves are not placed (they define the poles).
Function words (``STOPWORDS_EN``) and punctuation are removed before counting.

References
----------
Laver, Benoit & Garry (2003); Martin & Vanberg (2008), see
:mod:`orderwatch.text.wordscores`.  Baturo, A., Dasandi, N. & Mikhaylov, S. (2017).
Understanding state preferences with text as data: introducing the UN General Debate
corpus. Research & Politics 4(2).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
import scipy.sparse as sp

from orderwatch.schema import POLE_STATES
from orderwatch.text.dfm import STOPWORDS_EN, tokenize_en
from orderwatch.text.scoring import relevant_sentences
from orderwatch.text.wordscores import Wordscores


def _tokens(text: str) -> Counter:
    return Counter(t for t in tokenize_en(text, remove_punct=True) if t not in STOPWORDS_EN and not t.isdigit())


def focused_wordscores(speeches: pd.DataFrame, countries: list[str], window: int = 2,
                       min_words: int = 50, level: float = 0.95, matcher=None,
                       relevant: dict | None = None, extra_refs: dict[str, str] | None = None
                       ) -> pd.DataFrame:
    """Place each state's security-order passages between the CHN and USA poles, by year.

    Parameters
    ----------
    speeches : DataFrame with iso3, year, text
    countries : list of ISO3 to place (CHN and USA are used as poles, not placed)
    window : int
        Years either side pooled into each reference text.
    min_words : int
        Fewest scored words for a position (fewer: NaN, "not enough signal").
    level : float
    matcher : Matcher, optional
    relevant : dict, optional
        ``{(iso3, year): (relevant_text, n_sentences)}`` already computed (by
        :func:`score_codebook` with ``relevant_text=True``); computed here otherwise.
    extra_refs : dict, optional
        ``{"CHN": text, "USA": text}``: further reference material added to every year's
        pooled reference (e.g. MFA statements or US official texts); its security-order
        sentences are used.

    Returns
    -------
    DataFrame in the positions shape (iso3, year, axis='overall', position, lo, hi, n,
    method='wordscores') plus n_words (scored tokens) and ref_words (reference sizes).
    """
    want = set(countries) | set(POLE_STATES)
    sp_ = speeches[speeches.iso3.isin(want)][["iso3", "year", "text"]]
    counts: dict[tuple[str, int], Counter] = {}
    n_sent: dict[tuple[str, int], int] = {}
    for iso3, year, text in sp_.itertuples(index=False):
        key = (iso3, int(year))
        if relevant is not None and key in relevant:
            rel_text, k = relevant[key]
        else:
            sents = relevant_sentences(text, matcher)
            rel_text, k = " ".join(sents), len(sents)
        counts[key] = _tokens(rel_text)
        n_sent[key] = k
    extra = {pole: _tokens(" ".join(relevant_sentences(t, matcher))) for pole, t in (extra_refs or {}).items()}
    rows = []
    years = sorted({y for (_, y) in counts})
    for y in years:
        refs = []
        for pole in POLE_STATES:
            pooled = Counter()
            for yy in range(y - window, y + window + 1):
                pooled.update(counts.get((pole, yy), Counter()))
            pooled.update(extra.get(pole, Counter()))
            refs.append(pooled)
        if any(sum(r.values()) == 0 for r in refs):
            continue
        targets = [(iso3, c) for (iso3, yy), c in counts.items() if yy == y and iso3 not in POLE_STATES
                   and iso3 in countries]
        if not targets:
            continue
        vocab = {w: j for j, w in enumerate(sorted(set(refs[0]) | set(refs[1])))}
        docs = refs + [c for _, c in targets]
        ind, dat, ptr = [], [], [0]
        for c in docs:
            for w, k in c.items():
                j = vocab.get(w)
                if j is not None:
                    ind.append(j)
                    dat.append(k)
            ptr.append(len(ind))
        X = sp.csr_matrix((np.asarray(dat, float), np.asarray(ind, np.int64), np.asarray(ptr, np.int64)),
                          shape=(len(docs), len(vocab)))
        ws = Wordscores().fit(X[:2], [POLE_STATES["CHN"], POLE_STATES["USA"]])
        pred = ws.predict(X[2:], rescaling="mv", level=level)
        ref_words = int(X[0].sum()), int(X[1].sum())
        for (iso3, _), r in zip(targets, pred.itertuples(index=False)):
            ok = r.n_scored >= min_words and np.isfinite(r.fit)
            rows.append({"iso3": iso3, "year": y, "axis": "overall",
                         "position": float(np.clip(r.fit, -1, 1)) if ok else np.nan,
                         "lo": float(np.clip(r.lwr, -1, 1)) if ok else np.nan,
                         "hi": float(np.clip(r.upr, -1, 1)) if ok else np.nan,
                         "n": n_sent[(iso3, y)], "method": "wordscores",
                         "n_words": int(r.n_scored), "ref_words": f"CHN {ref_words[0]} / USA {ref_words[1]}"})
    cols = ["iso3", "year", "axis", "position", "lo", "hi", "n", "method", "n_words", "ref_words"]
    return pd.DataFrame(rows, columns=cols)
