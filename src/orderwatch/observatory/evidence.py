"""The evidence behind a state-year's figures, each from its own stream's evidence function.

=============  =================================================================
stream         evidence, and where it is made
=============  =================================================================
words          the scored passages of the year (``text_evidence``, written by the
               words stream's derive), largest weight first
votes          the roll calls that entered the votes figure, with the state's and
               both poles' votes: :func:`orderwatch.votes.alignment.alignment_evidence`
institutions   the ties that add up to the institutions figure:
               :func:`orderwatch.institutions.why`; and the state's arrangements
say–do gap     the synthesis' gap table, or :func:`orderwatch.synthesis.say_do_gap`
               on the stream tables (with its intervals) when it was not stored
=============  =================================================================

Every function takes a :class:`~orderwatch.observatory.tables.Tables` and raises
:class:`~orderwatch.observatory.tables.NotComputed` when the table it needs is absent.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from orderwatch.evidence import json_safe
from orderwatch.observatory.tables import NotComputed, Tables, records
from orderwatch.schema import POLE_STATES

#: The text stream's evidence table; the institutions stream's arrangement tables.
PASSAGE_TABLE = "text_evidence"
ARRANGEMENT_TABLES = ("institutions_memberships", "institutions_arrangements")
#: The synthesis' say–do gap table.
GAP_TABLE = "say_do_gap"
POLE_CODES = tuple(POLE_STATES)  # ("CHN", "USA"): the states whose votes anchor the scale


def passages(t: Tables, iso3: str, year: int | None = None, limit: int = 40) -> list[dict]:
    """Scored passages of the latest year with evidence at or before ``year``."""
    if not t.has(PASSAGE_TABLE):
        raise NotComputed(PASSAGE_TABLE)
    df = t.table(PASSAGE_TABLE)
    sel = df[df["iso3"] == iso3] if "iso3" in df else df.iloc[0:0]
    if year is not None and "year" in sel and not sel.empty:
        yrs = sel["year"].dropna()
        yrs = yrs[yrs <= year]
        if not yrs.empty:
            sel = sel[sel["year"] == yrs.max()]
    if "weight" in sel:
        sel = sel.reindex(sel["weight"].abs().sort_values(ascending=False).index)
    return records(sel.head(limit))


def roll_calls(t: Tables, iso3: str, year: int, axis: str = "overall", limit: int | None = None) -> dict[str, Any]:
    """The roll calls behind the votes figure of a state-year (the votes stream's evidence).

    Returns ``year``, ``n_roll_calls`` (how many entered the figure), per pole
    ``n_split_from_<pole>``/``n_shared_with_<pole>``, and ``rows``: the roll calls in the
    stream's order (the poles' yes-against-no splits first), each with the three votes.
    """
    from orderwatch.votes import prepare
    from orderwatch.votes.alignment import alignment_evidence

    if t.store is None or not t.has("roll_calls"):
        raise NotComputed("votes")

    def build() -> dict[str, Any]:
        rc = t.table("roll_calls")
        rc = rc[rc["year"] == int(year)]
        out: dict[str, Any] = {"year": int(year), "n_roll_calls": 0, "rows": []}
        if iso3 in POLE_CODES or rc.empty:
            return out
        votes = t.locked(lambda: t.store.votes(countries=sorted({iso3, *POLE_CODES}), years=(int(year), int(year))))
        vm = prepare(rc, votes)
        if vm.column(iso3) < 0:
            return out
        every = alignment_evidence(vm, iso3, int(year), axis, limit=None)
        out["n_roll_calls"] = len(every)
        for pole in POLE_CODES:
            out[f"n_split_from_{pole}"] = sum(r["votes"][iso3] != r["votes"][pole] for r in every)
            out[f"n_shared_with_{pole}"] = len(every)
        rows = every if limit is None else every[:limit]
        out["rows"] = json_safe([{**{k: r[k] for k in ("rcid", "date", "resolution", "short", "source")},
                                  "vote": r["votes"][iso3], **{p: r["votes"][p] for p in POLE_CODES}} for r in rows])
        return out

    return t.memo(("roll_calls", iso3, int(year), axis, limit), build)


def ties(t: Tables, iso3: str, year: int | None, axis: str = "overall") -> dict | None:
    """Which ties drive the institutions figure that year (:func:`orderwatch.institutions.why`)."""
    from orderwatch.institutions import why

    if year is None or not t.has("institutions_ties"):
        return None
    return t.memo(("why", iso3, int(year), axis),
                  lambda: json_safe(why(t.table("institutions_ties"), iso3, int(year), axis)))


def arrangements(t: Tables, iso3: str) -> list[dict]:
    """The arrangements a state belongs (or belonged) to, oldest first, with their sources."""
    name = t.first_table(ARRANGEMENT_TABLES)
    if not name:
        raise NotComputed(ARRANGEMENT_TABLES[0])
    df = t.table(name)
    mask = pd.Series(False, index=df.index)
    for col in ("iso3", "member", "iso3_a", "iso3_b", "party"):
        if col in df:
            mask |= df[col] == iso3
    if "members" in df:
        mask |= df["members"].astype(str).str.contains(rf"\b{iso3}\b", regex=True)
    sel = df[mask]
    sort = [c for c in ("joined", "start_year", "year", "start") if c in sel]
    return records(sel.sort_values(sort[0]) if sort else sel)


def gap_table(t: Tables) -> tuple[str, pd.DataFrame]:
    """Every state's say–do gap rows and where they come from (the stored table, or the
    synthesis' :func:`~orderwatch.synthesis.say_do_gap` on the stream tables)."""
    from orderwatch.synthesis import load_streams, say_do_gap as compute, stream_wide

    if t.has(GAP_TABLE):
        return GAP_TABLE, t.table(GAP_TABLE)
    tables = load_streams(t.read)
    if tables.get("words") is None or all(tables.get(s) is None for s in tables if s != "words"):
        raise NotComputed(GAP_TABLE)
    return ("orderwatch.synthesis.say_do_gap (not stored; computed from the stream tables)",
            t.memo(("gap",), lambda: compute(stream_wide(tables))))


def say_do_gap(t: Tables, iso3: str) -> dict[str, Any]:
    """The synthesis' say–do gap rows of a state (stored, or computed by the synthesis)."""
    source, df = gap_table(t)
    sel = df[df["iso3"] == iso3] if "iso3" in df else df.iloc[0:0]
    return {"source": source, "rows": records(sel.sort_values(["year", "axis"]) if "year" in sel else sel)}
