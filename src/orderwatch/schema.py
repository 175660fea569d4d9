"""The one vocabulary of orderwatch and the contract every positions table keeps.

Axes, streams, poles and the table each stream writes are defined here once; the rest of
the package imports them. :func:`check_positions` is the contract a positions table
(one row per state, year, axis and, where present, method) must satisfy.

This module imports nothing from orderwatch but :mod:`orderwatch.errors`, so every floor
(sources, store, streams, synthesis, claims, cli/web/reports) may use it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orderwatch.errors import OrderwatchError

#: The substantive axes (docs/AXES.md): security logic, who orders the region, blocs or community.
SUBSTANTIVE_AXES: tuple[str, ...] = ("A1", "A2", "A3")
#: Every axis a positions table may carry: the three axes plus their overall summary.
AXES: tuple[str, ...] = (*SUBSTANTIVE_AXES, "overall")

#: The streams of evidence, in the order the synthesis combines them.
STREAMS: tuple[str, ...] = ("words", "votes", "institutions", "practice")

#: The derived positions table each stream writes (docs/ARCHITECTURE.md).
STREAM_TABLES: dict[str, str] = {
    "words": "text_positions",
    "votes": "votes_positions",
    "institutions": "institutions_positions",
    "practice": "practice_positions",
}
#: The synthesis' combined positions table.
COMBINED_TABLE = "positions"

#: The scale's poles: −1 is China's Global Security Initiative, +1 the US rules-based order.
GSI_POLE, US_POLE = -1.0, 1.0
#: The states that anchor the poles, with the position each is fixed at.
POLE_STATES: dict[str, float] = {"CHN": GSI_POLE, "USA": US_POLE}

#: The columns of every stream's positions table, in order.
POSITION_COLUMNS: list[str] = ["iso3", "year", "axis", "position", "lo", "hi", "n", "method"]


class PositionsContractError(OrderwatchError, ValueError):
    """A positions table that breaks the contract: the message names the column and row."""


def _plain(value):
    return value.item() if isinstance(value, np.generic) else value


def _first_bad(df: pd.DataFrame, mask: pd.Series) -> str:
    row = df[mask.to_numpy()].iloc[0]
    keys = [k for k in ("iso3", "year", "axis", "method") if k in df.columns]
    return f"row {df.index[mask.to_numpy()][0]!r} (" + ", ".join(f"{k}={_plain(row[k])!r}" for k in keys) + ")"


def check_positions(df: pd.DataFrame, stream: str) -> pd.DataFrame:
    """Check a positions table against the contract and return it unchanged.

    Parameters
    ----------
    df : DataFrame
        Columns ``iso3, year, axis, position`` at least; ``lo, hi, n, method`` where present.
    stream : str
        The stream or table name, used in the error message.

    Returns
    -------
    DataFrame
        ``df`` itself.

    Raises
    ------
    PositionsContractError
        A required column is missing, an axis is not in :data:`AXES`, a position (or its
        ``lo``/``hi``) lies outside [−1, 1], ``lo > position`` or ``position > hi``,
        ``n < 0``, or a key (iso3, year, axis[, method]) is repeated.

    Examples
    --------
    >>> ok = pd.DataFrame({"iso3": ["VNM"], "year": [2020], "axis": ["A1"], "position": [0.1]})
    >>> len(check_positions(ok, "votes"))
    1
    >>> check_positions(ok.assign(position=1.5), "votes")
    Traceback (most recent call last):
    ...
    orderwatch.schema.PositionsContractError: votes: position 1.5 outside [-1, 1] at row 0 (iso3='VNM', year=2020, axis='A1')
    """
    missing = [c for c in ("iso3", "year", "axis", "position") if c not in df.columns]
    if missing:
        raise PositionsContractError(f"{stream}: missing column(s) {', '.join(missing)}")
    bad_axis = ~df["axis"].isin(AXES)
    if bad_axis.any():
        raise PositionsContractError(
            f"{stream}: axis {df['axis'][bad_axis].iloc[0]!r} not in {', '.join(AXES)} at {_first_bad(df, bad_axis)}")
    num = {c: pd.to_numeric(df[c], errors="coerce") for c in ("position", "lo", "hi", "n") if c in df.columns}
    for col in ("position", "lo", "hi"):
        if col in num:
            v = num[col]
            out = v.notna() & ((v < -1 - 1e-9) | (v > 1 + 1e-9) | ~np.isfinite(v.fillna(0)))
            if out.any():
                raise PositionsContractError(
                    f"{stream}: {col} {v[out].iloc[0]:.6g} outside [-1, 1] at {_first_bad(df, out)}")
    pos = num["position"]
    for col, bad in (("lo", lambda b: b > pos + 1e-9), ("hi", lambda b: b < pos - 1e-9)):
        if col in num:
            wrong = num[col].notna() & pos.notna() & bad(num[col])
            if wrong.any():
                rel = "above" if col == "lo" else "below"
                raise PositionsContractError(
                    f"{stream}: {col} {num[col][wrong].iloc[0]:.6g} {rel} position "
                    f"{pos[wrong].iloc[0]:.6g} at {_first_bad(df, wrong)}")
    if "n" in num:
        neg = num["n"].notna() & (num["n"] < 0)
        if neg.any():
            raise PositionsContractError(f"{stream}: n {num['n'][neg].iloc[0]:.6g} < 0 at {_first_bad(df, neg)}")
    keys = ["iso3", "year", "axis"] + (["method"] if "method" in df.columns else [])
    dup = df.duplicated(keys, keep="first")
    if dup.any():
        raise PositionsContractError(
            f"{stream}: key ({', '.join(keys)}) repeated at {_first_bad(df, dup)}")
    return df
