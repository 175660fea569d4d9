"""Result, Evidence and Provenance: the records every stream returns.

A figure in orderwatch is never a bare number: it travels with its interval, the units of
evidence behind it (passages, roll calls, arrangements), the provenance needed to
reproduce it, and any warnings. ``to_dict()`` is JSON-safe with stable keys, so the CLI's
``--json`` and the web API print the same thing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from orderwatch import __version__


def json_safe(value: Any) -> Any:
    """Convert numpy scalars, NaN and nested containers to plain JSON values (NaN -> None)."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, np.ndarray):
        return [json_safe(v) for v in value.tolist()]
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else f
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, bool)):
        return value
    try:  # pandas NA / NaT
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


@dataclass
class Provenance:
    """What is needed to reproduce a figure: method, parameters, data hashes, seed."""

    method: str
    parameters: dict[str, Any] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)
    random_state: int | None = None
    version: str = __version__

    def to_dict(self) -> dict[str, Any]:
        return json_safe(
            {
                "method": self.method,
                "parameters": self.parameters,
                "sources": self.sources,
                "random_state": self.random_state,
                "version": self.version,
            }
        )


@dataclass
class Result:
    """An estimate with its interval, evidence, provenance and warnings."""

    value: float | None
    interval: tuple[float | None, float | None] | None = None
    level: float = 0.95
    n: int | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    provenance: Provenance | None = None
    warnings: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out = {
            "value": self.value,
            "interval": list(self.interval) if self.interval is not None else None,
            "level": self.level,
            "n": self.n,
            "evidence": self.evidence,
            "provenance": self.provenance.to_dict() if self.provenance else None,
            "warnings": self.warnings,
        }
        out.update(self.extra)
        return json_safe(out)
