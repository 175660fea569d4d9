"""The validity report: every stream, axis and combination model against the criteria.

:func:`validity_report` returns one JSON-ready dict: ``criteria`` (provenance and the
"criteria, not truth" note), ``goals``, ``results`` (one row per source x axis with the
ISEAS rho, AMTI tau and ordering, known-group AUC and sign flips, each with n and a
bootstrap interval), ``bsv`` (the votes stream's ideal points against BSV's calendar-year
estimates), ``iseas_reliability`` (how far the ISEAS survey agrees with itself across its
editions, and the ceiling that sets on any rho with it), ``verdicts`` (each goal met or
not, with the figure) and ``publication`` (state-years per model, axis and publication rule).
"""

from __future__ import annotations

from typing import Callable, Sequence

import pandas as pd

from orderwatch import bundled
from orderwatch.synthesis import AXES, STREAMS, load_streams, try_read
from orderwatch.synthesis.combine import pick_method
from orderwatch.synthesis.positions import MODELS, combined_positions
from orderwatch.synthesis.publish import PUBLISHED_AXES, mask_contested
from orderwatch.validation.criteria import (
    amti, attenuation_ceiling, auc, bsv_calendar, iseas, iseas_reliability, kendall, pearson, sign_flips, spearman,
)

#: The issue's goals (docs/synthesis.md): statistic, axis, threshold, direction.
GOALS: list[dict] = [
    {"id": "iseas_overall", "stat": "iseas_rho", "axis": "overall", "min": 0.85},
    {"id": "iseas_axes", "stat": "iseas_rho", "axis": "published axes", "min": 0.6},
    {"id": "amti_a2", "stat": "amti_tau", "axis": "A2", "min": 0.75},
    {"id": "bsv_r", "stat": "bsv_r", "axis": "votes ideal points 2020-2025", "min": 0.95},
    {"id": "sign_flips", "stat": "sign_flips", "axis": "overall", "max": 0.03},
    {"id": "weak_extremes", "stat": "weak_extremes", "axis": "all", "max": 0},
]
AMTI_SNAPSHOT = "2023-11-07"
NOTE = ("The criteria are others' judgements, not truth: an elite survey measures opinion, a tracker "
        "codes public statements, BSV model the same votes differently. They check the positions and "
        "are never used to fit them.")
YEARS = (1990, 2024)
#: The validity table's statistic for the ISEAS survey's own split-half reliability.
RELIABILITY = "split_half_reliability"


def _stream_positions(tables: dict, stream: str) -> pd.DataFrame | None:
    t = tables.get(stream)
    if t is None or len(t) == 0:
        return None
    t = pick_method(t)
    t = t[t["year"].between(*YEARS)]
    wide = t.rename(columns={"position": stream})[["iso3", "year", "axis", stream]]
    return mask_contested(wide).rename(columns={stream: "position"})


def _source_positions(read: Callable, models: Sequence[str]) -> dict[str, pd.DataFrame]:
    tables = load_streams(read)
    out: dict[str, pd.DataFrame] = {}
    for s in STREAMS:
        p = _stream_positions(tables, s)
        if p is not None:
            out[s] = p
    countries = try_read(read, "countries")
    for m in models:
        pos = combined_positions(tables, countries, model=m)
        pos = pos[pos["year"].between(*YEARS)].copy()
        # Axes are judged on what they would publish: every rule but the axis gate itself.
        gated = pos["publication"] == "axis_not_validated"
        pos.loc[gated, "position"] = pos.loc[gated, "position_raw"]
        out[m] = pos[["iso3", "year", "axis", "position", "position_raw", "publication", "n_streams"]]
    return out


def publication_counts(sources: dict[str, pd.DataFrame], models: Sequence[str]) -> pd.DataFrame:
    """Per model and axis, the state-years with a computed figure by publication rule
    (``published`` or the rule that withholds it: ``single_weak_stream``,
    ``axis_single_stream``, ``axis_not_validated``), so that the rules can be seen at work."""
    rows = []
    for m in models:
        p = sources[m][sources[m]["position_raw"].notna()]     # computed, whether shown or withheld
        rule = p["publication"].replace("", "published")
        for (axis, r), n in p.assign(rule=rule).groupby(["axis", "rule"]).size().items():
            rows.append({"model": m, "axis": axis, "rule": r, "state_years": int(n)})
    return pd.DataFrame(rows, columns=["model", "axis", "rule", "state_years"])


def _row(source: str, axis: str, pos: pd.DataFrame, isea: pd.DataFrame, am: pd.DataFrame,
         n_boot: int) -> dict:
    p = pos[(pos["axis"] == axis) & pos["position"].notna()]
    # ISEAS: state means over the years the editions reflect.
    pm = p[p["year"].isin(set(isea["year"]))].merge(isea[["iso3", "year", "pct_us"]], on=["iso3", "year"])
    means = pm.groupby("iso3")[["position", "pct_us"]].mean()
    rho = spearman(means["position"].to_numpy(float), means["pct_us"].to_numpy(float), n_boot)
    snap = am[am["as_of"] == AMTI_SNAPSHOT]
    at = p[p["year"] == int(AMTI_SNAPSHOT[:4])].merge(snap[["iso3", "rank"]], on="iso3")
    tau = kendall(at["position"].to_numpy(float), at["rank"].to_numpy(float), n_boot)
    return {"source": source, "axis": axis, "iseas_rho": rho, "amti_tau": tau,
            "known_groups_auc": auc(p), "sign_flips": sign_flips(p)}


