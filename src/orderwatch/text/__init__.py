"""The words stream: bilingual codebook, codebook scoring, Wordscores, Wordfish, semantic scaling.

>>> from orderwatch.text import score_text
>>> r = score_text("We must reject the Cold War mentality and bloc confrontation.")
>>> r["position"] < 0, r["evidence"][0]["frame"]
(True, 'a3_cold_war_mentality')

Sign: -1 = China's GSI pole, +1 = the US rules-based-order pole; null = no evidence.
"""

from __future__ import annotations

from typing import Any

from orderwatch.errors import OrderwatchError
from orderwatch.text.codebook import Matcher, load_codebook
from orderwatch.text.scoring import score_codebook

# The build's derive and the scaling models pull in scipy.stats and the learned scorer;
# loaded on first use so that `orderwatch score FILE` pays only for the codebook.
_LAZY = {"derive": "orderwatch.text.stream", "Wordfish": "orderwatch.text.wordfish",
         "Wordscores": "orderwatch.text.wordscores"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'orderwatch.text' has no attribute {name!r}")

METHODS = ("codebook", "learned", "wordscores", "semantic", "all")
CONTRACT_KEYS = ("position", "interval", "relevance", "axes", "evidence", "method")


def _axes_null() -> dict:
    return {a: {"position": None, "interval": [None, None]} for a in ("A1", "A2", "A3")}


def score_text(text: str, method: str = "codebook", *, max_evidence: int | None = 200,
               random_state: int = 0) -> dict[str, Any]:
    """Score one text (English, Chinese or mixed) in the CLI/web JSON shape.

    Parameters
    ----------
    text : str
    method : {'codebook', 'learned', 'wordscores', 'semantic', 'all'}
        'learned' scores the security-relevant sentences with the distant-supervision
        scorer (:mod:`orderwatch.text.learned`); 'wordscores' places the text's
        security-order passages between CHN and USA reference passages (names masked);
        'semantic' projects them on the axis between codebook prototypes; 'all' gives the
        combined rule of :mod:`orderwatch.text.combined` (codebook sentences where the
        rules speak, the learned scorer for the other relevant sentences) as the position
        and every method's own result under ``methods``.
    max_evidence : int or None
        Most evidence passages returned (all are counted).
    random_state : int
        Seed of the bootstrap intervals.

    Returns
    -------
    dict
        ``{"position", "interval", "relevance", "axes": {"A1": {"position", "interval"},
        ...}, "evidence": [{"frame", "pole", "axis", "text", "start", "end", ...}],
        "method", "warnings", ...}``; position is None when the text has too little signal.
    """
    if method not in METHODS:
        raise OrderwatchError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    cb = score_codebook(text, max_evidence=max_evidence, random_state=random_state)
    axes = {a: {"position": c["position"], "interval": c["interval"], "n": c["n"]} for a, c in cb["axes"].items()}
    base = {"position": cb["position"], "interval": cb["interval"], "relevance": cb["relevance"],
            "axes": axes, "evidence": cb["evidence"], "method": "codebook", "n": cb["n"],
            "frame_counts": cb["frame_counts"], "frame_rates": cb["frame_rates"],
            "n_sentences": cb["n_sentences"], "codebook_version": cb["codebook_version"],
            "level": cb["level"], "warnings": list(cb["warnings"])}
    if method == "codebook" or not text.strip():
        return {**base, "method": method} if method != "codebook" else base
    results = {}
    if method in ("learned", "all"):
        from orderwatch.text.learned import LearnedScorer

        lr = LearnedScorer("auto").score(text)
        results["learned"] = {"position": lr["position"], "interval": lr["interval"], "axes": _axes_null(),
                              "n_sentences": lr["n"], "sentences": lr["sentences"], "warnings": lr["warnings"]}
    if method in ("wordscores", "all"):
        from orderwatch.text.reference import default_reference

        ws = default_reference().score(text)
        results["wordscores"] = {"position": ws["position"], "interval": ws["interval"],
                                 "axes": _axes_null(), "n_words": ws["n_words"],
                                 "reference": ws["reference"], "influence": ws["influence"],
                                 "warnings": ws["warnings"]}
    if method in ("semantic", "all"):
        from orderwatch.text.semantic import score_semantic

        results["semantic"] = score_semantic(text)
    if method == "all":
        from orderwatch.text.combined import score_all
        from orderwatch.text.learned import LearnedScorer

        comb = score_all(text, learned=LearnedScorer("auto"))
        methods = {"codebook": {"position": base["position"], "interval": base["interval"], "n": base["n"]},
                   **{k: {kk: v for kk, v in r.items() if kk != "axes"} for k, r in results.items()}}
        warns = list(base["warnings"]) if comb["position"] is None else [
            w for w in base["warnings"] if not w.startswith("not enough signal")]
        if comb["position"] is None:
            warns.append("no security-relevant sentence: no combined position")
        return {**base, "method": "all", "position": comb["position"], "interval": comb["interval"],
                "n": comb["n"], "n_codebook_sentences": comb["n_codebook_sentences"],
                "n_learned_sentences": comb["n_learned_sentences"],
                "rule": "mean sentence score over security-relevant sentences: codebook (u-g)/(u+g+m) where "
                        "the sentence has counted matches, else 2p-1 from the learned scorer; Jeffreys interval",
                "warnings": warns, "methods": methods}
    r = results[method]
    return {**base, "position": r["position"], "interval": r["interval"], "axes": r["axes"],
            "method": method, "warnings": base["warnings"] + r["warnings"],
            **{k: v for k, v in r.items() if k not in ("position", "interval", "axes", "warnings")},
            "codebook": {"position": base["position"], "interval": base["interval"]}}


__all__ = ["TABLES", "derive", "score_text", "score_codebook", "Wordscores", "Wordfish", "Matcher",
           "load_codebook", "METHODS"]

#: The store tables this stream's ``derive`` writes (the build checks it).
TABLES: tuple[str, ...] = (
    "text_documents",
    "text_evidence",
    "text_frame_counts",
    "text_positions",
    "text_relevance",
    "text_speech_frames",
)
