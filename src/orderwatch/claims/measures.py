"""The measures a claim can be tested on, each returning figures, evidence and a verdict.

Verdicts use the intervals, not only the point estimates. Each unit (a state, or a
single figure) is judged three ways: *passes* on its point estimate; *robustly passes*
when its whole interval satisfies the expectation; *robustly fails* when its whole
interval violates it. The claim's quantifier (all, most, ...) is then evaluated twice:
on the pessimistic reading (only robust passes count) and on the optimistic one
(everything not robustly failing counts). Both true: **supported**; both false:
**contradicted**; they differ: **mixed** (the data cannot tell at this precision).
States without data in the period are listed as missing and left out; if no state has
data the claim is **not_testable**, with the reason. Nothing is ever filled with 0.

Period figures are means over the years with data; their interval is the mean of the
yearly bounds (errors treated as fully correlated across years: conservative).
"""

from __future__ import annotations

import math
from typing import Any, Mapping

import numpy as np
import pandas as pd

from orderwatch.claims.data import ClaimData
from orderwatch.synthesis.disputes import disputes_table

NOT_TESTABLE = "not_testable"


def outcome(verdict: str, figures: dict | None = None, evidence: list | None = None,
            reason: str | None = None, warnings: list[str] | None = None) -> dict[str, Any]:
    return {"verdict": verdict, "figures": figures or {}, "evidence": evidence or [],
            "reason": reason, "warnings": warnings or []}


def satisfies(x: float, expect: str, t: float) -> bool:
    """Whether a value meets the expectation: above (x > t), below (x < t), within (|x| <= t)."""
    if expect == "above":
        return x > t
    if expect == "below":
        return x < t
    if expect == "within":
        return abs(x) <= t
    raise ValueError(f"expect {expect!r} does not apply to a position")


def judge_unit(x: float, lo: float, hi: float, expect: str, t: float) -> dict[str, bool]:
    """Point, robust-pass and robust-fail status of one unit with interval [lo, hi]."""
    point = satisfies(x, expect, t)
    if lo is None or hi is None or math.isnan(lo) or math.isnan(hi):
        return {"pass": point, "robust_pass": point, "robust_fail": not point, "interval": False}
    if expect == "above":
        rp, rf = lo > t, hi <= t
    elif expect == "below":
        rp, rf = hi < t, lo >= t
    else:  # within
        rp, rf = (lo >= -t and hi <= t), (hi < -t or lo > t)
    return {"pass": point, "robust_pass": bool(rp), "robust_fail": bool(rf), "interval": True}


def quantify(passes: list[bool], quantifier: str, share: float | None) -> bool:
    n = len(passes)
    k = sum(passes)
    if quantifier == "all":
        return k == n
    if quantifier == "most":
        return k > n / 2
    if quantifier == "any":
        return k > 0
    if quantifier == "none":
        return k == 0
    if quantifier == "at_least":
        return k / n >= share
    if quantifier == "at_most":
        return k / n <= share
    raise ValueError(quantifier)


def verdict_from_units(units: list[dict], quantifier: str = "all", share: float | None = None) -> tuple[str, dict]:
    """Supported / contradicted / mixed from judged units (see module docstring)."""
    pessimistic = [u["robust_pass"] for u in units]
    optimistic = [not u["robust_fail"] for u in units]
    point = [u["pass"] for u in units]
    lo_ok, hi_ok = quantify(pessimistic, quantifier, share), quantify(optimistic, quantifier, share)
    verdict = "supported" if lo_ok and hi_ok else "contradicted" if not lo_ok and not hi_ok else "mixed"
    summary = {"units": len(units), "passing": int(sum(point)),
               "passing_robustly": int(sum(pessimistic)), "failing_robustly": int(sum(not o for o in optimistic)),
               "quantifier": quantifier, "share": share,
               "point_verdict": "supported" if quantify(point, quantifier, share) else "contradicted"}
    return verdict, summary


def period_means(pos: pd.DataFrame, members: list[str], axis: str, period) -> pd.DataFrame:
    """Per state: mean position, mean lo/hi, years with data, over the period on one axis."""
    y0, y1 = period
    sub = pos[(pos["axis"] == axis) & pos["year"].between(y0, y1) & pos["iso3"].isin(members)]
    sub = sub.dropna(subset=["position"])
    agg = {"position": ("position", "mean"), "lo": ("lo", "mean"), "hi": ("hi", "mean"),
           "years": ("year", "count")}
    for s in ("words", "votes", "institutions", "practice"):
        if s in sub.columns:
            agg[s] = (s, "mean")
    return sub.groupby("iso3").agg(**agg).reset_index() if len(sub) else pd.DataFrame(
        columns=["iso3", "position", "lo", "hi", "years"])


