"""A learned passage scorer by distant supervision: who would say this sentence?

No hand labels.  The bundled corpora give two sides that certainly hold the two order
concepts: security-relevant sentences of US official texts (White House Indo-Pacific
statements, the National Security Strategies, US General Debate speeches) are labelled
+1, those of the PRC (MFA press-conference answers, PRC General Debate speeches) -1.
States, places and speakers are masked first (``mask_names``), so the model has to learn
the order concepts ("our allies", "dialogue and consultation") rather than who speaks.

Two models, both L2-penalised logistic regressions (fitted here with L-BFGS; seeded and
deterministic), Platt-calibrated on a held-out fifth of the sentences:

* ``embedding``: on the multilingual Universal Sentence Encoder (``semantic.py``), so it
  also reads Chinese (trained on English sentences only: the US side has no Chinese
  texts, and training on Chinese GSI sentences would teach "Chinese means GSI").
  The fitted weights are vendored (``learned_use.json``, 512 coefficients, with their
  provenance); ``benchmarks/text_learned.py --write`` refits them.
* ``tfidf``: the baseline, sublinear tf-idf of English words, fitted from the bundled
  corpora on first use (a few seconds).

A sentence is scored only if it is security-relevant (a codebook frame or the codebook's
security-order vocabulary); a text with no such sentence gets no position (abstention,
never 0).  A text's position is ``2 q - 1`` for ``q ~ Beta(sum p + 1/2, sum(1 - p) + 1/2)``
(the sentences as Jeffreys trials): the posterior mean, shrunk towards 0 for few
sentences, and its equal-tailed interval, so one or two sentences give a wide one.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.stats import beta

from orderwatch.errors import OrderwatchError
from orderwatch.text.codebook import default_matcher, sentence_spans
from orderwatch.text.scoring import _sentence_index

RANDOM_STATE = 0
_CJK = re.compile(r"[\u3400-\u9fff]")
_US = re.compile(r"(?<![A-Za-z])US(?:'s|’s)?(?![A-Za-z])")
WEIGHTS_FILE = "learned_use.json"

# Speakers, demonyms, capitals and disputed places masked besides the country names of
# the registry (orderwatch.countries).  Order concepts stay: NATO, ASEAN, the Quad, AUKUS.
_EXTRA_EN = (
    "chinese, american, americans, japanese, korean, koreans, philippine, filipino, vietnamese, indian, "
    "russian, australian, british, taiwanese, indonesian, malaysian, singaporean, thai, pakistani, iranian, "
    "soviet, canadian, european, german, french, israeli, ukrainian, syrian, afghan, iraqi, "
    "prc, dprk, rok, u.s., usa, u.s.a., u.k., united states, united states of america, china, "
    "people's republic of china, south korea, north korea, republic of korea, beijing, washington, tokyo, "
    "seoul, pyongyang, manila, hanoi, canberra, moscow, new delhi, taipei, jakarta, xi jinping, xi, "
    "li keqiang, wang yi, biden, trump, obama, blinken, pompeo, kerry, sullivan, kishida, abe, "
    "hua chunying, zhao lijian, wang wenbin, geng shuang, lu kang, mao ning, lin jian, south china sea, "
    "east china sea, taiwan strait, xinjiang, hong kong, tibet, scarborough, spratly, spratlys, paracel, "
    "paracels, nansha, xisha, diaoyu, senkaku, korean peninsula").split(", ")
_EXTRA_ZH = ("中方 美方 日方 菲方 中美 美中 中日 中菲 华盛顿 北京 东京 首尔 平壤 马尼拉 河内 堪培拉 莫斯科 台北 习近平 习主席 "
             "李克强 王毅 拜登 特朗普 奥巴马 布林肯 华春莹 赵立坚 汪文斌 耿爽 陆慷 毛宁 林剑 南海 东海 台海 台湾海峡 台湾 "
             "新疆 香港 西藏 黄岩岛 南沙 西沙 钓鱼岛 朝鲜半岛").split()


@lru_cache(maxsize=1)
def _mask_rx() -> tuple[re.Pattern, re.Pattern]:
    from orderwatch import bundled

    c = bundled.read("countries", columns=["name_en", "name_zh"])
    en = {n.lower() for n in c.name_en.dropna()} | set(_EXTRA_EN)
    zh = {n for n in c.name_zh.dropna() if len(n) >= 2} | set(_EXTRA_ZH)
    rx_en = re.compile(r"(?<![A-Za-z])(?:" + "|".join(re.escape(w) for w in sorted(en, key=len, reverse=True))
                       + r")(?:'s|’s)?(?![A-Za-z])", re.I)
    rx_zh = re.compile("|".join(re.escape(w) for w in sorted(zh, key=len, reverse=True)))
    return rx_en, rx_zh


def mask_names(text: str) -> str:
    """``text`` with state, place and speaker names (English and Chinese) replaced by 'X'."""
    rx_en, rx_zh = _mask_rx()
    # "US" only in capitals: case-insensitive it would also mask the pronoun "us".
    return rx_zh.sub("X", _US.sub("X", rx_en.sub("X", text)))


def relevant_sentences(text: str) -> list[str]:
    """Security-relevant sentences of ``text`` (codebook frames or vocabulary), whitespace-normalised."""
    m = default_matcher()
    matches, rel = m.find(text, with_relevance=True)
    spans = sentence_spans(text)
    if len(spans) == 0:
        return []
    keep = sorted(set(_sentence_index(spans, [x.start for x in matches] + [s for s, _ in rel]).tolist()))
    return [" ".join(text[int(spans[i, 0]):int(spans[i, 1])].split()) for i in keep]


_QUESTION = re.compile(r"^\s*(?:Q\s*[:：]|[^\n：:]{0,30}记者\s*[:：])", re.M)


def _answers_only(text: str) -> str:
    """Drop journalists' questions from a press conference (the paragraphs starting 'Q:' / '...记者：')."""
    return "\n".join(p for p in text.split("\n") if not _QUESTION.match(p))


