"""One sentence per verdict that names the deciding figures.

:func:`reason` reads a test's ``figures`` (as the measures return them) and says why the
verdict came out as it did, e.g. "PHL +0.41 [+0.20, +0.62] over 2023-2024, needed
above +0.00 for all: 1 of 1 pass on the interval." The sentence is built only from
figures already in the result, so it can never disagree with them.
"""

from __future__ import annotations

from typing import Any, Mapping

MAX_LISTED = 6
WORDS = {"above": "above", "below": "below", "within": "within ±"}


def _n(x: Any, signed: bool = True) -> str:
    if x is None:
        return "—"
    try:
        return f"{float(x):+.2f}" if signed else f"{float(x):.2f}"
    except (TypeError, ValueError):
        return str(x)


def _iv(iv) -> str:
    if not iv or iv[0] is None or iv[1] is None:
        return ""
    return f" [{_n(iv[0])}, {_n(iv[1])}]"


def _period(p) -> str:
    return f"{p[0]}-{p[1]}" if p and p[0] != p[1] else str(p[0]) if p else ""


def _need(f: Mapping) -> str:
    expect, t = f.get("expect"), f.get("threshold")
    word = WORDS.get(expect, expect)
    bound = _n(t, signed=expect != "within")
    q = f.get("quantifier", "all")
    share = f" {f['share']:.0%}" if f.get("share") is not None else ""
    return f"needed {word}{'' if expect == 'within' else ' '}{bound} for {q}{share}"


def _tally(f: Mapping) -> str:
    units = f.get("units", 0)
    return (f"{f.get('passing_robustly', 0)} of {units} pass on the whole interval, "
            f"{f.get('failing_robustly', 0)} fail on it")


def _listing(items: list[str]) -> str:
    more = len(items) - MAX_LISTED
    return ", ".join(items[:MAX_LISTED]) + (f" and {more} more" if more > 0 else "")


def _missing(f: Mapping) -> str:
    miss = f.get("missing") or []
    return f"; no data for {_listing(miss)}" if miss else ""


def reason(verdict: str, figures: Mapping, measure: str, existing: str | None = None) -> str | None:
    """The one-sentence reason for a test's verdict (``existing`` wins when given)."""
    if existing:
        return existing
    f = figures or {}
    by = f.get("by_country") or {}
    if measure == "position":
        items = [f"{iso} {_n(v['position'])}{_iv(v.get('interval'))}" for iso, v in by.items()]
        return (f"{f.get('stream', 'combined')} {f.get('axis')} over {_period(f.get('period'))}: "
                f"{_listing(items)}; {_need(f)}: {_tally(f)}{_missing(f)}.")
    if measure == "change":
        items = [f"{iso} {_n(v['before'])} → {_n(v['after'])} (change {_n(v['change'])}{_iv(v.get('interval'))})"
                 for iso, v in by.items()]
        return (f"{f.get('stream', 'combined')} {f.get('axis')} from {_period(f.get('before'))} to "
                f"{_period(f.get('period'))}: {_listing(items)}; change {_need(f)}: {_tally(f)}{_missing(f)}.")
    if measure == "rank":
        items = [f"{iso} ranks {v['rank']} of {v['of']} (best case {v['best_case_rank']}, worst "
                 f"{v['worst_case_rank']})" for iso, v in by.items()]
        return f"{f.get('axis')} over {_period(f.get('period'))}: {_listing(items)}; needed rank ≤ {f.get('k')}."
    if measure in ("milex", "alliance_partners") and "observed" in f:
        tol = f"±{f['tolerance']:.0%}" if f.get("relative_tolerance") else f"±{f['tolerance']:g}"
        what = "SIPRI" if measure == "milex" else "ATOP defence partners"
        return (f"{what} {f.get('year')}: observed {f['observed']:,.4g} against the claimed "
                f"{f['claimed']:,.4g} ({tol}), a difference of {f['difference']:+,.4g}.")
    if measure == "trade":
        items = [f"{iso} {_n(v['china_share_pct'], False)}% vs {_n(v['us_share_pct'], False)}%"
                 for iso, v in by.items()]
        return (f"China's vs the US's trade share over {_period(f.get('period'))}: China ahead for "
                f"{f.get('passing')} of {f.get('units')} states, needed {f.get('quantifier')} "
                f"({_listing(items)}){_missing(f)}.")
    if measure == "dispute":
        items = [f"{iso} {'active (' + ', '.join(v['kinds']) + ')' if v['active'] else 'none'}"
                 for iso, v in by.items()]
        return (f"Territorial disputes with China in {_period(f.get('period'))}: {_listing(items)}; "
                f"needed {f.get('quantifier')}.")
    if measure == "csf_count":
        return (f"Catalogue on {f.get('date')}: {f.get('neighbour_observed')} bilateral and "
                f"{f.get('regional_observed')} regional declarations against the claimed "
                f"{f.get('neighbour_claimed')} and {f.get('regional_claimed')}.")
    if measure == "arrangement":
        miss = f.get("missing") or []
        return (f"{f.get('arrangement')} on {f.get('date')}: members {', '.join(f.get('members_on_date') or []) or 'none'}"
                + (f"; not recorded for {', '.join(miss)}." if miss else "; all named states recorded."))
    return None