def _stream_evidence(row: Mapping, stream: str, axis: str, period) -> dict:
    ev = {"iso3": row["iso3"], "stream": stream, "axis": axis, "period": list(period),
          "position": row["position"], "interval": [row["lo"], row["hi"]], "years": row["years"]}
    for s in ("words", "votes", "institutions", "practice"):
        if s in row:
            ev[s] = row[s]
    return ev


def _empty_reason(stream: str, axis: str, members: list[str], period) -> str:
    """Why no figure: the axis is not published (did not validate), or no evidence."""
    from orderwatch.synthesis.publish import PUBLISHED_AXES

    if stream == "combined" and axis not in PUBLISHED_AXES:
        return (f"the combined {axis} axis is not published: it did not validate against external "
                f"criteria (docs/synthesis.md)")
    return f"no {stream} {axis} positions for {', '.join(members)} in {period}"


def _spec(claim: Mapping):
    return (claim.get("stream", "combined"), claim.get("axis", "overall"),
            claim.get("expect"), float(claim.get("threshold", 0.0)),
            claim.get("quantifier", "all"), claim.get("share"))


def measure_position(claim: Mapping, data: ClaimData) -> dict:
    """Each state's mean position over ``period`` against ``expect``/``threshold``."""
    stream, axis, expect, t, q, share = _spec(claim)
    pos = data.positions(stream)
    members = data.members(claim)
    if pos is None:
        return outcome(NOT_TESTABLE, reason=f"no {stream} positions in the store")
    m = period_means(pos, members, axis, claim["period"])
    missing = sorted(set(members) - set(m["iso3"]))
    if m.empty:
        return outcome(NOT_TESTABLE, figures={"missing": missing},
                       reason=_empty_reason(stream, axis, members, claim["period"]))
    units, figs = [], {}
    for row in m.to_dict("records"):
        u = judge_unit(row["position"], row["lo"], row["hi"], expect, t)
        units.append(u)
        figs[row["iso3"]] = {"position": row["position"], "interval": [row["lo"], row["hi"]],
                             "years": row["years"], "passes": u["pass"]}
    verdict, summary = verdict_from_units(units, q, share)
    warnings = [f"no data for {', '.join(missing)} (left out)"] if missing else []
    figures = {"expect": expect, "threshold": t, "axis": axis, "stream": stream,
               "period": claim["period"], "by_country": figs, "missing": missing, **summary}
    evidence = [_stream_evidence(r, stream, axis, claim["period"]) for r in m.to_dict("records")]
    return outcome(verdict, figures, evidence, warnings=warnings)


def measure_change(claim: Mapping, data: ClaimData) -> dict:
    """Change of each state's mean position from ``before`` to ``period``."""
    stream, axis, expect, t, q, share = _spec(claim)
    pos = data.positions(stream)
    members = data.members(claim)
    if pos is None:
        return outcome(NOT_TESTABLE, reason=f"no {stream} positions in the store")
    a = period_means(pos, members, axis, claim["before"]).set_index("iso3")
    b = period_means(pos, members, axis, claim["period"]).set_index("iso3")
    both = sorted(set(a.index) & set(b.index))
    missing = sorted(set(members) - set(both))
    if not both:
        return outcome(NOT_TESTABLE, figures={"missing": missing},
                       reason=_empty_reason(stream, axis, members, f"both {claim['before']} and {claim['period']}"))
    units, figs, evidence = [], {}, []
    for iso in both:
        d = b.at[iso, "position"] - a.at[iso, "position"]
        hw = np.sqrt(((a.at[iso, "hi"] - a.at[iso, "lo"]) / 2) ** 2 + ((b.at[iso, "hi"] - b.at[iso, "lo"]) / 2) ** 2)
        u = judge_unit(d, d - hw, d + hw, expect, t)
        units.append(u)
        figs[iso] = {"before": a.at[iso, "position"], "after": b.at[iso, "position"], "change": d,
                     "interval": [d - hw, d + hw], "passes": u["pass"]}
        for per, frame in ((claim["before"], a), (claim["period"], b)):
            row = frame.loc[iso].to_dict()
            row["iso3"] = iso
            evidence.append(_stream_evidence(row, stream, axis, per))
    verdict, summary = verdict_from_units(units, q, share)
    figures = {"expect": expect, "threshold": t, "axis": axis, "stream": stream,
               "before": claim["before"], "period": claim["period"], "by_country": figs,
               "missing": missing, **summary}
    return outcome(verdict, figures, evidence,
                   warnings=[f"no data for {', '.join(missing)} (left out)"] if missing else [])