def training_sentences(max_per_source: int | None = 2500, random_state: int = RANDOM_STATE) -> pd.DataFrame:
    """Distant-supervision sentences from the bundled corpora (English, masked).

    Returns a DataFrame with sentence (masked), raw, label (+1 US, -1 PRC), source
    ('official' or 'unga'), year.  At most ``max_per_source`` sentences per side and
    source, sampled with ``random_state``.
    """
    from orderwatch import bundled

    rows = []
    mfa = bundled.read("china_mfa_2016_2020")
    for t, d in zip(mfa[mfa.language == "en"].text, mfa[mfa.language == "en"].date):
        rows += [(s, -1, "official", pd.Timestamp(d).year) for s in relevant_sentences(_answers_only(t or ""))]
    us = bundled.read("us_official")
    for t, d in zip(us.text, us.date):
        rows += [(s, 1, "official", pd.Timestamp(d).year) for s in relevant_sentences(t or "")]
    nss = bundled.read("us_nss")
    for t, y in zip(nss.text, nss.year):
        rows += [(s, 1, "official", int(y)) for s in relevant_sentences(t or "")]
    un = bundled.read("ungdc", columns=["iso3", "year", "text"])
    un = un[un.iso3.isin(["CHN", "USA"]) & (un.year >= 1990)]  # CHN before 1971 is the ROC
    for iso3, y, t in un.itertuples(index=False):
        rows += [(s, 1 if iso3 == "USA" else -1, "unga", int(y)) for s in relevant_sentences(t)]
    df = pd.DataFrame(rows, columns=["raw", "label", "source", "year"])
    df = df[df.raw.str.len().between(40, 600)].drop_duplicates("raw")
    if max_per_source:
        keep = [g.sample(min(len(g), max_per_source), random_state=random_state).index
                for _, g in df.groupby(["label", "source"])]
        df = df.loc[np.concatenate(keep)]
    df = df.sort_values(["source", "label", "year", "raw"], ignore_index=True)
    df["sentence"] = [mask_names(s) for s in df.raw]
    return df


