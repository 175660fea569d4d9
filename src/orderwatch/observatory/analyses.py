"""What-if rankings, drivers and pole alignment read from a store: one call per CLI command.

Each function gathers the tables an analysis needs (stored, or computed on demand by the
streams and the synthesis) and returns its result; the commands only parse and render.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import pandas as pd

from orderwatch.errors import OrderwatchError
from orderwatch.observatory import queries
from orderwatch.observatory.positions import load_positions
from orderwatch.schema import POLE_STATES


def scenario(read, years: tuple[int, int], weights: Mapping[str, float] | None = None,
             streams: Sequence[str] | None = None, axes: Sequence[str] | None = None) -> dict[str, Any]:
    """States re-ranked under other weights, years, streams or axes, and the pivotal states of the last year."""
    from orderwatch.synthesis import load_streams, pivotal_states, scenario_ranking, try_read

    tables = load_streams(read)
    if all(t is None for t in tables.values()):
        raise OrderwatchError("no stream positions in the store; run `orderwatch build`")
    ranking = scenario_ranking(tables, try_read(read, "countries"), weights=weights, years=years,
                               streams=streams, axes=axes)
    pos = load_positions(read, weights, years=years, streams=streams, overall_axes=axes)
    return {"years": list(years), "weights": weights, "streams": streams, "axes": axes,
            "ranking": ranking, "pivotal": pivotal_states(pos, years[1])}


def drivers(read, axis: str = "overall") -> tuple[pd.DataFrame, dict]:
    """Panel models of the positions on trade, disputes, US alliance and spending (coefficients, notes)."""
    from orderwatch.synthesis import driver_panel, fit_drivers, try_read

    panel = driver_panel(load_positions(read), trade=try_read(read, "trade"),
                         milex=try_read(read, "military_expenditure"),
                         alliances=try_read(read, "alliances"), axis=axis)
    return fit_drivers(panel)


def pole_alignment(store: Any, iso3: str, evidence_year: int | None = None, axis: str = "overall",
                   limit: int = 0) -> tuple[pd.DataFrame, list[dict] | None]:
    """A state's alignment with the two poles per year (stored, or computed for a state the
    stream did not cover) and, for one year, the roll calls behind it (the votes stream's
    evidence function)."""
    from orderwatch.votes import prepare
    from orderwatch.votes.alignment import alignment_evidence, pole_alignment as compute

    poles = sorted({iso3, *POLE_STATES})
    table = queries.select(store, "votes_pole_alignment", {"iso3": iso3}) \
        if store.has_table("votes_pole_alignment") else None
    if table is None or table.empty:  # no stream tables, or a state they don't cover: compute now
        table = compute(prepare(store.roll_calls(), store.votes(countries=poles)), [iso3])
    evidence = None
    if evidence_year is not None and limit > 0:
        y = int(evidence_year)
        vm = prepare(store.roll_calls(years=(y, y)), store.votes(countries=poles, years=(y, y)))
        evidence = alignment_evidence(vm, iso3, y, axis, limit=limit)
    return table, evidence


def session_ideal_points(store: Any, session: int, issue: str, n_boot: int = 0,
                         random_state: int = 0) -> pd.DataFrame:
    """Ideal points of one General Assembly session (empty when it has no contested roll calls)."""
    from orderwatch.votes import prepare
    from orderwatch.votes.sessions import fit_session

    rc = store.roll_calls()
    rc = rc[rc["session"] == session]
    if rc.empty:
        raise OrderwatchError(f"no roll calls in session {session}")
    return fit_session(prepare(rc, queries.session_votes(store, session)), session, issue, n_boot=n_boot,
                       random_state=random_state)
