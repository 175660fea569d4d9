"""Synthesis: combined positions, sensitivity, the say-do gap, drivers and scenarios.

Builds on the streams' positions tables (``votes_positions``, ``text_positions``,
``institutions_positions`` and, when it exists, ``practice_positions``; shape in docs/ARCHITECTURE.md). Everything here takes and
returns pandas DataFrames; nothing imports DuckDB, Typer or FastAPI.

>>> from orderwatch.synthesis import parse_weights
>>> parse_weights("words=1,votes=2,institutions=1")["votes"]
0.5
"""

from __future__ import annotations

from typing import Callable

import pandas as pd

from orderwatch.synthesis.combine import combine, monte_carlo_interval, stream_wide
from orderwatch.synthesis.disputes import dispute_years, disputes_table
from orderwatch.synthesis.drivers import driver_panel, fit_drivers, identification_notes, plot_drivers
from orderwatch.synthesis.gap import say_do_gap
from orderwatch.synthesis.positions import (
    DEFAULT_MODEL, DEFAULT_YEARS, MODELS, combined_positions, profile_wide, universe,
)
from orderwatch.synthesis.publish import default_year
from orderwatch.synthesis.scenario import pivotal_states, scenario_ranking, year_on_year
from orderwatch.synthesis.sensitivity import rank_sensitivity, sensitivity_table, weight_grid
from orderwatch.synthesis.weights import (
    AXES, DEFAULT_WEIGHTS, STREAM_TABLES, STREAMS, WeightsError, parse_weights, validate_weights,
)

__all__ = [
    "TABLES",
    "AXES", "DEFAULT_MODEL", "DEFAULT_WEIGHTS", "MODELS", "STREAMS", "default_year", "STREAM_TABLES", "WeightsError", "combine",
    "combined_positions", "derive", "dispute_years", "disputes_table", "driver_panel",
    "fit_drivers", "identification_notes", "load_streams", "monte_carlo_interval",
    "parse_weights", "pivotal_states", "plot_drivers", "profile_wide", "rank_sensitivity",
    "say_do_gap", "scenario_ranking", "sensitivity_table", "stream_wide", "universe",
    "validate_weights", "weight_grid", "year_on_year",
]

#: The store tables this stream's ``derive`` writes (the build checks it).
TABLES: tuple[str, ...] = (
    "drivers",
    "positions",
    "positions_sensitivity",
    "say_do_gap",
    "synthesis_reliability",
    "synthesis_years",
    "territorial_disputes",
)


def try_read(read: Callable[[str], pd.DataFrame], name: str) -> pd.DataFrame | None:
    """``read(name)``, or None when the table does not exist.

    A stream that has not been built (or failed) must not stop the synthesis: its
    columns are then NaN and every row says the stream is missing.
    """
    try:
        return read(name)
    except Exception:  # noqa: BLE001 - the read contract does not fix the exception type
        return None


def load_streams(read: Callable[[str], pd.DataFrame]) -> dict[str, pd.DataFrame | None]:
    """The stream positions tables by stream name (None where absent, e.g. no practice table)."""
    return {s: try_read(read, STREAM_TABLES[s]) for s in STREAMS}


def derive(read: Callable[[str], pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Derived tables of the synthesis, for ``orderwatch build``.

    Parameters
    ----------
    read : callable
        ``read(name)`` returns a base or earlier derived table as a DataFrame.

    Returns
    -------
    dict
        ``positions`` (combined by the default model, :data:`DEFAULT_MODEL`, every Asian
        state and reference power x 1990-2025 x axis, with per-stream columns ``words,
        votes, institutions, practice``, ``n_streams`` and the publication columns),
        ``synthesis_reliability`` (the measurement model's loading, noise and reliability
        per stream and axis), ``synthesis_years`` (evidence per year, ``provisional``),
        ``say_do_gap``, ``positions_sensitivity``
        (rank ranges over a 0.25-step weight grid), ``territorial_disputes`` (the cited
        table) and ``drivers`` (panel coefficients).
    """
    from orderwatch.synthesis.latent import latent_combine
    from orderwatch.synthesis.positions import DEFAULT_MODEL
    from orderwatch.synthesis.publish import mask_contested, year_evidence

    tables = load_streams(read)
    countries = try_read(read, "countries")
    positions = combined_positions(tables, countries, model=DEFAULT_MODEL)
    y0, y1 = DEFAULT_YEARS
    wide = mask_contested(stream_wide(tables))
    wide = wide[(wide["year"] >= y0) & (wide["year"] <= y1) & wide["axis"].isin(AXES)]
    # The fit behind the stored positions, kept for the methods page.
    reliability = positions.attrs.get("reliability")
    if reliability is None:
        _, reliability = latent_combine(wide, tuple(s for s in STREAMS if tables.get(s) is not None))
    states = set(positions["iso3"])
    wide = wide[wide["iso3"].isin(states)]
    drivers, _ = fit_drivers(driver_panel(
        positions, trade=try_read(read, "trade"), milex=try_read(read, "military_expenditure"),
        alliances=try_read(read, "alliances")))
    return {
        "positions": positions,
        "synthesis_reliability": reliability,
        "synthesis_years": year_evidence(tables),
        "say_do_gap": say_do_gap(wide),
        "positions_sensitivity": sensitivity_table(wide, step=0.25),
        "territorial_disputes": disputes_table(),
        "drivers": drivers,
    }
