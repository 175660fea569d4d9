"""Words-stream commands: `orderwatch score` and the `orderwatch text` group.

Thin wrappers: read input, call orderwatch.text, render.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import typer

from orderwatch.cli.common import (
    CountryOption, DbOption, JsonOption, YearsOption, country_code, emit_json, fail, open_store, parse_years, select,
)
from orderwatch.cli.common import CsvOption, FormatOption, emit_table  # exports

text_app = typer.Typer(help="The words stream: positions, frames and evidence from texts.", no_args_is_help=True)

# Inputs bigger than this are refused (the limit is named in the message); override with
# $ORDERWATCH_MAX_TEXT_MB.  The codebook scan itself is fast, but bootstrap and evidence
# lists grow with the text, and a web upload must not be able to exhaust memory.
DEFAULT_MAX_MB = 50


def max_bytes() -> int:
    return int(float(os.environ.get("ORDERWATCH_MAX_TEXT_MB", DEFAULT_MAX_MB)) * 1024 * 1024)


def read_text_input(path: str) -> tuple[str, list[str]]:
    """Read FILE or '-' (stdin) as text; return (text, warnings) or fail with one line.

    Refuses binary files (NUL bytes) and inputs over the size limit; non-UTF-8 text is
    decoded with replacement characters and a warning.
    """
    limit = max_bytes()
    name = "<stdin>" if path == "-" else path
    if path == "-":
        data = sys.stdin.buffer.read(limit + 1)
    else:
        p = Path(path)
        if not p.exists():
            fail(f"{name}: no such file")
        if p.is_dir():
            fail(f"{name}: is a directory, not a text file")
        if p.stat().st_size > limit:
            fail(f"{name}: {p.stat().st_size / 1e6:.1f} MB is over the {limit // (1024 * 1024)} MB limit "
                 "(set ORDERWATCH_MAX_TEXT_MB to raise it)")
        with p.open("rb") as fh:
            data = fh.read(limit + 1)
    if len(data) > limit:
        fail(f"{name}: input is over the {limit // (1024 * 1024)} MB limit (set ORDERWATCH_MAX_TEXT_MB to raise it)")
    if b"\x00" in data[:65536]:
        fail(f"{name}: looks like a binary file (NUL bytes); give a plain-text file")
    warnings = []
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="replace")
        bad = sum(1 for ch in text if ch == "\ufffd" or (ch < " " and ch not in "\t\n\r\f"))
        if bad > 0.1 * max(len(text), 1):
            fail(f"{name}: looks like a binary file ({bad} of {len(text)} characters undecodable); "
                 "give a plain-text file")
        warnings.append(f"{name}: not valid UTF-8 (first bad byte at offset {exc.start}); "
                        "decoded with replacement characters")
    if not text.strip():
        fail(f"{name}: empty text, nothing to score")
    return text, warnings


def score(
    file: str = typer.Argument(..., help="A text file (UTF-8), or - for standard input."),
    method: str = typer.Option("codebook", "--method", "-m",
                               help="codebook | learned | wordscores | semantic | all (combined rule, "
                                    "each method reported)"),
    max_evidence: int = typer.Option(200, "--max-evidence", help="Most evidence passages to print."),
    json_out: bool = JsonOption,
) -> None:
    """Score a text between China's GSI pole (-1) and the US rules-based-order pole (+1).

    Example: orderwatch score speech.txt --method all --json
    """
    from orderwatch.text import METHODS, score_text

    if method not in METHODS:
        fail(f"--method must be one of {', '.join(METHODS)}, not {method!r}", code=2)
    text, warnings = read_text_input(file)
    r = score_text(text, method=method, max_evidence=max_evidence)
    r["warnings"] = warnings + r["warnings"]
    if json_out:
        emit_json(r)
        return
    typer.echo(f"position {_fmt(r['position'])}  interval [{_fmt(r['interval'][0])}, {_fmt(r['interval'][1])}]"
               f"  relevance {r['relevance']:.2f}  ({r['method']}; -1 = GSI pole, +1 = US pole)")
    for name, c in (r.get("methods") or {}).items():
        lo, hi = c.get("interval") or [None, None]
        typer.echo(f"  method {name:10s} {_fmt(c.get('position'))}  [{_fmt(lo)}, {_fmt(hi)}]")
    for axis, c in r["axes"].items():
        typer.echo(f"  {axis}: {_fmt(c['position'])}  [{_fmt(c['interval'][0])}, {_fmt(c['interval'][1])}]")
    for e in r["evidence"][:20]:
        typer.echo(f"  {e['axis']} {e['pole']:3s} {e['frame']:28s} {e['start']:>7d}  {e['passage'][:100]}")
    if len(r["evidence"]) > 20:
        typer.echo(f"  … {len(r['evidence']) - 20} more passages (use --json)")
    for w in r["warnings"]:
        typer.echo(f"warning: {w}", err=True)


def _fmt(x) -> str:
    return "null" if x is None else f"{x:+.2f}"




@text_app.command("positions")
def positions(
    country: str = CountryOption,
    years: Optional[str] = YearsOption(None, "Year or range, e.g. 2015-2024."),
    method: Optional[str] = typer.Option(None, "--method", help="pooled (the published figure) or codebook "
                                         "(per speech) (default: both)."),
    db: Optional[Path] = DbOption,
    json_out: bool = JsonOption,
    csv: bool = CsvOption,
    fmt: Optional[str] = FormatOption,
) -> None:
    """A state's positions from its UN General Debate speeches, by year and axis.

    Example: orderwatch text positions --country IDN --years 2015-2024 --json
    """
    iso3 = country_code(country)
    yr = parse_years(years)
    df = select(open_store(db), "text_positions", {"iso3": iso3, "year": yr, "method": method},
                order=("year", "method", "axis"))
    if json_out:
        emit_json({"iso3": iso3, "years": list(yr) if yr else None, "positions": df.to_dict(orient="records")})
        return
    if emit_table(df, csv, fmt):
        return
    if df.empty:
        typer.echo(f"no text positions for {iso3}" + (f" in {yr[0]}-{yr[1]}" if yr else ""))
        return
    wide = df.pivot_table(index="year", columns=["method", "axis"], values="position", dropna=False)
    present = set(map(tuple, df[["method", "axis"]].drop_duplicates().to_numpy()))
    wide = wide[[c for c in wide.columns if c in present]]
    typer.echo(f"{iso3}: -1 = GSI pole, +1 = US pole, blank = not enough signal")
    typer.echo(wide.round(2).to_string(na_rep=""))


@text_app.command("frames")
def frames(
    source: str = typer.Option("china_mfa", "--source", help="china_mfa, china_xi, china_reports, us_official, us_nss."),
    frame: Optional[str] = typer.Option(None, "--frame", help="One frame id (see `orderwatch text codebook`)."),
    db: Optional[Path] = DbOption,
    json_out: bool = JsonOption,
) -> None:
    """Year-by-year frame counts in the official documents (default: China's MFA).

    Example: orderwatch text frames --source china_mfa --frame a1_cooperative_security
    """
    df = select(open_store(db), "text_frame_counts", {"source": source, "frame": frame},
                order=("year", "frame", "language"))
    if json_out:
        emit_json({"source": source, "frame_counts": df.to_dict(orient="records")})
        return
    if df.empty:
        typer.echo(f"no frame counts for source {source!r}" + (f", frame {frame!r}" if frame else ""))
        return
    typer.echo(df.pivot_table(index="frame", columns="year", values="count", aggfunc="sum", fill_value=0).to_string())


@text_app.command("evidence")
def evidence(
    country: str = CountryOption,
    year: int = typer.Option(..., "--year", help="Year of the speech or document."),
    frame: Optional[str] = typer.Option(None, "--frame", help="One frame id."),
    limit: int = typer.Option(50, "--limit", help="Most passages to print."),
    db: Optional[Path] = DbOption,
    json_out: bool = JsonOption,
) -> None:
    """The matched passages behind a state's text position in a year.

    Example: orderwatch text evidence --country PHL --year 2016
    """
    iso3 = country_code(country)
    df = select(open_store(db), "text_evidence", {"iso3": iso3, "year": year, "frame": frame},
                order=("doc_ref", "start"), limit=limit)
    if json_out:
        emit_json({"iso3": iso3, "year": year, "evidence": df.to_dict(orient="records")})
        return
    for r in df.itertuples(index=False):
        typer.echo(f"{r.doc_ref} {r.axis} {r.pole:3s} {r.frame:28s} [{r.start}:{r.end}] {r.passage[:120]}")
    if df.empty:
        typer.echo(f"no passages for {iso3} in {year}")


@text_app.command("semantic")
def semantic(
    country: str = CountryOption,
    years: Optional[str] = YearsOption(None, "Year or range, e.g. 2020-2024."),
    cache: Optional[Path] = typer.Option(None, "--cache", help="Embedding cache file (.npz); default: the store."),
    db: Optional[Path] = DbOption,
    json_out: bool = JsonOption,
) -> None:
    """Semantic positions of a state's General Debate speeches (embeds on demand; slow).

    Embeddings are cached by sentence hash, so a second run is fast.

    Example: orderwatch text semantic --country IDN --years 2020-2024 --json
    """
    from orderwatch import store as store_mod
    from orderwatch.text.semantic import EmbeddingCache, semantic_positions

    iso3 = country_code(country)
    yr = parse_years(years)
    store = open_store(db)
    sp = store.speeches(country=iso3, years=yr) if yr else store.speeches(country=iso3)
    # Embeddings are cached in the store (table text_embeddings, keyed by sentence sha256),
    # or in an .npz file when --cache is given.
    if cache is not None:
        emb = EmbeddingCache(cache)
    elif store.has_table("text_embeddings"):
        emb = EmbeddingCache.from_frame(store.table("text_embeddings"))
    else:
        emb = EmbeddingCache()
    known = len(emb)
    df = semantic_positions(sp, [iso3], cache=emb)
    store.close()
    if cache is not None:
        emb.save()
    elif len(emb) > known:
        added = store_mod.merge_rows(store.path, "text_embeddings", emb.to_frame(), key="sha256")
        typer.echo(f"cached {added} new sentence embeddings in the store", err=True)
    if json_out:
        emit_json({"iso3": iso3, "years": list(yr) if yr else None, "positions": df.to_dict(orient="records")})
        return
    if df.empty:
        typer.echo(f"no speeches for {iso3}")
        return
    typer.echo(f"{iso3}: semantic scale, -1 = GSI prototype, +1 = US prototype")
    typer.echo(df.pivot_table(index="year", columns="axis", values="position").round(2).to_string())


@text_app.command("codebook")
def codebook(json_out: bool = JsonOption) -> None:
    """List the codebook's frames by axis and pole, with an example each.

    Example: orderwatch text codebook --json
    """
    from orderwatch.text import load_codebook

    cb = load_codebook()
    if json_out:
        emit_json({"version": cb.version, "frames": [
            {"id": f.id, "axis": f.axis, "pole": f.pole, "weight": f.weight, "definition": f.definition,
             "en": list(f.en), "zh": list(f.zh), "rejected_as": f.rejected_as, "examples": list(f.examples)}
            for f in cb.frames.values()]})
        return
    typer.echo(f"codebook {cb.version}: -1 = gsi pole, +1 = us pole")
    for f in cb.frames.values():
        typer.echo(f"{f.axis} {f.pole:3s} {f.id:28s} {f.definition}")


def register(app: typer.Typer) -> None:
    """Add `score` and the `text` group to the root app."""
    app.command("score")(score)
    app.add_typer(text_app, name="text")
