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
from orderwatch.text.derive import derive
from orderwatch.text.scoring import score_codebook
from orderwatch.text.wordfish import Wordfish
from orderwatch.text.wordscores import Wordscores

METHODS = ("codebook", "wordscores", "semantic", "all")
CONTRACT_KEYS = ("position", "interval", "relevance", "axes", "evidence", "method")


def _axes_null() -> dict:
    return {a: {"position": None, "interval": [None, None]} for a in ("A1", "A2", "A3")}


def score_text(text: str, method: str = "codebook", *, max_evidence: int | None = 200,
               random_state: int = 0) -> dict[str, Any]:
    """Score one text (English, Chinese or mixed) in the CLI/web JSON shape.

    Parameters
    ----------
    text : str
    method : {'codebook', 'wordscores', 'semantic', 'all'}
        'wordscores' places the text's security-order passages between CHN and USA
        reference passages of the UN General Debate (2015-2024); 'semantic' projects them
        on the axis between codebook prototypes; 'all' returns the codebook result with
        every method under ``methods``.
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
        return {**base, "method": "all", "methods": {"codebook": {"position": base["position"],
                                                                  "interval": base["interval"]},
                                                     **results}}
    r = results[method]
    return {**base, "position": r["position"], "interval": r["interval"], "axes": r["axes"],
            "method": method, "warnings": base["warnings"] + r["warnings"],
            **{k: v for k, v in r.items() if k not in ("position", "interval", "axes", "warnings")},
            "codebook": {"position": base["position"], "interval": base["interval"]}}


__all__ = ["derive", "score_text", "score_codebook", "Wordscores", "Wordfish", "Matcher",
           "load_codebook", "METHODS"]
