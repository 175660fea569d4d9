"""Evaluate a claim ledger against the data: supported, contradicted, mixed, not testable.

>>> from orderwatch.claims import evaluate_ledger, parse_ledger   # doctest: +SKIP
>>> results = evaluate_ledger(parse_ledger(text), store.table)    # doctest: +SKIP
"""

from __future__ import annotations

from importlib import resources
from typing import Any, Callable, Mapping

import pandas as pd

from orderwatch.claims.data import ClaimData
from orderwatch.claims.ledger import clean, parse_ledger
from orderwatch.claims.measures import MEASURE_FUNCTIONS, NOT_TESTABLE, outcome
from orderwatch.claims.reasons import reason as reason_for
from orderwatch.evidence import Provenance, json_safe

VERDICTS = ("supported", "contradicted", "mixed", NOT_TESTABLE)


def combine_verdicts(verdicts: list[str]) -> str:
    """Verdict of a claim from its parts' verdicts.

    Parts that are not testable are set aside (and reported); of the rest, all
    supported gives supported, all contradicted gives contradicted, anything else mixed.
    """
    testable = [v for v in verdicts if v != NOT_TESTABLE]
    if not testable:
        return NOT_TESTABLE
    if all(v == "supported" for v in testable):
        return "supported"
    if all(v == "contradicted" for v in testable):
        return "contradicted"
    return "mixed"


def evaluate_test(spec: Mapping, data: ClaimData) -> dict:
    """Run one test (a claim without parts, or one part); ``reason`` is always one
    sentence with the deciding figures (:mod:`orderwatch.claims.reasons`)."""
    if spec["measure"] == NOT_TESTABLE:
        return outcome(NOT_TESTABLE, reason=spec["reason"])
    res = MEASURE_FUNCTIONS[spec["measure"]](spec, data)
    res["reason"] = reason_for(res["verdict"], res["figures"], spec["measure"], res.get("reason"))
    return res


def evaluate_claim(claim: Mapping, data: ClaimData) -> dict[str, Any]:
    """Evaluate one claim; returns ``id, claim, verdict, figures, evidence, ...``."""
    base = {"id": claim["id"], "claim": " ".join(str(claim["claim"]).split()),
            "where": clean(claim.get("where")), "note": claim.get("note")}
    if "parts" in claim:
        parts = []
        for i, part in enumerate(claim["parts"], 1):
            spec = {**{k: v for k, v in claim.items() if k not in ("parts", "__line__", "__lines__")}, **part}
            res = evaluate_test(spec, data)
            parts.append({"part": i, "test": part.get("label") or spec["measure"], **res})
        verdict = combine_verdicts([p["verdict"] for p in parts])
        untestable = [p for p in parts if p["verdict"] == NOT_TESTABLE]
        reasons = [f"part {p['part']} ({p['verdict'].replace('_', ' ')}): {(p['reason'] or '').rstrip('.')}"
                   for p in parts]
        warnings = [w for p in parts for w in p["warnings"]] + \
            ([f"{len(untestable)} of {len(parts)} parts not testable"] if untestable and verdict != NOT_TESTABLE else [])
        out = {**base, "verdict": verdict,
               "figures": {"parts": [{"part": p["part"], "test": p["test"], "verdict": p["verdict"],
                                      **p["figures"]} for p in parts]},
               "evidence": [dict(e, part=p["part"]) for p in parts for e in p["evidence"]],
               "reason": ("; ".join(reasons) + ".") if reasons else None, "warnings": warnings}
    else:
        res = evaluate_test(claim, data)
        out = {**base, **res}
    out["test"] = clean({k: v for k, v in claim.items() if k not in ("id", "claim", "where", "note")})
    out["provenance"] = Provenance(method="claims.evaluate", parameters={
        "weights": data.weights, "measure": claim.get("measure", "parts")}).to_dict()
    return json_safe(out)


def evaluate_ledger(ledger: Mapping, read: Callable[[str], pd.DataFrame],
                    weights: Mapping[str, float] | None = None) -> list[dict[str, Any]]:
    """Evaluate every claim of a parsed ledger against the tables ``read`` returns."""
    data = ClaimData(read, weights=weights)
    return [evaluate_claim(c, data) for c in ledger["claims"]]


def seed_ledger() -> dict:
    """The seed paper's ledger shipped with the package (``claims/seed.yaml``)."""
    text = resources.files("orderwatch.claims").joinpath("seed.yaml").read_text("utf-8")
    return parse_ledger(text, "seed.yaml")


def verdict_table(results: list[dict]) -> pd.DataFrame:
    """A compact table of results: ``id, verdict, claim, reason``."""
    return pd.DataFrame([{"id": r["id"], "verdict": r["verdict"], "claim": r["claim"],
                          "reason": r.get("reason")} for r in results])
