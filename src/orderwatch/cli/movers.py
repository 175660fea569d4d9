"""Rendering for ``orderwatch positions --change``: who moved most between two windows, and why.

Helpers of ``cli/synthesis.py`` (no commands of their own): the subregion filter and the
movers table in text, CSV, Parquet or JSON.
"""

from __future__ import annotations

from typing import Optional

import pandas as pd
import typer

from orderwatch.cli.common import emit_json, emit_table, fail


def group_members(group: Optional[str]) -> Optional[list[str]]:
    """ISO3 codes of a registry group (``southeast`` ...), or None for every state."""
    if group is None:
        return None
    from orderwatch import countries as reg
    from orderwatch.errors import UnknownCountryError

    try:
        return reg.group(group.strip().lower())
    except UnknownCountryError:
        groups = sorted(set(reg.registry()["group"].dropna()))
        fail(f"--group: unknown group {group!r}; use one of {', '.join(groups)}")


def _f(x, digits: int = 2) -> str:
    if x is None or pd.isna(x):
        return "    —"
    text = f"{x:+.{digits}f}"
    return "+" + text[1:] if text.strip("-+0.") == "" else text  # no "-0.00"


def render_movers(positions: pd.DataFrame, change: str, axis: str, group: Optional[str],
                  members: Optional[list[str]], json_out: bool, csv: bool, fmt: Optional[str]) -> None:
    """Print the movers table (text by default; JSON, CSV or Parquet on request)."""
    from orderwatch import countries as reg
    from orderwatch.synthesis.movers import largest_contribution, movers, parse_change
    from orderwatch.synthesis.weights import STREAMS

    start, end = parse_change(change)
    table = movers(positions, start, end, axis=axis, states=members)
    names = dict(zip(reg.registry()["iso3"], reg.registry()["name_en"]))
    table.insert(2, "name", table["iso3"].map(names))
    table["driven_by"] = [largest_contribution(r) for r in table.to_dict("records")]
    if json_out:
        emit_json({"axis": axis, "group": group, "start": list(start), "end": list(end),
                   "rows": table.to_dict("records")})
        return
    if emit_table(table, csv, fmt):
        return
    streams = [s for s in STREAMS if f"contrib_{s}" in table.columns]
    # The model's own part shows only where the figure is not a weighted mean of the streams.
    if "contrib_model" in table.columns and (table["contrib_model"].abs() > 0.005).any():
        streams.append("model")
    where = group or "all states"
    typer.echo(f"Change in {axis} position, mean {start[0]}–{start[1]} → mean {end[0]}–{end[1]} ({where}); "
               "+ = towards the US pole, − = towards China's GSI pole")
    head = " ".join(f"{('instit.' if s == 'institutions' else s)[:8]:>8s}" for s in streams)
    typer.echo(f"{'#':>3s} {'state':24s} {'start':>6s} {'end':>6s} {'change':>6s}  {'95% interval':15s}  "
               f"contribution: {head}  mostly")
    for r in table.to_dict("records"):
        rank = "" if pd.isna(r["rank"]) else str(r["rank"])
        iv = "" if pd.isna(r["change_lo"]) else f"[{r['change_lo']:+.2f}, {r['change_hi']:+.2f}]"
        mark = "*" if r.get("significant") is True else " "
        contrib = " ".join(f"{_f(r.get(f'contrib_{s}')):>8s}" for s in streams)
        label = f"{r['iso3']} {(r['name'] or '')[:20]}"
        typer.echo(f"{rank:>3s} {label:24s} {_f(r['start']):>6s} {_f(r['end']):>6s} {_f(r['change']):>6s}{mark} "
                   f"{iv:15s}  {'':14s}{contrib}  {r['driven_by'] or ''}")
    typer.echo("\n* the 95% interval excludes 0; — = not enough evidence in a window (never 0).\n"
               "Why: each change is split into the streams' contributions (the change of each stream's weighted\n"
               "term in the combined figure); with 'model', what the model adds beyond them (smoothing,\n"
               "rescaling); together they add up to the change. A stream present in one window only\n"
               "(--json: streams_start, streams_end) contributes by entering or leaving. --csv for every column.")
