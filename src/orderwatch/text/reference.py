"""The reference Wordscores model used to score an arbitrary text between CHN and USA.

Reference texts: China's and the United States' security-order passages in the UN General
Debate over the latest ``years`` sessions (pooled), plus the MFA's English press
conferences (CHN) and the White House Indo-Pacific texts (USA): the same construction as
the focused scaling (:mod:`orderwatch.text.focused`) with a wider window, so a single new
text is scored on the same scale as the recent speeches.  The model is fitted once per process
from the bundled corpus.

Names removed (words v2): state, place and speaker names are masked (the learned scorer's
``mask_names``) in the references and in the scored text before counting, so words like
"china", "japan" or "peninsula"-style place names cannot carry the scale.  Wordscores is a
user-callable method (``score --method wordscores``); it no longer feeds the country-year
positions.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

import numpy as np
import pandas as pd
import scipy.sparse as sp

from orderwatch.schema import POLE_STATES
from orderwatch.text.focused import _tokens as _raw_tokens
from orderwatch.text.scoring import relevant_sentences
from orderwatch.text.wordscores import Wordscores


def _tokens(text: str) -> Counter:
    from orderwatch.text.learned import mask_names

    c = _raw_tokens(mask_names(text))
    c.pop("x", None)
    return c


class ReferenceModel:
    """Wordscores fitted on CHN (-1) and USA (+1) reference passages.

    Parameters
    ----------
    speeches : DataFrame with iso3, year, text
    years : tuple (first, last) of the reference years
    extra_refs : dict, optional
        ``{"CHN": text, "USA": text}`` official texts added to the poles, as in the
        focused scaling (:func:`orderwatch.text.stream.official_references`).
    """

    def __init__(self, speeches: pd.DataFrame, years: tuple[int, int], extra_refs: dict[str, str] | None = None):
        self.years = years
        self.extra = sorted(extra_refs or {})
        refs = []
        for pole in POLE_STATES:
            sub = speeches[(speeches.iso3 == pole) & speeches.year.between(*years)]
            c = Counter()
            for t in list(sub.text) + ([extra_refs[pole]] if extra_refs and pole in extra_refs else []):
                c.update(_tokens(" ".join(relevant_sentences(t))))
            refs.append(c)
        self.features_ = sorted(set(refs[0]) | set(refs[1]))
        self.index_ = {w: j for j, w in enumerate(self.features_)}
        self.ref_words_ = [sum(c.values()) for c in refs]
        self.model_ = Wordscores().fit(self._matrix(refs), [POLE_STATES["CHN"], POLE_STATES["USA"]])

    def _matrix(self, counters) -> sp.csr_matrix:
        rows, cols, vals = [], [], []
        for i, c in enumerate(counters):
            for w, k in c.items():
                j = self.index_.get(w)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
                    vals.append(k)
        return sp.csr_matrix((vals, (rows, cols)), shape=(len(counters), len(self.features_)), dtype=float)

    def score(self, text: str, min_words: int = 50, level: float = 0.95) -> dict:
        """Position of ``text``'s security-order passages (MV-rescaled, clipped to [-1, 1])."""
        sents = relevant_sentences(text)
        c = _tokens(" ".join(sents))
        X = self._matrix([c])
        p = self.model_.predict(X, rescaling="mv", level=level).iloc[0]
        ok = p.n_scored >= min_words and np.isfinite(p.fit)
        infl = self.model_.influence(X[0], self.features_).head(15) if p.n_scored else None
        return {"position": float(np.clip(p.fit, -1, 1)) if ok else None,
                "interval": [float(np.clip(p.lwr, -1, 1)), float(np.clip(p.upr, -1, 1))] if ok else [None, None],
                "n_words": int(p.n_scored), "n_sentences": len(sents),
                "reference": {"CHN": f"UNGA {self.years[0]}-{self.years[1]}" + (
                                  " + MFA English press conferences 2018-2020" if "CHN" in self.extra else "")
                              + f", {self.ref_words_[0]} words",
                              "USA": f"UNGA {self.years[0]}-{self.years[1]}" + (
                                  " + White House Indo-Pacific texts 2021-2026" if "USA" in self.extra else "")
                              + f", {self.ref_words_[1]} words"},
                "influence": [] if infl is None else infl.to_dict(orient="records"),
                "warnings": [] if ok else [f"not enough signal: {int(p.n_scored)} scored words "
                                           f"(fewer than {min_words}); position is null"]}


@lru_cache(maxsize=1)
def default_reference(years: tuple[int, int] = (2015, 2024)) -> ReferenceModel:
    """The reference model from the bundled General Debate corpus (fitted once)."""
    from orderwatch import bundled

    df = bundled.read("ungdc", columns=["iso3", "year", "text"])
    mfa = bundled.read("china_mfa_2016_2020", columns=["language", "text"])
    us = bundled.read("us_official", columns=["text"])
    extra = {"CHN": "\n".join(mfa[mfa.language == "en"].text.dropna()), "USA": "\n".join(us.text.dropna())}
    return ReferenceModel(df[df.iso3.isin(list(POLE_STATES))], years, extra_refs=extra)
