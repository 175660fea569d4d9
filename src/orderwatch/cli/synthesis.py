"""Synthesis commands: positions, country, scenario, gap, drivers, claims check.

Thin wrappers over the read side (``orderwatch.observatory``), ``orderwatch.synthesis``
and ``orderwatch.claims``: parse, call, render. Errors are one line on stderr with exit 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from orderwatch.cli.common import (
    CountryArgument, CsvOption, DbOption, FormatOption, JsonOption, YearsOption, country_code, emit_json, emit_table,
    fail, observe, open_store, parse_years,
)
from orderwatch.cli.movers import group_members, render_movers

claims_app = typer.Typer(help="Test empirical claims (a YAML claim ledger) against the data.",
                         no_args_is_help=True)

WeightsOption = typer.Option(
    None, "--weights", help="Stream weights, e.g. words=1,votes=2,institutions=1 (>= 0, not all 0; "
    "renormalised over the streams present). Default: equal.")


def _weights(text: Optional[str]):
    from orderwatch.synthesis import parse_weights

    return None if text is None else parse_weights(text)




def _round(x: float) -> str:
    """Figures in tables: 3 decimals (p-values and coefficients keep their scale)."""
    return f"{x:.3f}"


def _fmt(x) -> str:
    return "    — " if x is None else f"{x:+6.2f}"


def positions(
    year: Optional[int] = typer.Option(None, "--year", help="Calendar year, e.g. 2024 (default: the latest "
                                       "well-covered year)."),
    axis: str = typer.Option("overall", "--axis", help="A1, A2, A3 or overall (sort key and interval)."),
    weights: Optional[str] = WeightsOption,
    model: Optional[str] = typer.Option(
        None, "--model", help="index (weighted mean, user weights) or latent (measurement model). "
        "Default: the stored model (latent), or index when --weights is given."),
    group: Optional[str] = typer.Option(None, "--group", help="Only a subregion: northeast, southeast, south, "
                                        "central, west, oceania_partner."),
    change: Optional[str] = typer.Option(None, "--change", help="Movers: mean of a start window vs an end "
                                         "window, e.g. 2015-2017:2023-2024; ranked by the change, with its "
                                         "interval and each stream's contribution (the why)."),
    db: Optional[Path] = DbOption,
    json_out: bool = JsonOption,
    csv: bool = CsvOption,
    fmt: Optional[str] = FormatOption,
) -> None:
    """Combined positions of every Asian state and reference power in one year (-1 GSI pole, +1 US pole).

    Example: orderwatch positions --year 2024 --axis A3 --weights words=1,votes=2,institutions=1 --json

    Who moved most since 2016, and why? One command:

    orderwatch positions --group southeast --change 2015-2017:2023-2024

    It compares each state's mean over 2015-2017 with its mean over
    2023-2024 (windows, so the answer does not hang on one year), ranks the
    change (+ = towards the US pole) with a 95% interval, and splits it into
    the streams' contributions (words, votes, institutions, and 'model' for
    what a measurement model adds beyond them), which add up to the change.
    --csv, --json or --format parquet export every column.
    """
    from orderwatch.observatory import default_year, load_positions, positions_listing
    from orderwatch.synthesis import MODELS

    if model is not None and model not in MODELS:
        raise typer.BadParameter(f"must be one of {', '.join(MODELS)}, got {model!r}", param_hint="--model")
    st = open_store(db)
    w = _weights(weights)
    members = group_members(group)
    pos = load_positions(st.table, w, model=model)
    if change is not None:
        render_movers(pos, change, axis, group, members, json_out, csv, fmt)
        return
    if year is None:
        year = default_year(pos, axis)  # the one default-year rule (orderwatch.observatory.years)
        if year is None:
            fail("no positions in the store; run `orderwatch build`")
    rows = positions_listing(pos, year, axis)
    if members is not None:
        rows = [r for r in rows if r["iso3"] in members]
    if json_out:
        emit_json(rows)
        return
    if emit_table(rows, csv, fmt):
        return
    typer.echo(f"positions in {year} (−1 GSI pole … +1 US pole; — = no evidence)")
    if any(r.get("provisional") for r in rows):
        typer.echo(f"note: {year} is provisional (thin evidence: few roll calls or no speeches yet)")
    typer.echo(f"{'iso3':5s} {'overall':>6s} {'A1':>6s} {'A2':>6s} {'A3':>6s}   {axis} interval     "
               f"{'words':>6s} {'votes':>6s} {'instit.':>6s}")
    for r in rows:
        iv = "      —        " if r["interval"] is None else f"[{r['interval'][0]:+.2f}, {r['interval'][1]:+.2f}]"
        typer.echo(f"{r['iso3']:5s} {_fmt(r['overall'])} {_fmt(r['A1'])} {_fmt(r['A2'])} {_fmt(r['A3'])}   "
                   f"{iv:16s} {_fmt(r['streams']['words'])} {_fmt(r['streams']['votes'])} "
                   f"{_fmt(r['streams']['institutions'])}")


def country(
    query: str = CountryArgument,
    year: Optional[int] = typer.Option(None, "--year", help="The year to show (default: the default year's "
                                       "figure, as on the map and the country page)."),
    weights: Optional[str] = WeightsOption,
    db: Optional[Path] = DbOption,
    json_out: bool = JsonOption,
) -> None:
    """The full profile of one state: its figure and evidence, positions by year and axis, say-do gap, disputes.

    The same profile as the dashboard's /country page and `orderwatch report --country`.

    Example: orderwatch country PHL --json
    """
    from orderwatch.cli.render import profile_text

    iso3 = country_code(query)
    prof = observe(db).profile(iso3, year=year, weights=_weights(weights))
    if json_out:
        emit_json(prof)
        return
    typer.echo(profile_text(prof))


def scenario(
    years: str = YearsOption("2020-2025", "Year range, e.g. 2015-2024."),
    weights: Optional[str] = WeightsOption,
    streams: Optional[str] = typer.Option(None, "--streams", help="Streams that count, e.g. votes,words."),
    axes: Optional[str] = typer.Option(None, "--axes", help="Axes that make up 'overall', e.g. A2,A3."),
    db: Optional[Path] = DbOption,
    json_out: bool = JsonOption,
) -> None:
    """What if: re-rank states under other weights, years, streams or issue subsets; show pivotal states.

    Example: orderwatch scenario --years 2022-2024 --weights votes=1 --axes A2,A3 --json
    """
    from orderwatch.observatory import analyses

    y = parse_years(years)
    w = _weights(weights)
    s_list = [s.strip() for s in streams.split(",")] if streams else None
    a_list = [a.strip() for a in axes.split(",")] if axes else None
    out = analyses.scenario(open_store(db).table, y, w, s_list, a_list)
    rank, piv = out["ranking"], out["pivotal"]
    if json_out:
        emit_json({**out, "ranking": rank.to_dict("records"),
                   "pivotal": {k: v.to_dict("records") for k, v in piv.items()}})
        return
    typer.echo(rank.to_string(index=False, float_format=_round))
    typer.echo(f"\nclosest to the midpoint in {y[1]}:")
    typer.echo(piv["closest"].to_string(index=False, float_format=_round))
    typer.echo(f"\nlargest moves {y[1] - 1}->{y[1]}:")
    typer.echo(piv["movers"].to_string(index=False, float_format=_round))


def gap(
    country_: Optional[str] = typer.Option(None, "--country", help="Only this state (ISO3 or name)."),
    year: Optional[int] = typer.Option(None, "--year", help="Only this year."),
    all_rows: bool = typer.Option(False, "--all", help="Include rows where words and deeds agree."),
    db: Optional[Path] = DbOption,
    json_out: bool = JsonOption,
) -> None:
    """Say-do gap: where a state's words (speeches) and deeds (votes, institutions) point different ways.

    Example: orderwatch gap --country IND --json
    """
    from orderwatch.observatory import NotComputed

    try:
        g = observe(db).say_do_gap()["rows"]  # stored, or the synthesis' on the stream tables
    except NotComputed as exc:
        fail(str(exc))
    if country_:
        g = g[g["iso3"] == country_code(country_)]
    if year is not None:
        g = g[g["year"] == year]
    if not all_rows:
        g = g[g["significant"].astype(bool)]
    if json_out:
        emit_json(g.to_dict("records"))
    else:
        typer.echo(g[["iso3", "year", "axis", "say", "do", "gap", "gap_lo", "gap_hi", "direction"]]
                   .to_string(index=False, float_format=_round) if len(g) else "no significant say-do gaps")


def drivers(
    axis: str = typer.Option("overall", "--axis", help="A1, A2, A3 or overall."),
    plot: Optional[Path] = typer.Option(None, "--plot", help="Write a coefficient plot (PNG) here."),
    db: Optional[Path] = DbOption,
    json_out: bool = JsonOption,
) -> None:
    """Drivers of alignment: panel models of positions on trade with China/US, disputes, US alliance, spending.

    Example: orderwatch drivers --plot drivers.png --json
    """
    from orderwatch.observatory import analyses
    from orderwatch.synthesis import plot_drivers

    table, info = analyses.drivers(open_store(db).table, axis)
    if plot is not None and len(table):
        plot_drivers(table, plot)
    if json_out:
        emit_json({"axis": axis, "coefficients": table.to_dict("records"), "models": info,
                   "plot": str(plot) if plot else None})
        return
    typer.echo(table.to_string(index=False, float_format=_round) if len(table) else "no model could be estimated")
    typer.echo("\nWhat these data cannot identify:")
    for n in info["notes"]:
        typer.echo(f"- {n}")


def claims_check(
    file: Path = typer.Argument(..., help="A claim ledger (YAML); see docs/synthesis.md for the format."),
    weights: Optional[str] = WeightsOption,
    db: Optional[Path] = DbOption,
    json_out: bool = JsonOption,
) -> None:
    """Test every claim in a ledger: supported, contradicted, mixed or not_testable, with figures and evidence.

    Example: orderwatch claims check src/orderwatch/claims/seed.yaml --json
    """
    from orderwatch.claims import evaluate_ledger, load_ledger

    ledger = load_ledger(file)
    st = open_store(db)
    _report(evaluate_ledger(ledger, st.table, weights=_weights(weights)), json_out)


def claims_seed(
    weights: Optional[str] = WeightsOption,
    db: Optional[Path] = DbOption,
    json_out: bool = JsonOption,
) -> None:
    """Test the seed paper's ledger shipped with orderwatch (claims/seed.yaml).

    Example: orderwatch claims seed --json
    """
    from orderwatch.claims import evaluate_ledger, seed_ledger

    st = open_store(db)
    _report(evaluate_ledger(seed_ledger(), st.table, weights=_weights(weights)), json_out)


def _report(results, json_out: bool) -> None:
    if json_out:
        emit_json(results)
        return
    from orderwatch.readable import evidence_line, figures_line

    for r in results:
        typer.echo(f"{r['verdict']:13s} {r['id']}: {r['claim']}")
        why = r.get("reason") or figures_line(r.get("figures"))
        if why:
            typer.echo(f"{'':13s}   why: {why}")
        evidence = r.get("evidence") or []
        for e in evidence[:3]:
            typer.echo(f"{'':13s}   - {evidence_line(e)[:150]}")
        if len(evidence) > 3:
            typer.echo(f"{'':13s}   ... and {len(evidence) - 3} more (--json for all)")


def register(app: typer.Typer) -> None:
    app.command("positions")(positions)
    app.command("country")(country)
    app.command("scenario")(scenario)
    app.command("gap")(gap)
    app.command("drivers")(drivers)
    claims_app.command("check")(claims_check)
    claims_app.command("seed")(claims_seed)
    app.add_typer(claims_app, name="claims")
