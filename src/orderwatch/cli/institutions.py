"""`orderwatch institutions ...`: list, show and export Asia's security arrangements.

Thin wrappers over orderwatch.institutions; the catalogue ships with the package, so
`list`, `show` and `network` work without a built store.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from orderwatch.cli.common import CountryOption, DbOption, JsonOption, country_code, emit_json, fail, open_store
from orderwatch.cli.common import CsvOption, FormatOption, emit_table  # exports

inst = typer.Typer(help="Security arrangements: alliances, minilaterals, SCO, CSF declarations.\n\n"
                        "Example: orderwatch institutions list --country VNM --year 2024",
                   no_args_is_help=True)


@inst.command("list")
def list_cmd(
    country: str = CountryOption,
    year: int = typer.Option(..., "--year", "-y", help="Calendar year, 1990-2025."),
    json_: bool = JsonOption,
    csv: bool = CsvOption,
    fmt: Optional[str] = FormatOption,
) -> None:
    """List the arrangements a state belonged to in a year, with sources.

    Example: orderwatch institutions list --country VNM --year 2024 --json
    """
    from orderwatch.institutions import arrangements_for

    iso3 = country_code(country)
    rows = arrangements_for(iso3, year)
    if json_:
        emit_json({"iso3": iso3, "year": year, "arrangements": rows})
        return
    if emit_table([{"iso3": iso3, "year": year, **{k: v for k, v in r.items() if k != "sources"},
                    "source_url": (r.get("sources") or [{}])[0].get("url")} for r in rows], csv, fmt):
        return
    if not rows:
        typer.echo(f"{iso3} {year}: no arrangement in the catalogue")
    for r in rows:
        typer.echo(f"{r['arrangement_id']:<24} depth {r['depth']}  {r['pole']:<16} {r['name']}")
        typer.echo(f"{'':<24} source: {r['sources'][0]['url']}")


@inst.command("show")
def show_cmd(arrangement_id: str = typer.Argument(..., help="Arrangement id, e.g. QUAD, AUKUS, SCO."),
             json_: bool = JsonOption) -> None:
    """Show one arrangement: type, pole, depth, members with dates, sources.

    Example: orderwatch institutions show QUAD
    """
    from orderwatch.institutions import arrangement

    a = arrangement(arrangement_id)
    if json_:
        emit_json(a)
        return
    typer.echo(f"{a['arrangement_id']}: {a['name']}")
    typer.echo(f"type {a['type']}; pole {a['pole']}; lead {a['lead']}; depth {a['depth']}; axes {','.join(a['axes'])}")
    for m in a["members"]:
        left = f" - {m['left']}" if m["left"] else ""
        typer.echo(f"  {m['iso3']}  {m['joined']}{left}  ({m['precision']})")
    for s in a["sources"]:
        typer.echo(f"  source: {s['citation']} <{s['url']}>")
    if a["note"]:
        typer.echo(f"  note: {a['note']}")


@inst.command("network")
def network_cmd(
    year: int = typer.Option(..., "--year", "-y", help="Calendar year."),
    fmt: str = typer.Option("json", "--format", "-f", help="json or graphml."),
    seed: int = typer.Option(0, "--seed", help="Random seed for community detection."),
) -> None:
    """Print the co-membership network of a year (blocs, betweenness) as JSON or GraphML.

    Example: orderwatch institutions network --year 2024 --format graphml > asia2024.graphml
    """
    from orderwatch.institutions import network, network_graphml, network_json

    if fmt not in ("json", "graphml"):
        fail(f"--format must be json or graphml, not {fmt!r}", code=2)
    g = network(year, random_state=seed)
    if fmt == "json":
        emit_json(network_json(g))
    else:
        sys.stdout.write(network_graphml(g))


@inst.command("why")
def why_cmd(
    country: str = CountryOption,
    year: int = typer.Option(..., "--year", "-y", help="Calendar year, 1990-2025."),
    axis: str = typer.Option("overall", "--axis", "-a", help="A1, A2, A3 or overall."),
    russia_with_china: bool = typer.Option(False, "--russia-with-china",
                                           help="Count Russia-led arrangements with China's pole (default: neither)."),
    db: Optional[Path] = DbOption,
    json_: bool = JsonOption,
) -> None:
    """Show which ties drive a state-year's institutions position (pole, depth, weight, source).

    Example: orderwatch institutions why --country PHL --year 2024 --json
    """
    from orderwatch.institutions import why
    from orderwatch.institutions.measures import YEARS

    if axis not in ("A1", "A2", "A3", "overall"):
        fail(f"--axis must be A1, A2, A3 or overall, not {axis!r}", code=2)
    if not YEARS[0] <= year <= YEARS[1]:
        fail(f"--year {year} is outside the institutions stream's years {YEARS[0]}-{YEARS[1]}")
    iso3 = country_code(country)
    st = open_store(db)
    if not st.has_table("institutions_ties"):
        fail("the store has no institutions_ties table; run `orderwatch build`")
    out = why(st.table("institutions_ties"), iso3, year, axis, russia_with_china=russia_with_china)
    if json_:
        emit_json(out)
        return
    if out["position"] is None:
        typer.echo(out["warnings"][0])
        return
    w = out["weights"]
    typer.echo(f"{iso3} {year} {axis}: {out['position']:+.3f} [{out['lo']:+.2f}, {out['hi']:+.2f}]  "
               f"W_US {w['us']:g}  W_CN {w['china']:g}  W_0 {w['neither']:g}  prior {1.5 + out['prior_neutral']:g}")
    for t in out["ties"]:
        typer.echo(f"{t['contribution']:+.3f}  {t['arrangement_id']:<24} {t['pole']:<16} depth {t['depth']} "
                   f"weight {t['weight']:g}  {t['name']}")
        typer.echo(f"{'':8}source: {t['source_url']}" + (f"  ({t['note']})" if t["note"] else ""))
    for m in out["warnings"]:
        typer.echo(f"note: {m}")


def register(app: typer.Typer) -> None:
    """Add the `institutions` group to the root app."""
    app.add_typer(inst, name="institutions")
