"""Figures and evidence as a reader sees them: dates as dates, numbers rounded, no ``None``.

One place for what the CLI, the web pages and the reports print, so an evidence row
reads the same everywhere (``china share 19.4 %``, not ``china_share_pct:
19.374000000000002``; ``2016-07-12``, not ``2016-07-12 00:00:00``; a missing value is
left out or shown as "—", never as ``None``).

>>> value(19.374000000000002)
'19.37'
>>> value(None)
'—'
>>> import datetime as dt
>>> value(dt.datetime(2016, 7, 12))
'2016-07-12'
>>> line({"iso3": "PHL", "china_share_pct": 19.374000000000002, "flag": None, "interval": [0.1, 0.33333]})
'iso3 PHL · china share 19.4 % · interval [+0.10, +0.33]'
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any, Iterable, Mapping

import numpy as np
import pandas as pd

DASH = "—"
#: Keys that carry no meaning for a reader (internal ids and plumbing).
HIDDEN_KEYS = frozenset({"id", "_id", "rowid", "index", "html"})


def is_missing(v: Any) -> bool:
    """None, NaN, NaT or pandas' NA."""
    if v is None or v is pd.NaT or v is pd.NA:
        return True
    if isinstance(v, (float, np.floating)):
        return math.isnan(float(v))
    return False


def number(v: float, digits: int = 2, signed: bool = False) -> str:
    """A number rounded for reading; integers stay integers."""
    f = float(v)
    if abs(f) >= 1000 and not signed:
        return f"{f:,.0f}"
    if f.is_integer() and abs(f) >= 1 and not signed:
        return str(int(f))
    return f"{f:+.{digits}f}" if signed else f"{f:.{digits}f}"


def date(v: Any) -> str:
    """A date or timestamp as ``YYYY-MM-DD`` (with the time only when it is not midnight)."""
    ts = pd.Timestamp(v)
    if ts.hour == ts.minute == ts.second == 0:
        return ts.strftime("%Y-%m-%d")
    return ts.strftime("%Y-%m-%d %H:%M")


def value(v: Any, digits: int = 2, key: str = "") -> str:
    """One value as text: rounded numbers, ISO dates, ``—`` for missing, flattened mappings."""
    if is_missing(v):
        return DASH
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        if key.endswith(("_pct", "pct", "_share", "percent")):
            return f"{float(v):.1f} %"
        if key in ("position", "change", "gap") or key.endswith(("position", "_change", "_diff")):
            return number(v, digits, signed=True)
        return number(v, digits)
    if isinstance(v, (pd.Timestamp, _dt.datetime, _dt.date, np.datetime64)):
        return date(v)
    if isinstance(v, Mapping):
        return "; ".join(f"{label(k)} {value(x, digits, str(k))}" for k, x in v.items() if not is_missing(x))
    if isinstance(v, (list, tuple, np.ndarray)):
        items = list(v)
        if len(items) == 2 and all(isinstance(x, (int, float, np.floating, np.integer)) or is_missing(x) for x in items):
            if all(is_missing(x) for x in items):
                return DASH
            return f"[{value(items[0], digits, 'position')}, {value(items[1], digits, 'position')}]"
        return ", ".join(value(x, digits) for x in items if not is_missing(x)) or DASH
    text = str(v)
    # ISO timestamps stored as text: drop a midnight time.
    if len(text) == 19 and text.endswith(" 00:00:00") and text[4] == "-":
        return text[:10]
    return text


def label(key: Any) -> str:
    """A column name as words: ``china_share_pct`` -> ``china share``."""
    k = str(key)
    for suffix in ("_pct", "_percent"):
        if k.endswith(suffix):
            k = k[: -len(suffix)]
    return k.replace("_", " ").strip()


def items(row: Mapping[str, Any], digits: int = 2, skip: Iterable[str] = ()) -> list[tuple[str, str]]:
    """The readable ``(label, value)`` pairs of an evidence row, missing values left out."""
    skip = set(skip) | HIDDEN_KEYS
    return [(label(k), value(v, digits, str(k))) for k, v in row.items()
            if k not in skip and not is_missing(v) and not (isinstance(v, (list, dict)) and not v)]


def line(row: Any, digits: int = 2, skip: Iterable[str] = ()) -> str:
    """An evidence row on one line: ``label value · label value``; anything else via :func:`value`."""
    if isinstance(row, Mapping):
        return " · ".join(f"{k} {v}" for k, v in items(row, digits, skip))
    return value(row, digits)