def bsv_comparison(read: Callable, years: tuple[int, int] = (2020, 2025), n_boot: int = 1000) -> dict:
    """The votes stream's per-session ideal points (issue ``all``) against BSV's
    calendar-year final-passage estimates: pooled Pearson r over state-years and r per year."""
    ideal = try_read(read, "votes_ideal_points")
    if ideal is None or len(ideal) == 0:
        return {"pooled": None, "by_year": {}, "note": "no votes_ideal_points in the store"}
    ours = ideal[(ideal["issue"] == "all") & ideal["year"].between(*years)][["iso3", "year", "ideal_point"]]
    m = ours.merge(bsv_calendar()[["iso3", "year", "ideal_point"]], on=["iso3", "year"], suffixes=("", "_bsv"))
    by_year = {int(y): pearson(g["ideal_point"].to_numpy(float), g["ideal_point_bsv"].to_numpy(float), 200)
               for y, g in m.groupby("year")}
    return {"pooled": pearson(m["ideal_point"].to_numpy(float), m["ideal_point_bsv"].to_numpy(float), n_boot),
            "by_year": by_year, "years": [int(y) for y in sorted(set(m["year"]))],
            "note": "sessions are matched to the calendar year holding most of their roll calls"}


def weak_extremes(pos: pd.DataFrame) -> int:
    """Published figures at +-1 (|x| >= 0.99) resting on one stream, poles excluded."""
    p = pos[pos["position"].notna() & ~pos["iso3"].isin(["CHN", "USA"])]
    return int(((p["position"].abs() >= 0.99) & (p["n_streams"] == 1)).sum())


def _verdicts(results: list[dict], bsv: dict, models: Sequence[str], extremes: dict) -> list[dict]:
    out = []
    by = {(r["source"], r["axis"]): r for r in results}
    for m in models:
        for g in GOALS:
            if g["stat"] == "iseas_rho" and g["axis"] == "overall":
                v = by[(m, "overall")]["iseas_rho"]["value"]
            elif g["stat"] == "iseas_rho":
                vals = [by[(m, a)]["iseas_rho"]["value"] for a in PUBLISHED_AXES if a != "overall"]
                v = min((x for x in vals if x is not None), default=None) if vals else None
            elif g["stat"] == "amti_tau":
                v = by[(m, "A2")]["amti_tau"]["value"]
            elif g["stat"] == "bsv_r":
                v = (bsv.get("pooled") or {}).get("value")
            elif g["stat"] == "sign_flips":
                v = by[(m, "overall")]["sign_flips"]["value"]
            else:
                v = extremes[m]
            met = None if v is None else (v >= g["min"] if "min" in g else v <= g["max"])
            note = "no axis published" if g["id"] == "iseas_axes" and v is None else None
            out.append({"model": m, **g, "value": v, "met": met, "note": note})
    return out


def validity_report(read: Callable[[str], pd.DataFrame], models: Sequence[str] = MODELS,
                    n_boot: int = 1000) -> dict:
    """Compare every stream and combination model with the criteria.

    Parameters
    ----------
    read : ``read(name)`` returns a store table
    models : combination models to evaluate (``index``, ``latent``)
    n_boot : bootstrap replicates for the intervals
    """
    isea, am = iseas(), amti()
    sources = _source_positions(read, models)
    results = [_row(src, axis, pos, isea, am, n_boot) for src, pos in sources.items() for axis in AXES]
    bsv = bsv_comparison(read, n_boot=n_boot)
    extremes = {m: weak_extremes(sources[m]) for m in models}
    return {
        "note": NOTE, "criteria": _criteria(), "published_axes": list(PUBLISHED_AXES), "years": list(YEARS),
        "amti_snapshot": AMTI_SNAPSHOT,
        "iseas_years": sorted(int(y) for y in set(isea["year"])),
        "results": results, "bsv": bsv, "iseas_reliability": iseas_reliability(isea, n_boot), "weak_extremes": extremes,
        "verdicts": _verdicts(results, bsv, models, extremes),
        "publication": publication_counts(sources, models).to_dict("records"),
    }


def results_table(report: dict) -> pd.DataFrame:
    """The results as a flat table: source, axis and each statistic's value, n and interval."""
    rows = []
    for r in report["results"]:
        row = {"source": r["source"], "axis": r["axis"]}
        for k in ("iseas_rho", "amti_tau", "known_groups_auc", "sign_flips"):
            row[k] = r[k]["value"]
            row[f"{k}_n"] = r[k]["n"]
            row[f"{k}_ci"] = r[k]["ci"]
        row["amti_ordered"] = r["amti_tau"].get("ordered")
        rows.append(row)
    return pd.DataFrame(rows)


