"""`orderwatch corpus`: score large document collections, locally or on Dask."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from orderwatch.cli.common import COUNTRY_HELP, JsonOption, country_code, emit_json, fail

corpus_app = typer.Typer(help="Score large collections of documents (folders or Parquet), locally or on Dask.",
                         no_args_is_help=True)


def score(
    path: Path = typer.Argument(..., help="A folder of .txt/.md files, or Parquet with a 'text' column."),
    out: Path = typer.Option(Path("corpus-scores"), "--out", help="Output folder (partitioned Parquet)."),
    engine: str = typer.Option("local", "--engine", help="local (this process) or dask."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Address of a running Dask scheduler "
                                            "(default: start a LocalCluster)."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="LocalCluster worker processes "
                                          "(default: the number of CPUs)."),
    method: str = typer.Option("codebook", "--method", help="A scoring method of `orderwatch score`."),
    max_evidence: int = typer.Option(50, "--max-evidence", min=0, help="Evidence passages kept per document."),
    resume: bool = typer.Option(True, "--resume/--no-resume", help="Skip parts already written for this input."),
    json_out: bool = JsonOption,
) -> None:
    """Score every document with the words stream's scorer into partitioned Parquet.

    Example: orderwatch corpus score ./statements --engine dask --workers 2 --out ./scored
    """
    from orderwatch.corpus import score_corpus

    if engine not in ("local", "dask"):
        fail(f"--engine must be local or dask, not {engine!r}", code=2)
    if scheduler and engine != "dask":
        fail("--scheduler needs --engine dask", code=2)
    r = score_corpus(path, out, engine=engine, scheduler=scheduler, workers=workers, method=method,
                     max_evidence=max_evidence, resume=resume, progress=not json_out)
    summary = {"out": str(r.out), "engine": r.engine, "workers": r.workers, "partitions": r.partitions,
               "skipped_partitions": r.skipped, "documents": r.documents, "scored": r.scored,
               "sentences": r.sentences, "megabytes": round(r.bytes / 1e6, 2), "seconds": round(r.seconds, 2),
               "startup_seconds": round(r.startup_seconds, 2),
               "peak_rss_mb": {k: round(v) for k, v in r.peak_rss_mb.items()}}
    if json_out:
        emit_json(summary)
        return
    rate = r.documents / r.seconds if r.seconds else 0.0
    typer.echo(f"scored {r.documents:,} documents ({r.scored:,} with a position, {r.sentences:,} sentences) in "
               f"{r.partitions - r.skipped} partition(s) ({r.skipped} already done) with {r.engine} "
               f"x{r.workers} in {r.seconds:.1f} s ({rate:,.0f} docs/s) -> {r.out}", err=True)


def positions(
    out: Path = typer.Argument(..., help="The --out folder of `orderwatch corpus score`."),
    country: Optional[str] = typer.Option(None, "--country", "-c", help="Only this state. " + COUNTRY_HELP),
    json_out: bool = JsonOption,
) -> None:
    """Per-country-year positions of a scored corpus (the words stream's shape), with provenance.

    Example: orderwatch corpus positions ./scored --country PHL --json
    """
    from orderwatch.corpus import country_year_positions

    df = country_year_positions(out)
    if country:
        df = df[df.iso3 == country_code(country)]
    if json_out:
        emit_json({"provenance": df.attrs["provenance"], "positions": df.to_dict("records")})
        return
    typer.echo(df.to_string(index=False) if len(df) else "no documents with a known country and year")


def register(app: typer.Typer) -> None:
    corpus_app.command("score")(score)
    corpus_app.command("positions")(positions)
    app.add_typer(corpus_app, name="corpus")