def flat_frame(rows: Any) -> pd.DataFrame:
    """Rows (a DataFrame or a list of dicts) with nested values flattened for CSV/Parquet.

    A two-number list (an interval) becomes ``<key>_lo, <key>_hi``; a mapping becomes
    ``<key>_<subkey>`` columns; other lists become ``"a; b"``.
    """
    df = rows.copy() if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    for col in list(df.columns):
        s = df[col]
        if s.dtype != object:
            continue
        sample = next((x for x in s if not is_missing(x) if not isinstance(x, float)), None)
        if isinstance(sample, Mapping):
            sub = pd.json_normalize([x if isinstance(x, Mapping) else {} for x in s], sep="_")
            sub.columns = [f"{col}_{c}" for c in sub.columns]
            sub.index = df.index
            df = pd.concat([df.drop(columns=[col]), flat_frame(sub)], axis=1)
        elif isinstance(sample, (list, tuple, np.ndarray)):
            if all(isinstance(x, (list, tuple, np.ndarray)) and len(x) == 2 or is_missing(x) for x in s):
                df[f"{col}_lo"] = [None if is_missing(x) else x[0] for x in s]
                df[f"{col}_hi"] = [None if is_missing(x) else x[1] for x in s]
                df = df.drop(columns=[col])
                df[f"{col}_lo"] = pd.to_numeric(df[f"{col}_lo"], errors="coerce")
                df[f"{col}_hi"] = pd.to_numeric(df[f"{col}_hi"], errors="coerce")
            else:
                df[col] = ["; ".join(map(str, x)) if isinstance(x, (list, tuple, np.ndarray)) else x for x in s]
    return df


def evidence_line(e: Any, digits: int = 2) -> str:
    """One claim-evidence row for a reader.

    A position row reads ``PHL 2022–2024 overall: +0.45 [+0.33, +0.58] (words +0.83,
    votes −0.07, institutions +0.61)``; any other row is its readable fields (the table
    it comes from and internal part numbers left out).
    """
    if not isinstance(e, Mapping):
        return value(e, digits)
    if "position" in e and "iso3" in e:
        period = e.get("period")
        when = f" {period[0]}–{period[1]}" if isinstance(period, (list, tuple)) and len(period) == 2 else ""
        axis = f" {e['axis']}" if e.get("axis") else ""
        pos = "no evidence" if is_missing(e.get("position")) else value(e["position"], digits, "position")
        iv = e.get("interval")
        ivs = f" {value(iv, digits)}" if isinstance(iv, (list, tuple)) and not all(is_missing(x) for x in iv) else ""
        streams = [f"{s} {value(e[s], digits, 'position')}" for s in ("words", "votes", "institutions", "practice")
                   if s in e and not is_missing(e[s])]
        tail = f" ({', '.join(streams)})" if streams else ""
        return f"{e['iso3']}{when}{axis}: {pos}{ivs}{tail}"
    return line(e, digits, skip=("table", "part", "url", "stream"))


def figures_line(figures: Any, digits: int = 2) -> str:
    """The deciding figures of a claim verdict in one line (when the claim gives no reason).

    >>> figures_line({"observed": 997309.0, "claimed": 886000.0, "tolerance": 0.1, "year": 2024})
    'observed 997,309 vs claimed 886,000 (tolerance 10 %), 2024'
    >>> figures_line({"expect": "below", "threshold": 0.0, "axis": "A3", "period": [2021, 2024],
    ...               "by_country": {"IDN": {"passes": True}, "MYS": {"passes": False}}})
    '1 of 2 states below +0.00 on A3, 2021–2024'
    """
    if not isinstance(figures, Mapping) or not figures:
        return ""
    if "parts" in figures:
        return "; ".join(filter(None, (figures_line(p, digits) for p in figures["parts"])))
    if "observed" in figures and "claimed" in figures:
        tol = figures.get("tolerance")
        rel = figures.get("relative_tolerance", True)
        tol_s = "" if is_missing(tol) else (f" (tolerance {float(tol) * 100:.0f} %)" if rel else f" (tolerance {value(tol)})")
        year = f", {figures['year']}" if figures.get("year") else ""
        return f"observed {value(figures['observed'], digits)} vs claimed {value(figures['claimed'], digits)}{tol_s}{year}"
    by = figures.get("by_country")
    if isinstance(by, Mapping) and by and figures.get("expect"):
        judged = [v for v in by.values() if isinstance(v, Mapping) and "passes" in v]
        n_pass = sum(bool(v.get("passes")) for v in judged)
        period = figures.get("period")
        when = f", {period[0]}–{period[1]}" if isinstance(period, (list, tuple)) and len(period) == 2 else ""
        thr = figures.get("threshold", 0.0)
        what = ("within ±" + value(thr, digits)) if figures["expect"] == "within" else \
            f"{figures['expect']} {value(thr, digits, 'position')}"
        states = "state" if len(judged) == 1 else "states"
        axis = figures.get("axis", "overall")
        before = figures.get("before")
        if isinstance(before, (list, tuple)) and len(before) == 2:
            span = f" {before[0]}–{before[1]} → {period[0]}–{period[1]}" if when else ""
            return f"{n_pass} of {len(judged)} {states} with a change{span} {what} on {axis}"
        return f"{n_pass} of {len(judged)} {states} {what} on {axis}{when}"
    return ""
