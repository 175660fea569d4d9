"""Key findings for the first page of a report, generated from the figures the report shows.

Every sentence is computed from the rows of the view (rankings, latest figures, movers,
say-do gap, arrangements); nothing is written by hand, so a finding changes when the data
change. Uncertain cases say so: a state whose interval straddles 0 is "not distinguishable
from the midpoint", never "pro-US" or "pro-China".
"""

from __future__ import annotations

from typing import Any

from orderwatch.readable import is_missing
from orderwatch.schema import STREAMS



def _f(v: float) -> str:
    text = f"{v:+.2f}"
    return "+" + text[1:] if text.strip("+-0.") == "" else text


def _straddles(r: dict) -> bool:
    lo, hi = r.get("lo"), r.get("hi")
    return lo is not None and hi is not None and not is_missing(lo) and not is_missing(hi) and lo <= 0 <= hi


def region_findings(ctx: dict[str, Any], movers: list[dict] | None = None) -> list[str]:
    """Findings for a regional report from its rankings (and, if given, its movers rows)."""
    rows = [r for r in ctx.get("rows", []) if r.get("position") is not None]
    if not rows:
        return []
    year, n_all = ctx.get("year"), len(ctx.get("rows", []))
    out = [f"{len(rows)} of {n_all} states have a position in {year}; the others have no evidence that year "
           "(shown grey, never as 0)."]
    us = [r for r in rows if r["position"] > 0 and not _straddles(r)]
    gsi = [r for r in rows if r["position"] < 0 and not _straddles(r)]
    mid = [r for r in rows if _straddles(r)]
    out.append(f"{len(gsi)} lean towards China's GSI pole, {len(us)} towards the US pole and {len(mid)} are not "
               "distinguishable from the midpoint (their 95% interval contains 0).")
    top, bottom = rows[0], rows[-1]
    out.append(f"Closest to the US pole: {top.get('name_en', top['iso3'])} ({_f(top['position'])}); closest to "
               f"the GSI pole: {bottom.get('name_en', bottom['iso3'])} ({_f(bottom['position'])}).")
    moved = [m for m in (movers or []) if m.get("change") is not None]
    if moved:
        up, down = moved[0], moved[-1]
        w = f"{ctx['movers_start'][0]}–{ctx['movers_start'][1]} to {ctx['movers_end'][0]}–{ctx['movers_end'][1]}"
        sig = [m for m in moved if m.get("significant")]
        out.append(f"From {w}, {up.get('name') or up['iso3']} moved most towards the US pole ({_f(up['change'])}, "
                   f"mostly {up.get('driven_by') or 'no single stream'}) and {down.get('name') or down['iso3']} most "
                   f"towards the GSI pole ({_f(down['change'])}); {len(sig)} of {len(moved)} "
                   f"{'change is' if len(sig) == 1 else 'changes are'} larger than their 95% interval.")
    return out


def country_findings(ctx: dict[str, Any], movers: list[dict] | None = None) -> list[str]:
    """Findings for a country report from its latest figures, movers row, gap and arrangements."""
    c = ctx.get("c", {})
    name = c.get("name_en") or c.get("iso3")
    out = []
    # The profile's headline: the same figure and year as the country page and the CLI.
    latest = ctx.get("headline")
    if latest and latest.get("position") is not None:
        iv = ""
        if latest.get("lo") is not None and latest.get("hi") is not None:
            iv = f" [95% interval {_f(latest['lo'])}, {_f(latest['hi'])}]"
        where = ("not distinguishable from the midpoint" if _straddles(latest) else
                 "towards the US pole" if latest["position"] > 0 else "towards China's GSI pole")
        streams = latest.get("streams") or ""
        out.append(f"In {latest['year']}, {name} stands at {_f(latest['position'])}{iv} overall: {where} "
                   f"(streams with evidence: {streams.replace(',', ', ') or 'see the table'}).")
        parts = [f"{s} {_f(latest[s])}" for s in STREAMS if latest.get(s) is not None]
        if len(parts) >= 2:
            vals = [latest[s] for s in STREAMS if latest.get(s) is not None]
            spread = max(vals) - min(vals)
            agree = "agree" if spread < 0.3 else "disagree"
            out.append(f"The streams {agree} ({', '.join(parts)}; spread {spread:.2f}).")
    for m in movers or []:
        if m.get("change") is not None:
            w = f"{ctx['movers_start'][0]}–{ctx['movers_start'][1]} to {ctx['movers_end'][0]}–{ctx['movers_end'][1]}"
            size = "a change larger than its 95% interval" if m.get("significant") else "within its 95% interval"
            out.append(f"From {w} the overall position moved {_f(m['change'])} [{_f(m['change_lo'])}, "
                       f"{_f(m['change_hi'])}], {size}; mostly {m.get('driven_by') or 'no single stream'}.")
    gap = ctx.get("gap") or {}
    g = gap.get("latest") if isinstance(gap, dict) else None
    if g and g.get("gap") is not None:
        sig = g.get("significant")
        out.append(f"Say–do gap in {g['year']}: {_f(g['gap'])}"
                   + (" (significant)" if sig else " (not significant)" if sig is not None else "") + ".")
    arr = ctx.get("arrangements")
    if isinstance(arr, list) and arr:
        open_ = [a for a in arr if not a.get("end")]
        leads: dict[str, int] = {}
        for a in open_:
            leads[str(a.get("pole") or "other")] = leads.get(str(a.get("pole") or "other"), 0) + 1
        lead = ", ".join(f"{n} {k}" for k, n in sorted(leads.items(), key=lambda kv: -kv[1]))
        out.append(f"Member of {len(open_)} arrangements still in force ({lead}); {len(arr)} recorded in all.")
    return out
