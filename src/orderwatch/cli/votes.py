"""`orderwatch votes ...`: agreement, ideal points and pole alignment from UNGA roll calls.

Thin wrappers: parse, call orderwatch.votes, render. Output contracts (other tools rely
on them) are pinned by tests/votes/test_votes_cli.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

import typer

from orderwatch.cli.common import (
    CountryOption, DbOption, JsonOption, YearsOption, country_code, emit_json, fail, open_store, parse_years,
)
from orderwatch.cli.common import CsvOption, FormatOption, emit_table  # exports
from orderwatch.errors import OrderwatchError

votes_app = typer.Typer(
    help="UNGA roll calls: agreement between states, ideal points, alignment with the two poles.\n\n"
    "Example: orderwatch votes agreement JPN USA --from 2015-01-01 --to 2019-12-31 --json",
    no_args_is_help=True,
)

ISSUE_HELP = "Roll-call subset: all, security, important, or a Voeten issue code (me nu di hr co ec)."


def _sessions(text: Optional[str]) -> Optional[tuple[int, int]]:
    if not text:
        return None
    m = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+))?\s*", text)
    if not m:
        fail(f"--sessions must look like 70 or 70-74, got {text!r}", 2)
    a = int(m.group(1))
    return a, int(m.group(2) or a)




@votes_app.command("agreement")
def agreement_cmd(
    a: str = typer.Argument(..., help="First state (ISO3, ISO2, COW code or name)."),
    b: str = typer.Argument(..., help="Second state."),
    start: Optional[str] = typer.Option(None, "--from", help="First date (YYYY-MM-DD), inclusive."),
    end: Optional[str] = typer.Option(None, "--to", help="Last date (YYYY-MM-DD), inclusive."),
    sessions: Optional[str] = typer.Option(None, "--sessions", help="Session or range, e.g. 70-74."),
    measure: str = typer.Option("share", "--measure", help="share, kappa (Cohen), pi (Scott) or s (Signorino-Ritter)."),
    issue: str = typer.Option("all", "--issue", help=ISSUE_HELP),
    include_absent: bool = typer.Option(False, "--include-absent", help="Count absences as a vote category."),
    n_boot: int = typer.Option(1000, "--n-boot", help="Bootstrap resamples of roll calls for the interval."),
    n_evidence: int = typer.Option(20, "--evidence", help="How many roll calls to list (most decisive first)."),
    seed: int = typer.Option(0, "--seed", help="Random seed of the bootstrap."),
    db: Optional[Path] = DbOption,
    json_out: bool = JsonOption,
) -> None:
    """Agreement of two states in UNGA roll calls, with n, a bootstrap interval and the roll calls.

    Example: orderwatch votes agreement JPN USA --from 2015-01-01 --to 2019-12-31 --measure kappa --json
    """
    from orderwatch.votes import agreement, prepare, select
    from orderwatch.votes.agreement import MEASURES
    from orderwatch.votes.subsets import SUBSETS

    if measure not in MEASURES:
        fail(f"--measure must be one of {', '.join(MEASURES)}, got {measure!r}", 2)
    if issue.lower() not in SUBSETS:
        fail(f"--issue must be one of {', '.join(SUBSETS)}, got {issue!r}", 2)
    try:
        ia, ib = country_code(a), country_code(b)
        st = open_store(db)
        vm = prepare(st.roll_calls(), st.votes(countries=[ia, ib]))
        sub = select(vm, start=start, end=end, sessions=_sessions(sessions), subset=issue.lower())
        res = agreement(sub, ia, ib, measure=measure, include_absent=include_absent, n_boot=n_boot,
                        random_state=seed, n_evidence=n_evidence, label=issue.lower())
    except (OrderwatchError, ValueError) as exc:
        fail(str(exc))
    d = res.to_dict()
    out = {"a": ia, "b": ib, "measure": measure, "issue": issue.lower(), "value": d["value"], "n": d["n"],
           "interval": d["interval"], "level": d["level"], "evidence": d["evidence"],
           "warnings": d["warnings"], "provenance": d["provenance"]}
    if json_out:
        emit_json(out)
        return
    value = "undefined" if d["value"] is None else f"{d['value']:.3f}"
    lo, hi = d["interval"] or (None, None)
    ci = f" [{lo:.3f}, {hi:.3f}]" if lo is not None else ""
    typer.echo(f"{ia}-{ib} {measure} ({issue}): {value}{ci}  n={d['n']}")
    for w in d["warnings"]:
        typer.echo(f"note: {w}", err=True)
    for e in d["evidence"][:n_evidence]:
        v = e["votes"]
        typer.echo(f"  {e['date']}  {str(e['resolution'] or ''):<16} {v[ia]:>7} / {v[ib]:<7} {str(e['short'] or '')[:60]}")


DEFAULT_BOOT = 100  # resamples when --bootstrap is asked for


@votes_app.command("ideal")
def ideal_cmd(
    session: int = typer.Option(..., "--session", help="UNGA session number (1-80)."),
    issue: str = typer.Option("all", "--issue", help=ISSUE_HELP),
    bootstrap: bool = typer.Option(False, "--bootstrap", help="Bootstrap standard errors over roll calls "
                                   f"({DEFAULT_BOOT} resamples; ~100x slower) instead of the Laplace ones."),
    n_boot: int = typer.Option(0, "--n-boot", help="Bootstrap resamples for standard errors (0: Laplace, "
                               "the default)."),
    seed: int = typer.Option(0, "--seed", help="Random seed of the bootstrap."),
    db: Optional[Path] = DbOption,
    json_out: bool = JsonOption,
) -> None:
    """Ideal points of one session (EM probit, US positive) with Laplace (curvature) standard
    errors, or bootstrap ones on request (--bootstrap).

    Example: orderwatch votes ideal --session 74 --issue security --json
    """
    from orderwatch.observatory import analyses
    from orderwatch.votes.subsets import SUBSETS

    if issue.lower() not in SUBSETS:
        fail(f"--issue must be one of {', '.join(SUBSETS)}, got {issue!r}", 2)
    if bootstrap and n_boot == 0:
        n_boot = DEFAULT_BOOT
    try:
        table = analyses.session_ideal_points(open_store(db), session, issue.lower(), n_boot, seed)
    except OrderwatchError as exc:
        fail(str(exc))
    if table.empty:
        fail(f"no ideal points: session {session} has no contested roll calls in subset {issue!r}")
    table = table.sort_values("ideal_point", ascending=False)
    if json_out:
        emit_json([
            {"iso3": r.iso3, "ideal_point": r.ideal_point, "se": r.se, "se_method": r.se_method,
             "n_votes": r.n_votes, "session": r.session, "year": r.year, "issue": r.issue}
            for r in table.itertuples()
        ])
        return
    typer.echo(f"session {session} ({table.year.iloc[0]}), issue {issue}: {table.n_rollcalls.iloc[0]} contested "
               f"roll calls, {len(table)} states; US positive")
    for r in table.itertuples():
        typer.echo(f"  {r.iso3}  {r.ideal_point:+.3f}  (se {r.se:.3f}, {r.se_method})")


@votes_app.command("align")
def align_cmd(
    country: str = CountryOption,
    years: str = YearsOption("1972-2025", "Year or range, e.g. 2010-2024."),
    axis: str = typer.Option("overall", "--axis", help="A1, A2, A3 or overall."),
    n_evidence: int = typer.Option(0, "--evidence",
                                   help="With a single year: list this many roll calls behind it, poles' splits first."),
    db: Optional[Path] = DbOption,
    json_out: bool = JsonOption,
    csv: bool = CsvOption,
    fmt: Optional[str] = FormatOption,
) -> None:
    """Alignment with the two poles per year: kappa with CHN minus kappa with USA, and the position.

    Example: orderwatch votes align --country PHL --years 2010-2024 --json
    Example: orderwatch votes align --country VNM --years 2023 --evidence 10
    """
    from orderwatch.observatory import analyses
    from orderwatch.votes.alignment import SEAM_NOTES, seam_summary
    from orderwatch.votes.subsets import AXES

    if axis not in AXES:
        fail(f"--axis must be one of {', '.join(AXES)}, got {axis!r}", 2)
    y0, y1 = parse_years(years)
    if n_evidence > 0 and y0 != y1:
        fail("--evidence needs a single year, e.g. --years 2023", 2)
    iso3 = country_code(country)
    table, evidence = analyses.pole_alignment(open_store(db), iso3, y0, axis, n_evidence)
    rows = table[(table["axis"] == axis) & table["year"].between(y0, y1)].sort_values("year")
    if rows.empty or rows["n"].sum() == 0:
        fail(f"no shared votes: {iso3} and the poles share no roll call in {y0}-{y1} on axis {axis}")
    seam = seam_summary(table, iso3, axis) if y0 <= 2019 and y1 >= 2020 else None
    cols = ["year", "kappa_chn", "kappa_usa", "diff", "diff_lo", "diff_hi", "position", "lo", "hi", "n",
            "measure", "ideal_point", "ideal_position", "seam"]
    records = rows[cols].to_dict("records")
    if json_out:
        emit_json({"iso3": iso3, "axis": axis, "years": [y0, y1], "rows": records, "seam": seam, "evidence": evidence,
                   "seam_notes": SEAM_NOTES,
                   "method": "diff = kappa_chn - kappa_usa; position = (kappa_usa - kappa_chn) / (1 - kappa_cu), "
                             "clipped to [-1, 1] (-1 China's pole, +1 the US pole)"})
        return
    if emit_table(rows[cols].assign(iso3=iso3, axis=axis), csv, fmt):
        return
    typer.echo(f"{iso3}, axis {axis}: kappa with CHN minus kappa with USA (>0 closer to China); "
               "position -1 CHN ... +1 USA")
    for r in records:
        if r["n"] == 0 or r["diff"] != r["diff"]:
            typer.echo(f"  {r['year']}  no evidence (n={r['n']})")
            continue
        typer.echo(f"  {r['year']}  diff {r['diff']:+.2f} [{r['diff_lo']:+.2f}, {r['diff_hi']:+.2f}]  "
                   f"position {r['position']:+.2f}  n={r['n']}  ({r['seam']}{', pi' if r['measure'] == 'pi' else ''})")
    for e in evidence or []:
        v = e["votes"]
        typer.echo(f"  {e['date']}  {str(e['resolution'] or ''):<16} {iso3} {v[iso3]:>7}  CHN {v['CHN']:>7}  "
                   f"USA {v['USA']:>7}  {str(e['short'] or '')[:50]}")
    if seam:
        b, a = seam["before"], seam["after"]
        typer.echo(f"across the 2019/2020 seam: mean position {b['mean_position']:+.2f} (n/yr {b['mean_n']:.0f}) in "
                   f"{b['years'][0]}-{b['years'][1]} vs {a['mean_position']:+.2f} (n/yr {a['mean_n']:.0f}) in "
                   f"{a['years'][0]}-{a['years'][1]}; " + seam["note"], err=True)


def register(app: typer.Typer) -> None:
    """Add the `votes` group to the root app."""
    app.add_typer(votes_app, name="votes")