class Logistic:
    """L2-penalised logistic regression (L-BFGS) with Platt calibration.

    Parameters
    ----------
    C : float
        Inverse penalty (as in scikit-learn): the loss is mean log-loss + ||w||^2 / (2 C n).
    """

    def __init__(self, C: float = 1.0):
        self.C = C

    def fit(self, X, y, calibrate: tuple | None = None) -> "Logistic":
        """Fit on ``X`` (dense or sparse), ``y`` in {-1, +1}; ``calibrate=(X_cal, y_cal)`` fits Platt scaling."""
        y01 = (np.asarray(y) > 0).astype(float)
        n, k = X.shape

        def loss(wb):
            w, b = wb[:-1], wb[-1]
            z = X @ w + b
            ll = np.logaddexp(0, z) - y01 * z
            g = 1 / (1 + np.exp(-z)) - y01
            grad = np.concatenate([X.T @ g / n + w / (self.C * n), [g.mean()]])
            return ll.mean() + w @ w / (2 * self.C * n), grad

        res = minimize(loss, np.zeros(k + 1), jac=True, method="L-BFGS-B", options={"maxiter": 500})
        self.coef_, self.intercept_ = res.x[:-1], float(res.x[-1])
        self.platt_ = (1.0, 0.0)
        if calibrate is not None:
            z = self.decision(calibrate[0])
            yc = (np.asarray(calibrate[1]) > 0).astype(float)

            def ploss(ab):
                t = ab[0] * z + ab[1]
                return np.mean(np.logaddexp(0, t) - yc * t)

            self.platt_ = tuple(float(v) for v in minimize(ploss, [1.0, 0.0], method="BFGS").x)
        return self

    def decision(self, X) -> np.ndarray:
        return np.asarray(X @ self.coef_ + self.intercept_).ravel()

    def predict_proba(self, X) -> np.ndarray:
        """Calibrated probability of the US side (+1)."""
        a, b = self.platt_
        return 1 / (1 + np.exp(-(a * self.decision(X) + b)))


def split_fit(X, y, C: float, random_state: int = RANDOM_STATE) -> Logistic:
    """Fit on a random four fifths, calibrate on the rest (seeded)."""
    rng = np.random.default_rng(random_state)
    cal = rng.random(len(y)) < 0.2
    y = np.asarray(y)
    return Logistic(C).fit(X[~cal], y[~cal], calibrate=(X[cal], y[cal]))


