"""``orderwatch validate``: the positions against criteria others published.

A thin wrapper over ``orderwatch.validation``: compute, then print a table or one JSON
document.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from orderwatch.cli.common import DbOption, JsonOption, emit_json, fail, open_store


def _fmt(stat: dict) -> str:
    v = stat.get("value")
    if v is None:
        return f"{'—':>6s} (n={stat.get('n', 0)})"
    lo, hi = stat.get("ci") or [None, None]
    ci = "" if lo is None else f" [{lo:+.2f},{hi:+.2f}]"
    return f"{v:+.2f}{ci} n={stat['n']}"


def validate(
    n_boot: int = typer.Option(1000, "--boot", min=50, max=10000, help="Bootstrap replicates for the intervals."),
    db: Optional[Path] = DbOption,
    json_out: bool = JsonOption,
) -> None:
    """Validity report: each stream, axis and model against ISEAS, AMTI, BSV, known groups and stability.

    The criteria are others' judgements, not truth; they check the positions and are never
    used to fit them.

    Example: orderwatch validate --json
    """
    from orderwatch.synthesis import load_streams
    from orderwatch.validation import validity_report

    st = open_store(db)
    if all(t is None or len(t) == 0 for t in load_streams(st.table).values()):
        fail("no stream positions in the store; run `orderwatch build`")
    report = validity_report(st.table, n_boot=n_boot)
    if json_out:
        emit_json(report)
        return
    typer.echo(report["note"])
    typer.echo(f"\n{'source':13s} {'axis':8s} {'ISEAS rho':28s} {'AMTI tau (ordered)':34s} "
               f"{'known groups AUC':28s} sign flips")
    for r in report["results"]:
        sf = r["sign_flips"]
        flips = "—" if sf["value"] is None else f"{sf['value']:.1%} of {sf['n']}"
        order = r["amti_tau"].get("ordered")
        typer.echo(f"{r['source']:13s} {r['axis']:8s} {_fmt(r['iseas_rho']):28s} "
                   f"{_fmt(r['amti_tau']) + ('' if order is None else (' yes' if order else ' no')):34s} "
                   f"{_fmt(r['known_groups_auc']):28s} {flips}")
    b = report["bsv"]
    if b.get("pooled"):
        per_year = ", ".join(f"{y}: {v['value']:.3f}" for y, v in b["by_year"].items() if v["value"] is not None)
        typer.echo(f"\nvotes ideal points vs BSV calendar-year estimates: r = {_fmt(b['pooled'])} ({per_year})")
    rel = report.get("iseas_reliability")
    if rel and rel.get("value") is not None:
        typer.echo(f"\nISEAS against itself (split-half over its editions, Spearman-Brown): reliability "
                   f"{_fmt(rel)}; no error-free measure of the same construct could exceed rho = "
                   f"{rel['ceiling']:.2f} with its state means")
    typer.echo(f"\npublished axes: {', '.join(report['published_axes'])}")
    typer.echo("\ngoals:")
    for v in report["verdicts"]:
        bound = f">= {v['min']}" if "min" in v else f"<= {v['max']}"
        value = "—" if v["value"] is None else f"{v['value']:.3f}"
        met = (v.get("note") or "not measurable") if v["met"] is None else ("met" if v["met"] else "NOT met")
        typer.echo(f"  {v['model']:7s} {v['id']:14s} {v['axis']:30s} {bound:8s} {value:>7s}  {met}")


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
