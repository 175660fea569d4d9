"""The :class:`Observatory`: the one reader of a built store for the CLI, the web and the reports.

It selects rows of the tables the streams and the synthesis wrote, joins names from the
country registry, applies the one default-year rule (:mod:`orderwatch.observatory.years`)
and says clearly when a table has not been computed yet
(:class:`~orderwatch.observatory.tables.NotComputed`) instead of inventing numbers.
Filtering is done in pandas on whole tables held in memory, so no SQL is ever built from
a user's string.
"""

from __future__ import annotations

from typing import Any, Mapping

import pandas as pd

from orderwatch.observatory import evidence
from orderwatch.observatory.names import GROUPS, SOURCES, registry_frame, resolve
from orderwatch.observatory.tables import NotComputed, Tables, records
from orderwatch.observatory.years import default_year, figure_year, provisional_years
from orderwatch.schema import STREAM_TABLES

#: Columns of a figure as the surfaces show it (those present in the table).
FIGURE_COLUMNS = ("year", "axis", "position", "lo", "hi", "n", "n_streams", "streams", "method",
                  "words", "votes", "institutions", "practice", "provisional")


class Observatory(Tables):
    """Cached, thread-safe, read-only views of a store (see :class:`Tables` for ``store``).

    >>> obs = Observatory(None)          # no store: every table is 'not yet computed'
    >>> obs.streams_present(), obs.default_year("combined")
    ([], None)
    """

    # -- countries ----------------------------------------------------------
    def registry(self) -> pd.DataFrame:
        """The country registry (the store's ``countries`` table, else the bundled one)."""
        return self.memo(("registry",), lambda: registry_frame(self._load("countries")))

    def country(self, query: str) -> dict[str, Any]:
        """One registry row for a state given by code or name (raises ``UnknownCountry``)."""
        iso3 = resolve(query)
        reg = self.registry()
        row = reg[reg["iso3"] == iso3]
        return records(row.head(1))[0] if len(row) else {"iso3": iso3}

    def names(self) -> dict[str, str]:
        reg = self.registry()
        return dict(zip(reg["iso3"], reg.get("name_en", reg["iso3"])))

    def asian(self, group: str | None = None) -> pd.DataFrame:
        reg = self.registry()
        out = reg[reg["is_asian"].fillna(False).astype(bool)]
        if group:
            out = out[out["group"] == group]
        return out

    # -- positions ----------------------------------------------------------
    def positions(self, source: str) -> pd.DataFrame:
        """The positions table of ``combined`` or a stream; ``NotComputed`` when absent."""
        if source not in SOURCES:
            raise KeyError(source)
        return self.table(SOURCES[source])

    def streams_present(self) -> list[str]:
        return [s for s, t in SOURCES.items() if self.has(t)]

    def years(self, source: str) -> list[int]:
        def build() -> list[int]:
            df = self.positions(source)
            return sorted(int(y) for y in df.loc[df["position"].notna(), "year"].unique())

        return self.memo(("years", source), build)

    def provisional(self) -> set[int]:
        """Years whose evidence is thin (:func:`orderwatch.observatory.years.provisional_years`)."""
        return self.memo(("provisional",), lambda: provisional_years(
            {s: self._load(t) for s, t in STREAM_TABLES.items() if s in ("votes", "words")}))

    def default_year(self, source: str = "combined", axis: str = "overall") -> int | None:
        """The year every surface shows by default (:func:`orderwatch.observatory.years.default_year`)."""
        if not self.has(SOURCES[source]):
            return None
        return self.memo(("default_year", source, axis),
                         lambda: default_year(self.positions(source), axis, self.provisional()))

    def map_values(self, year: int, axis: str, source: str, group: str | None = None) -> list[dict]:
        """One row per Asian state: position, interval, n for a year, axis and source."""

        def build() -> list[dict]:
            df = self.positions(source)
            sel = df[(df["year"] == int(year)) & (df["axis"] == axis)]
            reg = self.asian(group)
            cols = [c for c in ("iso3", "position", "lo", "hi", "n", "method", "words", "votes", "institutions",
                                "practice", "provisional") if c in sel]
            merged = reg[[c for c in ("iso3", "iso_numeric", "name_en", "name_zh", "group") if c in reg]].merge(
                sel[cols].drop_duplicates("iso3"), on="iso3", how="left")
            return records(merged)

        return self.memo(("map", int(year), axis, source, group), build)

    def rankings(self, year: int, axis: str, source: str, group: str | None = None) -> list[dict]:
        """States with a position, US pole (+1) first; states without one are listed last."""
        rows = self.map_values(year, axis, source, group)
        have = sorted((r for r in rows if r.get("position") is not None), key=lambda r: -r["position"])
        # Ranks go on copies so that the memoised rows stay unchanged.
        return [dict(r, rank=i) for i, r in enumerate(have, 1)] + \
            [dict(r, rank=None) for r in rows if r.get("position") is None]

    def series(self, country: str, axis: str | None = None) -> dict[str, list[dict]]:
        """Per source, the state's yearly positions (all axes unless ``axis``)."""
        iso3 = resolve(country)
        out: dict[str, list[dict]] = {}
        for source in self.streams_present():
            df = self.positions(source)
            sel = df[df["iso3"] == iso3]
            if axis:
                sel = sel[sel["axis"] == axis]
            out[source] = records(sel[[c for c in FIGURE_COLUMNS if c in sel]].sort_values(["axis", "year"]))
        return out

    def figure(self, country: str, source: str, axis: str = "overall", year: int | None = None,
               until: int | None = None) -> dict | None:
        """A state's figure: in ``year`` exactly, else the newest (non-provisional first) up to ``until``."""
        if not self.has(SOURCES[source]):
            return None
        iso3 = resolve(country)
        df = self.positions(source)
        sel = df[(df["iso3"] == iso3) & (df["axis"] == axis)]
        y = year if year is not None else figure_year(sel, until, self.provisional())
        hit = sel[(sel["year"] == y) & sel["position"].notna()] if y is not None else sel.iloc[0:0]
        return records(hit.head(1))[0] if len(hit) else None

    def compare(self, codes: list[str], axis: str, source: str) -> dict[str, list[dict]]:
        df = self.positions(source)
        out = {}
        for c in codes:
            sel = df[(df["iso3"] == c) & (df["axis"] == axis)].sort_values("year")
            out[c] = records(sel[[k for k in ("year", "position", "lo", "hi", "n") if k in sel]])
        return out

    # -- evidence (each stream's own; see observatory.evidence) ---------------
    # A state is given by code or name (``resolve``), as everywhere on the read side.
    def passages(self, country: str, year: int | None = None, limit: int = 40) -> list[dict]:
        return evidence.passages(self, resolve(country), year, limit)

    def roll_calls(self, country: str, year: int, limit: int | None = None) -> dict[str, Any]:
        return evidence.roll_calls(self, resolve(country), year, limit=limit)

    def ties(self, country: str, year: int | None) -> dict | None:
        return evidence.ties(self, resolve(country), year)

    def arrangements(self, country: str) -> list[dict]:
        return evidence.arrangements(self, resolve(country))

    def say_do_gap(self, country: str | None = None) -> dict[str, Any]:
        """A state's say–do gap rows, or every state's (``country=None``), with their source."""
        if country is None:
            source, df = evidence.gap_table(self)
            return {"source": source, "rows": df}
        return evidence.say_do_gap(self, resolve(country))

    # -- the profile and the overview ----------------------------------------
    def profile(self, country: str, year: int | None = None,
                weights: Mapping[str, float] | None = None) -> dict[str, Any]:
        """The country profile (:func:`orderwatch.observatory.profile.country_profile`)."""
        from orderwatch.observatory.profile import country_profile

        return country_profile(self, country, year=year, weights=weights)

    def summary(self) -> dict[str, Any]:
        """The overview (:func:`orderwatch.observatory.overview.summarise`)."""
        from orderwatch.observatory.overview import summarise

        return summarise(self)

    # -- downloads -------------------------------------------------------------
    def available(self) -> dict[str, bool]:
        names = [*SOURCES.values(), evidence.PASSAGE_TABLE, *evidence.ARRANGEMENT_TABLES, evidence.GAP_TABLE]
        return {n: self.has(n) for n in names}

    def downloadable(self) -> list[str]:
        """Every table a page shows that is present (the download whitelist)."""
        names = ["countries", *SOURCES.values(), evidence.PASSAGE_TABLE, *evidence.ARRANGEMENT_TABLES,
                 evidence.GAP_TABLE, "roll_calls", "claims", "claims_ledger"]
        out = []
        for n in names:
            if n not in out and (self.has(n) or (n == "countries" and not self.registry().empty)):
                out.append(n)
        return out

    def export(self, name: str) -> pd.DataFrame:
        """A table for download; only names in :meth:`downloadable` are allowed."""
        if name not in self.downloadable():
            raise NotComputed(name)
        if name == "countries" and not self.has("countries"):
            return self.registry()
        return self.table(name)


__all__ = ["Observatory", "NotComputed", "GROUPS"]