def auc(y, score) -> float:
    """Area under the ROC curve (Mann-Whitney), y in {-1, +1} or {0, 1}."""
    from scipy.stats import rankdata

    y = np.asarray(y) > 0
    r = rankdata(score)
    n1, n0 = y.sum(), (~y).sum()
    return float((r[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)) if n1 and n0 else float("nan")


def text_position(p: np.ndarray, level: float = 0.95, weights: np.ndarray | None = None
                  ) -> tuple[float | None, list]:
    """Position ``2 q - 1`` and interval for ``q ~ Beta(sum p + 1/2, sum(1 - p) + 1/2)``.

    The position is the posterior mean (``(sum p + 1/2) / (n + 1)``), so one sentence
    never sits at a pole: one certain sentence gives +-0.5, ten give +-0.91.  ``weights``
    (default 1) let a sentence count as a fraction of a trial.
    """
    if len(p) == 0:
        return None, [None, None]
    w = np.ones(len(p)) if weights is None else np.asarray(weights, dtype=float)
    a, b = w @ p + 0.5, w @ (1 - p) + 0.5
    al = (1 - level) / 2
    return float(2 * a / (a + b) - 1), [float(2 * beta.ppf(al, a, b) - 1), float(2 * beta.ppf(1 - al, a, b) - 1)]


class LearnedScorer:
    """Score texts sentence by sentence with a fitted model.

    Parameters
    ----------
    kind : {'auto', 'embedding', 'tfidf'}
        'auto' (the default) reads English sentences with the tf-idf model, which
        separates the poles better on held-out English (docs/text.md), and leaves Chinese
        ones unscored: the embedding model, the only one that reads Chinese, did not rank
        real Chinese passages (AUC 0.67 on the development set, 0.17 on a second set of 96
        passages, docs/text.md), so a Chinese text is read by the codebook alone rather
        than given a figure with no demonstrated signal. ``'embedding'`` stays available.
    """

    def __init__(self, kind: str = "auto"):
        if kind not in ("auto", "embedding", "tfidf"):
            raise OrderwatchError(f"unknown learned model {kind!r}; choose auto, embedding or tfidf")
        self.kind = kind
        # 'auto' is the tf-idf model under the name of the default choice (see above).
        self.model, self.features = (_embedding_model(), None) if kind == "embedding" else _tfidf_model()

    def sentence_proba(self, sentences: list[str], cache=None) -> np.ndarray:
        """Calibrated P(US side) of each (unmasked) sentence."""
        if not sentences:
            return np.zeros(0)
        masked = [mask_names(s) for s in sentences]
        if self.kind == "embedding":
            return self.model.predict_proba((cache or _cache()).embed(masked))
        # The tf-idf baseline reads English only: Chinese sentences get NaN (unscored).
        zh = np.array([bool(_CJK.search(s)) for s in masked])
        p = np.full(len(masked), np.nan)
        if (~zh).any():
            p[~zh] = self.model.predict_proba(self.features.transform([s for s, z in zip(masked, zh) if not z]))
        return p

    def score(self, text: str, level: float = 0.95, max_sentences: int = 400, cache=None) -> dict:
        """Position, interval and per-sentence evidence of ``text`` (None if nothing relevant)."""
        sents = relevant_sentences(text)
        warnings = []
        if self.kind in ("tfidf", "auto"):
            english = [s for s in sents if not _CJK.search(s)]
            if len(english) < len(sents):
                warnings.append(f"{len(sents) - len(english)} Chinese sentence(s) left unscored: the learned "
                                "scorer reads English only (the codebook reads Chinese)")
            sents = english
        if len(sents) > max_sentences:
            warnings.append(f"scored the first {max_sentences} of {len(sents)} relevant sentences")
            sents = sents[:max_sentences]
        if not sents:
            warnings.append("no English security-relevant sentence: no position (abstains)" if warnings
                            else "no security-relevant sentence: no position (abstains)")
        p = self.sentence_proba(sents, cache=cache)
        pos, interval = text_position(p, level)
        order = np.argsort(-np.abs(p - 0.5))[:10]
        return {"position": pos, "interval": interval, "n": len(sents), "method": f"learned_{self.kind}",
                "sentences": [{"sentence": sents[i], "p_us": float(p[i])} for i in order],
                "warnings": warnings}


@lru_cache(maxsize=1)
def _cache():
    from orderwatch.text.semantic import EmbeddingCache

    return EmbeddingCache()


def load_weights() -> dict:
    """The vendored embedding model: coefficients, calibration and provenance."""
    try:
        raw = resources.files("orderwatch.text").joinpath(WEIGHTS_FILE).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise OrderwatchError(f"orderwatch/text/{WEIGHTS_FILE} is missing; run benchmarks/text_learned.py --write") from exc
    return json.loads(raw)


@lru_cache(maxsize=1)
def _embedding_model() -> Logistic:
    w = load_weights()
    m = Logistic(w["C"])
    m.coef_, m.intercept_, m.platt_ = np.asarray(w["coef"]), float(w["intercept"]), tuple(w["platt"])
    return m


@lru_cache(maxsize=1)
def _tfidf_model():
    from orderwatch.text.tfidf import Tfidf

    df = training_sentences()
    tf = Tfidf().fit(df.sentence)
    return split_fit(tf.transform(df.sentence), df.label.to_numpy(), C=10.0), tf


__all__ = ["LearnedScorer", "Logistic", "mask_names", "training_sentences", "relevant_sentences",
           "text_position", "auc", "split_fit", "load_weights"]
