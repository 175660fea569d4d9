"""`orderwatch practice ...`: arms imports, forces hosted and exercises for one state.

Thin wrappers over orderwatch.practice.query: each reads the store's base tables for the
state and prints the per-year figures with the deals, deployments or exercises behind them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from orderwatch.cli.common import (
    CountryOption, DbOption, JsonOption, YearsOption, country_code, emit_json, fail, open_store, parse_years, select,
)
from orderwatch.errors import OrderwatchError

practice_app = typer.Typer(
    help="Security practice: arms imports (SIPRI), US forces hosted and Chinese/Russian bases, exercises "
         "(1980-2010).\n\nExample: orderwatch practice arms --country VNM --years 2000-2024",
    no_args_is_help=True)

RussiaOption = typer.Option(False, "--russia-with-china", help="Count Russia (and the Soviet Union) on China's pole.")




def _fmt(v: Optional[float], signed: bool = True) -> str:
    return "   -  " if v is None else (f"{v:+.2f}" if signed else f"{v:.2f}")


def _exercise_partners(st, iso3: str):
    from orderwatch.observatory import NotComputed, queries

    try:
        return queries.exercise_partners(st, iso3)
    except NotComputed:
        fail("the store has no exercise_participations table; rebuild it with `orderwatch build`")


@practice_app.command("arms")
def arms_cmd(country: str = CountryOption,
             years: str = YearsOption("1990-2024", "Year or range, e.g. 2000-2024."),
             window: int = typer.Option(5, "--window", help="Years in the moving window ending at each year."),
             russia_with_china: bool = RussiaOption,
             deals: int = typer.Option(10, "--deals", help="Deals to list (largest TIV in the span first)."),
             db: Optional[Path] = DbOption, json_out: bool = JsonOption) -> None:
    """Share of delivered arms (SIPRI TIV) from the US and its treaty allies vs China and Russia.

    Example: orderwatch practice arms --country VNM --years 2000-2024
    Example: orderwatch practice arms --country IND --years 2024 --russia-with-china --json
    """
    from orderwatch.practice import arms_result

    y0, y1 = parse_years(years)
    iso3 = country_code(country)
    table = select(open_store(db), "arms_deals", {"recipient_iso3": iso3})
    try:
        res = arms_result(table, iso3, (y0, y1), russia_with_china=russia_with_china, window=window)
    except OrderwatchError as exc:
        fail(str(exc))
    if json_out:
        emit_json(res)
        return
    typer.echo(f"{iso3} arms imports, {window}-year windows; position = (US - China's pole) / all TIV"
               + ("; Russia counted with China" if russia_with_china else ""))
    typer.echo("year  position  interval        n   TIV    US   ally  China Russia other")
    for r in res["rows"]:
        shares = " ".join(_fmt(r[f"share_{p}"], False) for p in ("us", "ally", "china", "russia", "other"))
        typer.echo(f"{r['year']}  {_fmt(r['position'])}    [{_fmt(r['lo'])}, {_fmt(r['hi'])}]  {r['n']:>3} "
                   f"{r['tiv_total']:>6.0f}  {shares}")
    typer.echo(f"deals delivered {y0 - window + 1}-{y1} (largest first, TIV in millions):")
    for d in res["deals"][:deals]:
        typer.echo(f"  {d['supplier']:<16} {d['pole']:<7} {d['weapon_description']:<28} ordered {d['order_year']} "
                   f"delivered {d['first_delivery']}-{d['last_delivery']}  TIV {d['tiv_in_span']:.0f}")
    typer.echo(f"source: {res['citation']}")


@practice_app.command("forces")
def forces_cmd(country: str = CountryOption,
               years: str = YearsOption("1990-2024", "Year or range, e.g. 2000-2024."),
               russia_with_china: bool = RussiaOption,
               db: Optional[Path] = DbOption, json_out: bool = JsonOption) -> None:
    """US active-duty personnel hosted and Chinese or Russian bases, on a 0-3 presence scale.

    Example: orderwatch practice forces --country KGZ --years 2000-2024
    Example: orderwatch practice forces --country KHM --years 2020-2024 --json
    """
    from orderwatch.practice import forces_result

    y0, y1 = parse_years(years)
    iso3 = country_code(country)
    st = open_store(db)
    troops = select(st, "us_troops", {"iso3": iso3})
    bases = select(st, "us_bases", {"iso3": iso3})
    try:
        res = forces_result(troops, bases, iso3, (y0, y1), russia_with_china=russia_with_china)
    except OrderwatchError as exc:
        fail(str(exc))
    if json_out:
        emit_json(res)
        return
    typer.echo(f"{iso3} forces hosted; levels 0-3 at {', '.join(f'{t:,}' for t in res['thresholds'])} US personnel")
    typer.echo("year  position  US troops  US  CHN  RUS")
    for r in res["rows"]:
        troops_ad = "-" if r["troops_ad"] is None else f"{int(r['troops_ad']):,}"
        typer.echo(f"{r['year']}  {_fmt(r['position'])}  {troops_ad:>9}  {r['us_level']:>2}  {r['china_level']:>3}  "
                   f"{r['russia_level']:>3}")
    for p in res["foreign_presence"]:
        end = p["to_year"] if p["to_year"] is not None else ""
        typer.echo(f"  {p['power']} {p['site']} ({p['kind']}, {p['from_year']}-{end}, level {p['level']}): "
                   f"{p['source_url']}")
    if res["us_bases_snapshot"]:
        typer.echo(f"  US bases/sites in the undated Vine (2015) list: {len(res['us_bases_snapshot'])}")


@practice_app.command("exercises")
def exercises_cmd(country: str = CountryOption,
                  years: str = YearsOption("1980-2010", "Year or range; data cover 1980-2010."),
                  russia_with_china: bool = RussiaOption,
                  db: Optional[Path] = DbOption, json_out: bool = JsonOption) -> None:
    """Exercises with the US and its allies vs with China (or Russia), 1980-2010 (MME v7).

    Example: orderwatch practice exercises --country THA --years 1995-2010
    """
    from orderwatch.practice import exercises_result

    y0, y1 = parse_years(years)
    iso3 = country_code(country)
    # every participant of the state's exercises, so its partners are known
    parts = _exercise_partners(open_store(db), iso3)
    try:
        res = exercises_result(parts, iso3, (y0, y1), russia_with_china=russia_with_china)
    except OrderwatchError as exc:
        fail(str(exc))
    if json_out:
        emit_json(res)
        return
    typer.echo(f"{iso3} exercises, 5-year windows; {res['note']}")
    typer.echo("year  position  interval          n  US  GSI both neither  with Russia")
    for r in res["rows"]:
        if r["year"] > res["coverage"][1] or r["year"] < res["coverage"][0]:
            typer.echo(f"{r['year']}     -     (no exercise data)")
            continue
        typer.echo(f"{r['year']}  {_fmt(r['position'])}    [{_fmt(r['lo'])}, {_fmt(r['hi'])}]  {r['n']:>3} "
                   f"{r['n_us']:>3} {r['n_gsi']:>3} {r['n_both']:>4} {r['n_neither']:>7}  {r['n_with_russia']:>11}")
    for e in res["exercises"][-10:]:
        typer.echo(f"  {e['year']} {e['exercise'] or '(unnamed)'} ({e['side']}): {e['partners']}")


def register(app: typer.Typer) -> None:
    """Add the `practice` group to the root app."""
    app.add_typer(practice_app, name="practice")
