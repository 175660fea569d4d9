"""Stream weights: parsing, validation and renormalisation over the streams present.

The combined position of a state is a weighted mean of the stream positions (words,
votes, institutions, practice; a stream whose table is absent is missing, never 0). Weights are user-visible and user-changeable, in the spirit of
the Lowy Institute Asia Power Index's weighting calculator: the user states how much each
stream should count, and the tool renormalises over the streams that actually have
evidence for that state-year, so that a missing stream is never read as 0.

References
----------
Lowy Institute (2024). *Asia Power Index 2024: Methodology*. Sydney: Lowy Institute.
OECD & JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User
Guide*. Paris: OECD Publishing, section 6 (weighting and aggregation).
"""

from __future__ import annotations

import math
from typing import Mapping

from orderwatch.errors import OrderwatchError
from orderwatch.schema import AXES, STREAM_TABLES, STREAMS  # noqa: F401  (re-exported)


#: Equal weights: no stream is privileged unless the user says so.
DEFAULT_WEIGHTS: dict[str, float] = {"words": 1.0, "votes": 1.0, "institutions": 1.0, "practice": 1.0}



class WeightsError(OrderwatchError, ValueError):
    """Weights that cannot define a weighted mean (negative, zero sum, unknown stream)."""


def validate_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """Check weights and return them normalised to sum to 1.

    Parameters
    ----------
    weights : mapping of stream name to non-negative float, or None
        Streams left out get weight 0 (they do not count). ``None`` means
        :data:`DEFAULT_WEIGHTS`.

    Returns
    -------
    dict
        One entry per stream in :data:`STREAMS`, summing to 1.

    Raises
    ------
    WeightsError
        A weight is negative, not finite, names an unknown stream, or all weights are 0.

    Examples
    --------
    >>> validate_weights({"words": 1, "votes": 3})
    {'words': 0.25, 'votes': 0.75, 'institutions': 0.0, 'practice': 0.0}
    """
    raw = dict(DEFAULT_WEIGHTS if weights is None else weights)
    unknown = sorted(set(raw) - set(STREAMS))
    if unknown:
        raise WeightsError(
            f"unknown stream(s) {', '.join(unknown)} in weights; use {', '.join(STREAMS)}"
        )
    out: dict[str, float] = {}
    for stream in STREAMS:
        try:
            w = float(raw.get(stream, 0.0))
        except (TypeError, ValueError):
            raise WeightsError(f"weight for {stream!r} is not a number: {raw.get(stream)!r}") from None
        if not math.isfinite(w):
            raise WeightsError(f"weight for {stream!r} must be finite, got {w}")
        if w < 0:
            raise WeightsError(f"weight for {stream!r} must be >= 0, got {w}")
        out[stream] = w
    total = sum(out.values())
    if total <= 0:
        raise WeightsError("weights sum to zero; give at least one stream a positive weight")
    return {k: v / total for k, v in out.items()}


def parse_weights(text: str | None) -> dict[str, float]:
    """Parse ``"words=1,votes=2,institutions=1"`` into validated, normalised weights.

    Raises
    ------
    WeightsError
        Malformed text (the message names the bad item) or invalid weights.

    Examples
    --------
    >>> parse_weights("words=1,votes=1")
    {'words': 0.5, 'votes': 0.5, 'institutions': 0.0, 'practice': 0.0}
    """
    if text is None or not text.strip():
        return validate_weights(None)
    raw: dict[str, float] = {}
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        if "=" not in item:
            raise WeightsError(f"bad weight {item!r}; write stream=value, e.g. votes=2")
        key, _, value = item.partition("=")
        key = key.strip().lower()
        try:
            raw[key] = float(value)
        except ValueError:
            raise WeightsError(f"weight for {key!r} is not a number: {value.strip()!r}") from None
    return validate_weights(raw)


def format_weights(weights: Mapping[str, float]) -> str:
    """Render weights compactly and stably, e.g. ``words=0.333,votes=0.333,...``."""
    return ",".join(f"{s}={weights.get(s, 0.0):.3g}" for s in STREAMS)