def measure_rank(claim: Mapping, data: ClaimData) -> dict:
    """Whether ``targets`` rank in the top ``k`` of ``group`` on mean position over ``period``.

    Best and worst case ranks move the target to the ends of its interval while the
    others stay at their points.
    """
    stream, axis, _, _, q, share = _spec(claim)
    k = int(claim.get("k", 1))
    targets = list(claim.get("targets") or [])
    pos = data.positions(stream)
    members = data.members(claim)
    if pos is None:
        return outcome(NOT_TESTABLE, reason=f"no {stream} positions in the store")
    m = period_means(pos, sorted(set(members) | set(targets)), axis, claim["period"]).set_index("iso3")
    have = [t for t in targets if t in m.index]
    if not have or len(m) < 2:
        return outcome(NOT_TESTABLE, reason=_empty_reason(stream, axis, targets + ["their group"], claim["period"]))
    units, figs = [], {}
    for tgt in have:
        others = m.drop(index=tgt)["position"]
        x, lo, hi = m.at[tgt, "position"], m.at[tgt, "lo"], m.at[tgt, "hi"]
        rank = 1 + int((others > x).sum())
        best = 1 + int((others > (hi if not np.isnan(hi) else x)).sum())
        worst = 1 + int((others > (lo if not np.isnan(lo) else x)).sum())
        units.append({"pass": rank <= k, "robust_pass": worst <= k, "robust_fail": best > k})
        figs[tgt] = {"rank": rank, "best_case_rank": best, "worst_case_rank": worst, "of": len(m),
                     "position": x, "interval": [lo, hi]}
    verdict, summary = verdict_from_units(units, q, share)
    table = m.sort_values("position", ascending=False)
    evidence = [{"iso3": i, "position": r["position"], "interval": [r["lo"], r["hi"]], "years": r["years"]}
                for i, r in table.iterrows()]
    return outcome(verdict, {"k": k, "axis": axis, "stream": stream, "period": claim["period"],
                             "by_country": figs, **summary}, evidence)


def _approx(value: float, claim: Mapping) -> tuple[str, dict]:
    target, tol = float(claim["value"]), float(claim["tolerance"])
    if claim.get("relative"):
        ok = abs(value - target) <= tol * abs(target)
    else:
        ok = abs(value - target) <= tol
    return ("supported" if ok else "contradicted"), {
        "observed": value, "claimed": target, "tolerance": tol,
        "relative_tolerance": bool(claim.get("relative")), "difference": value - target}


def measure_milex(claim: Mapping, data: ClaimData) -> dict:
    """A SIPRI military-expenditure figure (or ratio of two states') against a claimed value."""
    t = data.table("military_expenditure")
    series = claim.get("series", "milex_current_usd_m")
    if claim.get("concept", "sipri_total") == "official_budget":
        # Like with like: SIPRI's total military expenditure is a wider concept than an
        # official defence budget, so it can neither support nor contradict one.
        figs: dict[str, Any] = {"concept_claimed": "official_budget", "concept_available": "sipri_total"}
        if t is not None:
            rows = t[(t["measure"] == series) & (t["year"] == int(claim["year"]))].set_index("iso3")["value"]
            figs["sipri"] = {k: float(rows[k]) for k in (claim["country"], claim.get("denominator")) if k in rows}
        sipri = ", ".join(f"{k} {v / 1000:,.1f} bn" for k, v in figs.get("sipri", {}).items())
        return outcome(NOT_TESTABLE, figs, reason=(
            f"not testable like-for-like: the claim quotes official defence budgets; the bundled SIPRI figures "
            f"count total military expenditure, a wider concept ({claim['year']}, current US$: {sipri or 'none'})"))
    if t is None:
        return outcome(NOT_TESTABLE, reason="no military_expenditure table (SIPRI) in the store")
    year = int(claim["year"])
    rows = t[(t["measure"] == series) & (t["year"] == year)]
    num = rows[rows["iso3"] == claim["country"]]["value"].dropna()
    den_iso = claim.get("denominator")
    den = rows[rows["iso3"] == den_iso]["value"].dropna() if den_iso else pd.Series([1.0])
    if num.empty or den.empty:
        return outcome(NOT_TESTABLE, reason=f"SIPRI has no {series} for {claim['country']}"
                       f"{' or ' + den_iso if den_iso else ''} in {year}")
    value = float(num.iloc[0]) / float(den.iloc[0])
    verdict, figs = _approx(value, claim)
    figs.update({"series": series, "year": year, "country": claim["country"], "denominator": den_iso})
    ev = [{"table": "military_expenditure", "source": "SIPRI Military Expenditure Database",
           **{k: r[k] for k in ("iso3", "year", "measure", "value", "flag") if k in r}}
          for r in rows[rows["iso3"].isin([claim["country"], den_iso])].to_dict("records")]
    return outcome(verdict, figs, ev)