def report_tables(report: dict) -> dict[str, pd.DataFrame]:
    """The report as store tables: ``validity`` (one row per source, axis and statistic,
    BSV included as source ``votes_ideal_points``) and ``validity_goals``."""
    rows = []
    for r in report["results"]:
        for stat in ("iseas_rho", "amti_tau", "known_groups_auc", "sign_flips"):
            s = r[stat]
            rows.append({"source": r["source"], "axis": r["axis"], "statistic": stat, "value": s["value"],
                         "n": s["n"], "ci_lo": s["ci"][0], "ci_hi": s["ci"][1],
                         "ordered": s.get("ordered")})
    bsv = report["bsv"]
    for label, s in [("2020-2025", bsv.get("pooled"))] + [(str(y), v) for y, v in bsv.get("by_year", {}).items()]:
        if s:
            rows.append({"source": "votes_ideal_points", "axis": label, "statistic": "bsv_r", "value": s["value"],
                         "n": s["n"], "ci_lo": s["ci"][0], "ci_hi": s["ci"][1], "ordered": None})
    rel = report.get("iseas_reliability")
    if rel and rel.get("value") is not None:
        rows.append({"source": "iseas_alignment", "axis": "state means", "statistic": RELIABILITY,
                     "value": rel["value"], "n": rel["n"], "ci_lo": rel["ci"][0], "ci_hi": rel["ci"][1],
                     "ordered": None})
    goals = pd.DataFrame([{"model": v["model"], "goal": v["id"], "statistic": v["stat"], "on": v["axis"],
                           "target": v.get("min", v.get("max")), "bound": "min" if "min" in v else "max",
                           "value": v["value"], "met": v["met"], "note": v.get("note")}
                          for v in report["verdicts"]])
    table = pd.DataFrame(rows)
    table["ordered"] = table["ordered"].astype("boolean")      # nullable: None where not defined
    goals["met"] = goals["met"].astype("boolean")
    goals["value"] = pd.to_numeric(goals["value"], errors="coerce")
    goals["note"] = goals["note"].astype("string")
    publication = pd.DataFrame(report.get("publication", []), columns=["model", "axis", "rule", "state_years"])
    return {"validity": table, "validity_goals": goals, "validity_publication": publication}


def _criteria() -> list[dict]:
    return [{k: r.get(k) for k in ("name", "title", "origin", "version", "licence", "citation", "rows")}
            for r in bundled.provenance() if r["name"] in ("iseas_alignment", "amti_arbitration", "bsv_calendar")]


def report_from_tables(validity: pd.DataFrame, goals: pd.DataFrame,
                       publication: pd.DataFrame | None = None) -> dict:
    """Rebuild the report's shape (as :func:`validity_report` returns it) from the stored
    tables, for pages that must not recompute it."""
    def stat(r) -> dict:
        def num(x):
            return None if x is None or pd.isna(x) else float(x)
        out = {"value": num(r["value"]), "n": int(r["n"]), "ci": [num(r["ci_lo"]), num(r["ci_hi"])]}
        if r["statistic"] == "amti_tau":
            out["ordered"] = None if r["ordered"] is None or pd.isna(r["ordered"]) else bool(r["ordered"])
        if r["statistic"] == "sign_flips":
            out["ci"] = [None, None]
        return out

    results, bsv = {}, {"pooled": None, "by_year": {}, "note": "sessions are matched to the calendar year "
                        "holding most of their roll calls"}
    reliability = None
    for r in validity.to_dict("records"):
        if r["statistic"] == RELIABILITY:
            reliability = stat(r)
            reliability["ceiling"] = attenuation_ceiling(reliability["value"])
            continue
        if r["statistic"] == "bsv_r":
            if r["axis"] == "2020-2025":
                bsv["pooled"] = stat(r)
            else:
                bsv["by_year"][int(r["axis"])] = stat(r)
            continue
        results.setdefault((r["source"], r["axis"]), {"source": r["source"], "axis": r["axis"]})[r["statistic"]] = stat(r)
    verdicts = [{"model": g["model"], "id": g["goal"], "stat": g["statistic"], "axis": g["on"],
                 g["bound"]: g["target"], "value": None if pd.isna(g["value"]) else float(g["value"]),
                 "met": None if g["met"] is None or pd.isna(g["met"]) else bool(g["met"]),
                 "note": None if g.get("note") is None or pd.isna(g.get("note")) else str(g["note"])}
                for g in goals.to_dict("records")]
    return {"note": NOTE, "criteria": _criteria(), "published_axes": list(PUBLISHED_AXES), "years": list(YEARS),
            "amti_snapshot": AMTI_SNAPSHOT, "iseas_years": sorted(int(y) for y in set(iseas()["year"])),
            "results": list(results.values()), "bsv": bsv, "iseas_reliability": reliability, "verdicts": verdicts,
            "publication": [] if publication is None else publication.to_dict("records")}


def derive(read: Callable[[str], pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The validity report as tables, for ``orderwatch build`` (300 bootstrap replicates;
    ``orderwatch validate --boot N`` recomputes with more)."""
    return report_tables(validity_report(read, n_boot=300))
