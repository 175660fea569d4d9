"""Movers: how far each state moved between two windows of years, with an interval and the why.

"Who moved most since 2016?" asked of single years gives answers that depend on the end
year chosen (one speech, one session of votes). :func:`movers` compares *windows*: the
mean position of each state over a start window (e.g. 2015-2017) and over an end window
(e.g. 2023-2024), and ranks the states by the change.

Uncertainty. Within a window the yearly errors are treated as fully correlated (the
window's interval is the mean of the yearly intervals, as in
:func:`orderwatch.synthesis.scenario.mean_over_years`, the conservative choice for a
persistent bias). Between the two windows the errors are treated as independent (they
rest on different speeches, roll calls and years), so the change's standard error is
:math:`\\sqrt{s_{start}^2 + s_{end}^2}`, each :math:`s` recovered from its interval as
:math:`(hi - lo) / (2z)`. A persistent bias common to both windows cancels in the change.

Why. The combined position of a state-year is :math:`\\sum_k w_k p_k` over the streams
with evidence (weights renormalised per row, :func:`orderwatch.synthesis.combine.combine`).
The change is therefore split exactly into stream contributions,
:math:`\\overline{w_k p_k}^{end} - \\overline{w_k p_k}^{start}`, which add up to the change
(``contrib_<stream>``). Under a model that is not a weighted mean of the streams (the
synthesis' latent measurement model smooths over years and rescales each stream), the
``w_<stream>`` columns are information shares and the stream terms no longer add up to the
figure: what they leave is ``contrib_model`` (change minus the stream contributions; 0 up to
rounding for the weighted-mean index). Beside them, each stream's own change
(``<stream>_change``) says where that stream alone moved. A stream that enters or leaves between the windows shows
up as a contribution even if no stream moved: the ``streams_start``/``streams_end``
columns make that visible.

Pure pandas: takes the combined positions table and the registry, returns a DataFrame.

>>> import pandas as pd
>>> pos = pd.DataFrame({"iso3": ["AAA"] * 4, "year": [2015, 2016, 2023, 2024], "axis": "overall",
...                     "position": [0.1, 0.3, 0.5, 0.7], "lo": [0.0, 0.2, 0.4, 0.6],
...                     "hi": [0.2, 0.4, 0.6, 0.8]})
>>> m = movers(pos, (2015, 2016), (2023, 2024))
>>> round(float(m.loc[0, "change"]), 3)
0.4
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np
import pandas as pd

from orderwatch.errors import OrderwatchError
from orderwatch.synthesis.combine import z_value
from orderwatch.synthesis.weights import AXES, STREAMS

Window = tuple[int, int]


class ChangeSpecError(OrderwatchError, ValueError):
    """A --change specification that is not two year windows."""


def parse_change(text: str) -> tuple[Window, Window]:
    """Parse ``"2015-2017:2023-2024"`` (or ``"2016:2024"``) into two inclusive windows.

    >>> parse_change("2015-2017:2023-2024")
    ((2015, 2017), (2023, 2024))
    >>> parse_change("2016:2024")
    ((2016, 2016), (2024, 2024))
    """
    m = re.fullmatch(r"\s*(\d{4})(?:-(\d{4}))?\s*:\s*(\d{4})(?:-(\d{4}))?\s*", text or "")
    if not m:
        raise ChangeSpecError(f"--change must look like 2015-2017:2023-2024 (start window:end window), got {text!r}")
    a0, a1, b0, b1 = m.groups()
    start = (int(a0), int(a1 or a0))
    end = (int(b0), int(b1 or b0))
    for name, (x, y) in (("start", start), ("end", end)):
        if x > y:
            raise ChangeSpecError(f"--change: the {name} window {x}-{y} runs backwards")
    if end[0] <= start[1]:
        raise ChangeSpecError(f"--change: the end window {end[0]}-{end[1]} must begin after the start "
                              f"window {start[0]}-{start[1]} ends")
    return start, end


def _window(sub: pd.DataFrame, window: Window, streams: Sequence[str]) -> pd.DataFrame:
    """Per state: mean position, mean interval, years with data and stream terms in a window."""
    w = sub[(sub["year"] >= window[0]) & (sub["year"] <= window[1]) & sub["position"].notna()].copy()
    agg: dict[str, tuple[str, str]] = {"position": ("position", "mean"), "lo": ("lo", "mean"),
                                       "hi": ("hi", "mean"), "years": ("position", "count")}
    for s in streams:
        if s in w.columns:
            w[f"_own_{s}"] = pd.to_numeric(w[s], errors="coerce")
            agg[f"own_{s}"] = (f"_own_{s}", "mean")
            if f"w_{s}" in w.columns:
                # The stream's term in the weighted mean (0 where it had no evidence that year).
                w[f"_term_{s}"] = (pd.to_numeric(w[f"w_{s}"], errors="coerce").fillna(0.0)
                                   * w[f"_own_{s}"].fillna(0.0))
                agg[f"term_{s}"] = (f"_term_{s}", "mean")
    out = w.groupby("iso3").agg(**agg)
    if "streams" in w.columns:
        out["streams"] = w.groupby("iso3")["streams"].agg(
            lambda col: ",".join(s for s in streams if col.astype(str).str.contains(s).any()))
    if "provisional" in w.columns:
        out["provisional"] = w.groupby("iso3")["provisional"].agg(lambda col: bool(col.fillna(False).astype(bool).any()))
    return out


def movers(
    positions: pd.DataFrame,
    start: Window,
    end: Window,
    axis: str = "overall",
    states: Sequence[str] | None = None,
    level: float = 0.95,
    min_years: int = 1,
) -> pd.DataFrame:
    """Change of each state's mean position from the ``start`` to the ``end`` window, ranked.

    Parameters
    ----------
    positions : DataFrame
        Combined positions (``iso3, year, axis, position, lo, hi`` and, where present,
        the per-stream columns and ``w_<stream>`` weights of
        :func:`orderwatch.synthesis.combined_positions`).
    start, end : (int, int)
        Inclusive year windows; ``end`` must follow ``start``.
    axis : str
        ``overall``, ``A1``, ``A2`` or ``A3``.
    states : sequence of str, optional
        ISO3 codes to keep (e.g. a registry group); default every state in ``positions``.
    level : float
        Level of the change's interval.
    min_years : int
        A state needs at least this many years with a position in *each* window, else its
        change is NaN (not enough evidence; never 0).

    Returns
    -------
    DataFrame
        One row per state: ``rank, iso3, start, end, change, change_lo, change_hi,
        significant`` (the interval excludes 0), ``years_start, years_end``,
        ``streams_start, streams_end``, ``contrib_<stream>`` (adds up to ``change``) and
        ``<stream>_change`` (the stream's own change), sorted from the largest move
        towards the US pole (+) to the largest towards the GSI pole (−), states without
        enough evidence last and unranked.
    """
    if axis not in AXES:
        raise ChangeSpecError(f"axis must be one of {', '.join(AXES)}, got {axis!r}")
    if end[0] <= start[1]:
        raise ChangeSpecError(f"the end window {end} must begin after the start window {start}")
    sub = positions[positions["axis"] == axis]
    if states is not None:
        sub = sub[sub["iso3"].isin(list(states))]
    streams = [s for s in STREAMS if s in sub.columns]
    a = _window(sub, start, streams)
    b = _window(sub, end, streams)
    codes = sorted(set(sub["iso3"]) if states is None else set(states) & set(positions["iso3"]))
    a, b = a.reindex(codes), b.reindex(codes)
    enough = (a["years"].fillna(0) >= min_years) & (b["years"].fillna(0) >= min_years)
    z = z_value(level)
    out = pd.DataFrame(index=pd.Index(codes, name="iso3"))
    out["start"] = a["position"].where(enough)
    out["end"] = b["position"].where(enough)
    out["change"] = out["end"] - out["start"]
    se = np.sqrt(((a["hi"] - a["lo"]) / (2 * z)) ** 2 + ((b["hi"] - b["lo"]) / (2 * z)) ** 2)
    out["change_lo"] = (out["change"] - z * se).where(enough)
    out["change_hi"] = (out["change"] + z * se).where(enough)
    out["significant"] = ((out["change_lo"] > 0) | (out["change_hi"] < 0)).where(out["change_lo"].notna())
    out["years_start"] = a["years"].fillna(0).astype(int)
    out["years_end"] = b["years"].fillna(0).astype(int)
    if "streams" in a.columns:
        out["streams_start"] = a["streams"].where(enough)
        out["streams_end"] = b["streams"].where(enough)
    contrib = [s for s in streams if f"term_{s}" in a.columns]
    for s in contrib:
        out[f"contrib_{s}"] = (b[f"term_{s}"] - a[f"term_{s}"]).where(enough)
    if contrib:
        explained = out[[f"contrib_{s}" for s in contrib]].fillna(0.0).sum(axis=1)
        out["contrib_model"] = (out["change"] - explained).where(enough)
    for s in streams:
        if f"own_{s}" in a.columns:
            out[f"{s}_change"] = (b[f"own_{s}"] - a[f"own_{s}"]).where(enough)
    if "provisional" in a.columns:
        out["provisional"] = (a["provisional"].fillna(False) | b["provisional"].fillna(False)).astype(bool)
    out = out.reset_index().sort_values(["change", "iso3"], ascending=[False, True], na_position="last",
                                        ignore_index=True)
    out.insert(0, "rank", pd.array([i + 1 if pd.notna(c) else pd.NA for i, c in enumerate(out["change"])],
                                   dtype="Int64"))
    return out


def largest_contribution(row: pd.Series | dict, streams: Sequence[str] = (*STREAMS, "model")) -> str | None:
    """The stream (or ``model``) whose contribution moved the figure most (by size), or None.

    >>> largest_contribution({"contrib_words": 0.05, "contrib_votes": -0.2, "contrib_institutions": 0.01})
    'votes'
    """
    best, size = None, 0.0
    for s in streams:
        v = row.get(f"contrib_{s}") if hasattr(row, "get") else None
        if v is not None and pd.notna(v) and abs(float(v)) > size:
            best, size = s, abs(float(v))
    return best