def measure_csf_count(claim: Mapping, data: ClaimData) -> dict:
    """Bilateral ('neighbour') and regional community-with-a-shared-future declarations
    with China dated on or before ``date``, from the institutions catalogue, against the
    claimed counts: supported when both match, mixed when one does, else contradicted."""
    arr = data.table("institutions_arrangements")
    if arr is None or "csf" not in arr.columns:
        return outcome(NOT_TESTABLE, reason="no institutions_arrangements table (institutions stream) in the store")
    date = str(claim["date"])
    rows = arr[arr["csf"].notna() & (arr["start"].astype(str) <= date)]
    counts = {kind: sorted(rows.loc[rows["csf"] == kind, "arrangement_id"]) for kind in ("neighbour", "regional")}
    want = {"neighbour": int(claim["neighbours"]), "regional": int(claim["regional"])}
    match = {k: len(counts[k]) == want[k] for k in want}
    verdict = "supported" if all(match.values()) else ("mixed" if any(match.values()) else "contradicted")
    figs = {"date": date, **{f"{k}_observed": len(v) for k, v in counts.items()},
            **{f"{k}_claimed": want[k] for k in want}}
    ev = [{"table": "institutions_arrangements", "arrangement_id": r["arrangement_id"], "name": r["name"],
           "csf": r["csf"], "start": str(r["start"]), "source": r.get("source_citation"), "url": r.get("source_url")}
          for r in rows.sort_values("start").to_dict("records")]
    return outcome(verdict, figs, ev)


def measure_arrangement(claim: Mapping, data: ClaimData) -> dict:
    """A documented act: the institutions catalogue records arrangement ``arrangement``
    with all ``countries`` as members on ``date`` (evidence: the arrangement's sources)."""
    arr, mem = data.table("institutions_arrangements"), data.table("institutions_memberships")
    if arr is None or mem is None:
        return outcome(NOT_TESTABLE, reason="no institutions tables (institutions stream) in the store")
    aid, date = str(claim["arrangement"]), str(claim["date"])
    row = arr[arr["arrangement_id"] == aid]
    if row.empty:
        return outcome(NOT_TESTABLE, reason=f"the institutions catalogue has no arrangement {aid!r}")
    m = mem[mem["arrangement_id"] == aid]
    on = m[(m["joined"].astype(str) <= date) & (m["left"].isna() | (m["left"].astype(str) > date))]
    wanted = list(claim.get("countries") or [])
    present = sorted(set(on["iso3"]))
    missing = [c for c in wanted if c not in present]
    verdict = "supported" if not missing else ("mixed" if len(missing) < len(wanted) else "contradicted")
    a = row.iloc[0]
    figs = {"arrangement": aid, "date": date, "members_on_date": present, "missing": missing}
    ev = [{"table": "institutions_arrangements", "arrangement_id": aid, "name": a["name"], "type": a["type"],
           "source": a.get("source_citation"), "url": a.get("source_url")}]
    return outcome(verdict, figs, ev)


def measure_alliance_partners(claim: Mapping, data: ClaimData) -> dict:
    """Number of states with an ATOP defence pledge with ``country`` in ``year``."""
    a = data.table("alliances")
    if a is None:
        return outcome(NOT_TESTABLE, reason="no alliances table (ATOP) in the store")
    year, iso = int(claim["year"]), claim["country"]
    last = int(a["year"].max())
    if year > last:
        return outcome(NOT_TESTABLE, reason=f"ATOP ends in {last}; no alliance data for {year}")
    col_a = "iso3_a" if "iso3_a" in a.columns else "iso3"
    col_b = "iso3_b" if "iso3_b" in a.columns else "partner"
    dcol = "defense" if "defense" in a.columns else "atop_defense"
    rows = a[(a[col_a] == iso) & (a["year"] == year) & (a[dcol].fillna(0).astype(float) > 0)]
    partners = sorted(set(rows[col_b].dropna()))
    verdict, figs = _approx(float(len(partners)), claim)
    figs.update({"year": year, "country": iso})
    return outcome(verdict, figs, [{"table": "alliances", "source": "ATOP 5.1 (Leeds et al. 2002)",
                                    "year": year, "defence_partners": partners}])


def measure_trade(claim: Mapping, data: ClaimData) -> dict:
    """Whether China's trade share exceeds the US's for each state (WITS, mean over period).

    WITS names a partner only when it is among the top five. If one of China/US is
    listed and the other is not, the listed one has the larger share, so the comparison
    is still decided; if neither is listed the state is missing.
    """
    from orderwatch.synthesis.drivers import trade_shares

    t = data.table("trade")
    if t is None:
        return outcome(NOT_TESTABLE, reason="no trade table (WITS) in the store")
    y0, y1 = claim["period"]
    members = data.members(claim)
    sh = trade_shares(t)
    sh = sh[sh["iso3"].isin(members) & sh["year"].between(y0, y1)]
    units, figs = [], {}
    for iso, sub in sh.groupby("iso3"):
        c, u = sub["china_trade_share"].mean(), sub["us_trade_share"].mean()
        if np.isnan(c) and np.isnan(u):
            continue
        ok = (not np.isnan(c) and (np.isnan(u) or c > u))
        units.append({"pass": ok, "robust_pass": ok, "robust_fail": not ok})
        figs[iso] = {"china_share_pct": c, "us_share_pct": u, "china_above_us": ok,
                     "inferred": bool(np.isnan(c) or np.isnan(u))}
    missing = sorted(set(members) - set(figs))
    if not units:
        return outcome(NOT_TESTABLE, figures={"missing": missing},
                       reason=f"WITS has no China/US partner shares for these states in {y0}-{y1}")
    verdict, summary = verdict_from_units(units, claim.get("quantifier", "all"), claim.get("share"))
    return outcome(verdict, {"period": [y0, y1], "by_country": figs, "missing": missing, **summary},
                   [{"table": "trade", "source": "World Bank WITS trade summaries", "iso3": k, **v}
                    for k, v in figs.items()],
                   warnings=[f"no WITS data for {', '.join(missing)} (left out)"] if missing else [])


def measure_dispute(claim: Mapping, data: ClaimData) -> dict:
    """Whether each state has an active territorial dispute with China in the period."""
    stored = data.table("territorial_disputes")
    table = stored if stored is not None and len(stored) else disputes_table()
    y0, y1 = claim["period"]
    units, figs, ev = [], {}, []
    for iso in data.members(claim):
        rows = table[(table["iso3"] == iso) & (table["since"] <= y1)
                     & (table["settled"].isna() | (table["settled"].fillna(10**6) > y0))]
        ok = len(rows) > 0
        units.append({"pass": ok, "robust_pass": ok, "robust_fail": not ok})
        figs[iso] = {"active": ok, "kinds": sorted(set(rows["kind"]))}
        ev += [{"table": "territorial_disputes", **r} for r in rows.to_dict("records")]
    verdict, summary = verdict_from_units(units, claim.get("quantifier", "all"), claim.get("share"))
    return outcome(verdict, {"period": [y0, y1], "by_country": figs, **summary}, ev)


MEASURE_FUNCTIONS = {
    "position": measure_position,
    "change": measure_change,
    "rank": measure_rank,
    "csf_count": measure_csf_count,
    "arrangement": measure_arrangement,
    "milex": measure_milex,
    "alliance_partners": measure_alliance_partners,
    "trade": measure_trade,
    "dispute": measure_dispute,
}
