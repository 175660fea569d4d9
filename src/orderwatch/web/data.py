"""Read-only views of the store for the dashboard and the reports.

Everything the pages and the JSON API show goes through :class:`Data`. It holds no
analysis logic: it selects rows of the tables the streams and the synthesis wrote
(``positions``, ``votes_positions``, ``text_positions``, ``institutions_positions``,
``text_evidence`` ...), joins names from the country registry, and says clearly when a
table has not been computed yet (:class:`NotComputed`) instead of inventing numbers.

Filtering is done in pandas on whole tables held in memory (the positions tables are a
few tens of thousands of rows), so no SQL is ever built from a user's string. Tables are
read once per process: the store is opened read-only, so they cannot change under us.
DuckDB connections are not safe to share between threads, so every store access holds
one lock.
"""

from __future__ import annotations

import math
import threading
from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd

from orderwatch.evidence import json_safe
from orderwatch.schema import COMBINED_TABLE, STREAM_TABLES

#: Which table holds each stream's positions (the synthesis' combined table first).
STREAMS: dict[str, str] = {"combined": COMBINED_TABLE, **STREAM_TABLES}
STREAM_LABELS = {
    "combined": "Combined (synthesis)",
    "words": "Words (texts)",
    "votes": "Votes (UNGA)",
    "institutions": "Institutions",
    "practice": "Practice",
}
AXES: dict[str, str] = {
    "overall": "Overall",
    "A1": "A1 security logic",
    "A2": "A2 who orders the region",
    "A3": "A3 blocs or community",
}
#: Subregion filters offered on the map (registry ``group`` values).
GROUPS: dict[str, str] = {
    "northeast": "Northeast Asia",
    "southeast": "Southeast Asia",
    "south": "South Asia",
    "central": "Central Asia",
    "west": "West Asia",
}
#: Candidate names for tables whose exact name the streams settle; first present wins.
EVIDENCE_TABLES = ("text_evidence",)
ARRANGEMENT_TABLES = ("institutions_memberships", "institutions_arrangements")
GAP_TABLES = ("say_do_gap", "synthesis_gap", "gap")


class NotComputed(LookupError):
    """A table the page needs is not in the store yet (run `orderwatch build`)."""

    def __init__(self, table: str):
        self.table = table
        super().__init__(f"{table} not yet computed; run `orderwatch build`")


class UnknownCountry(LookupError):
    """An ISO3 code that the registry does not know."""


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-safe dicts (NaN -> None)."""
    return json_safe(df.to_dict(orient="records"))


def _num(x: Any) -> float | None:
    if x is None:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


class Data:
    """Cached, thread-safe, read-only access to a store for the web app and reports.

    Parameters
    ----------
    store : orderwatch.store.Store or None
        An open (read-only) store. Anything with ``has_table(name)`` and
        ``table(name) -> DataFrame`` works, which keeps tests independent of DuckDB.
        ``None`` gives an app that renders every page as 'not yet computed'.
    """

    def __init__(self, store: Any):
        self.store = store
        self._lock = threading.RLock()
        self._tables: dict[str, pd.DataFrame | None] = {}
        self._memo: dict[tuple, Any] = {}

    # -- tables -------------------------------------------------------------
    def has(self, name: str) -> bool:
        return self._load(name) is not None

    def table(self, name: str) -> pd.DataFrame:
        """A whole table; raises :class:`NotComputed` when it is absent. Do not mutate."""
        df = self._load(name)
        if df is None:
            raise NotComputed(name)
        return df

    def _load(self, name: str) -> pd.DataFrame | None:
        with self._lock:
            if name not in self._tables:
                df = None
                if self.store is not None:
                    try:
                        if self.store.has_table(name):
                            df = self.store.table(name)
                    except Exception:  # a half-built store: treat as absent, never crash a page
                        df = None
                self._tables[name] = df
            return self._tables[name]

    def first_table(self, names: Iterable[str]) -> str | None:
        return next((n for n in names if self.has(n)), None)

    def memo(self, key: tuple, fn: Callable[[], Any]) -> Any:
        """Compute once per process (the store is read-only, so results never go stale)."""
        with self._lock:
            if key in self._memo:
                return self._memo[key]
        value = fn()
        with self._lock:
            self._memo[key] = value
        return value

    def available(self) -> dict[str, bool]:
        names = list(STREAMS.values()) + list(EVIDENCE_TABLES) + list(ARRANGEMENT_TABLES) + list(GAP_TABLES)
        return {n: self.has(n) for n in names}

    def downloadable(self) -> list[str]:
        """Every table a page shows that is present (the download whitelist)."""
        names = ["countries", *STREAMS.values(), *EVIDENCE_TABLES, *ARRANGEMENT_TABLES, *GAP_TABLES,
                 "roll_calls", "claims", "claims_ledger"]
        out = []
        for n in names:
            if n not in out and (self.has(n) or (n == "countries" and not self.registry().empty)):
                out.append(n)
        return out

    # -- countries ----------------------------------------------------------
    def registry(self) -> pd.DataFrame:
        """The country registry (store ``countries`` table, else ``orderwatch.countries``)."""

        def build() -> pd.DataFrame:
            df = self._load("countries")
            if df is None:
                try:
                    from orderwatch import countries

                    df = countries.registry()
                except Exception:
                    return pd.DataFrame(columns=["iso3", "iso_numeric", "name_en", "group", "is_asian"])
            df = df.copy()
            if "iso_numeric" in df:
                df["iso_numeric"] = df["iso_numeric"].map(
                    lambda v: None if pd.isna(v) else str(int(v)).zfill(3) if str(v).isdigit() or isinstance(v, (int, np.integer)) else str(v)
                )
            if "is_asian" not in df:
                df["is_asian"] = df.get("group", pd.Series(dtype=str)).isin(list(GROUPS))
            return df.reset_index(drop=True)

        return self.memo(("registry",), build)

    def country(self, iso3: str) -> dict[str, Any]:
        """One registry row; raises :class:`UnknownCountry`."""
        reg = self.registry()
        code = str(iso3).upper()
        row = reg[reg["iso3"] == code]
        if row.empty:
            raise UnknownCountry(code)
        return records(row.head(1))[0]

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
    def positions(self, stream: str) -> pd.DataFrame:
        if stream not in STREAMS:
            raise KeyError(stream)
        return self.table(STREAMS[stream])

    def streams_present(self) -> list[str]:
        return [s for s, t in STREAMS.items() if self.has(t)]

    def years(self, stream: str) -> list[int]:
        def build() -> list[int]:
            df = self.positions(stream)
            has = df[df["position"].notna()]
            return sorted(int(y) for y in has["year"].unique())

        return self.memo(("years", stream), build)

    def default_year(self, stream: str, axis: str = "overall") -> int | None:
        """The latest year in which the most Asian states have a position (ties: latest)."""

        def build() -> int | None:
            df = self.positions(stream)
            asian = set(self.asian()["iso3"])
            sel = df[(df["axis"] == axis) & df["position"].notna() & df["iso3"].isin(asian)]
            if sel.empty:
                return None
            counts = sel.groupby("year")["iso3"].nunique()
            if "n_streams" in sel.columns:
                # prefer years where most states have all three streams (see synthesis.positions)
                from orderwatch.synthesis.positions import COMPLETE_MEAN_STREAMS

                mean_streams = sel.groupby("year")["n_streams"].mean()
                complete = mean_streams[mean_streams >= COMPLETE_MEAN_STREAMS].index
                if len(complete):
                    counts = counts[counts.index.isin(complete)]
            best = counts.max()
            # Prefer recent years with near-full coverage over an older peak.
            good = counts[counts >= 0.9 * best]
            return int(good.index.max())

        return self.memo(("default_year", stream, axis), build)

    def map_values(self, year: int, axis: str, stream: str, group: str | None = None) -> list[dict]:
        """One row per Asian state: position, interval, n for a year/axis/stream."""

        def build() -> list[dict]:
            df = self.positions(stream)
            sel = df[(df["year"] == int(year)) & (df["axis"] == axis)]
            reg = self.asian(group)
            cols = [c for c in ("iso3", "position", "lo", "hi", "n", "method", "words", "votes", "institutions",
                                "practice", "provisional") if c in sel]
            merged = reg[[c for c in ("iso3", "iso_numeric", "name_en", "name_zh", "group") if c in reg]].merge(
                sel[cols].drop_duplicates("iso3"), on="iso3", how="left")
            return records(merged)

        return self.memo(("map", int(year), axis, stream, group), build)

    def rankings(self, year: int, axis: str, stream: str, group: str | None = None) -> list[dict]:
        """States with a position, US pole (+1) first; states without one are listed last."""
        rows = self.map_values(year, axis, stream, group)
        have = sorted((r for r in rows if r.get("position") is not None), key=lambda r: -r["position"])
        # Ranks go on copies so that the memoised rows stay unchanged.
        ranked = [dict(r, rank=i) for i, r in enumerate(have, 1)]
        missing = [dict(r, rank=None) for r in rows if r.get("position") is None]
        return ranked + missing

    def series(self, iso3: str, axis: str | None = None) -> dict[str, list[dict]]:
        """Per stream, the state's yearly positions (all axes unless ``axis``)."""
        out: dict[str, list[dict]] = {}
        for stream in self.streams_present():
            df = self.positions(stream)
            sel = df[df["iso3"] == iso3]
            if axis:
                sel = sel[sel["axis"] == axis]
            cols = [c for c in ("year", "axis", "position", "lo", "hi", "n", "n_streams", "streams", "method",
                                "words", "votes", "institutions", "practice", "provisional") if c in sel]
            out[stream] = records(sel[cols].sort_values(["axis", "year"]))
        return out

    def latest(self, iso3: str, stream: str, axis: str = "overall") -> dict | None:
        if not self.has(STREAMS[stream]):
            return None
        df = self.positions(stream)
        sel = df[(df["iso3"] == iso3) & (df["axis"] == axis) & df["position"].notna()]
        if sel.empty:
            return None
        return records(sel.sort_values("year").tail(1))[0]

    # -- say-do gap ---------------------------------------------------------
    def say_do_gap(self, iso3: str) -> dict[str, Any]:
        """The synthesis' say-do gap for a state, or words minus deeds from the streams.

        The fallback is plain arithmetic on published stream positions (words minus the
        mean of votes and institutions, per year, overall axis) and is labelled as such.
        """
        name = self.first_table(GAP_TABLES)
        if name:
            df = self.table(name)
            sel = df[df["iso3"] == iso3] if "iso3" in df else df.iloc[0:0]
            return {"source": name, "rows": records(sel.sort_values("year") if "year" in sel else sel)}
        if not (self.has("text_positions") and (self.has("votes_positions") or self.has("institutions_positions"))):
            raise NotComputed("say_do_gap")
        frames = []
        for stream in ("words", "votes", "institutions"):
            if self.has(STREAMS[stream]):
                df = self.positions(stream)
                sel = df[(df["iso3"] == iso3) & (df["axis"] == "overall")][["year", "position"]]
                frames.append(sel.rename(columns={"position": stream}).groupby("year").mean())
        wide = pd.concat(frames, axis=1).sort_index()
        deeds = wide[[c for c in ("votes", "institutions") if c in wide]].mean(axis=1, skipna=True)
        wide["deeds"] = deeds
        wide["gap"] = wide["words"] - deeds
        wide = wide.reset_index()
        return {"source": "words - mean(votes, institutions), overall axis", "rows": records(wide)}

    # -- evidence -----------------------------------------------------------
    def text_evidence(self, iso3: str, year: int | None = None, limit: int = 40) -> list[dict]:
        name = self.first_table(EVIDENCE_TABLES)
        if not name:
            raise NotComputed(EVIDENCE_TABLES[0])
        df = self.table(name)
        sel = df[df["iso3"] == iso3] if "iso3" in df else df.iloc[0:0]
        if year is not None and "year" in sel and not sel.empty:
            yrs = sel["year"].dropna()
            # The latest year with evidence at or before the asked-for year.
            yrs = yrs[yrs <= year]
            if not yrs.empty:
                sel = sel[sel["year"] == yrs.max()]
        if "weight" in sel:
            sel = sel.reindex(sel["weight"].abs().sort_values(ascending=False).index)
        return records(sel.head(limit))

    def arrangements(self, iso3: str) -> list[dict]:
        name = self.first_table(ARRANGEMENT_TABLES)
        if not name:
            raise NotComputed(ARRANGEMENT_TABLES[0])
        df = self.table(name)
        mask = pd.Series(False, index=df.index)
        for col in ("iso3", "member", "iso3_a", "iso3_b", "party"):
            if col in df:
                mask |= df[col] == iso3
        if "members" in df:
            mask |= df["members"].astype(str).str.contains(rf"\b{iso3}\b", regex=True)
        sel = df[mask]
        sort = [c for c in ("joined", "start_year", "year", "start") if c in sel]
        return records(sel.sort_values(sort[0]) if sort else sel)

    def vote_splits(self, iso3: str, year: int | None = None, limit: int = 15) -> dict[str, Any]:
        """Roll calls of a year where the state voted differently from CHN or from USA.

        Only yes/no/abstain votes count; absences and non-membership are not a split.
        """
        if self.store is None or not self.has("roll_calls"):
            raise NotComputed("votes")

        def build() -> dict[str, Any]:
            rc = self.table("roll_calls")
            y = year
            if y is None:
                y = int(rc["year"].max())
            with self._lock:
                v = self.store.votes(countries=[iso3, "CHN", "USA"], years=(y, y))
            v = v[v["vote"].isin(["yes", "no", "abstain"])]
            wide = v.pivot_table(index="rcid", columns="iso3", values="vote", aggfunc="first")
            out: dict[str, Any] = {"year": y, "n_roll_calls": 0, "split_from_CHN": [], "split_from_USA": []}
            if iso3 not in wide:
                return out
            wide = wide[wide[iso3].notna()]
            out["n_roll_calls"] = int(len(wide))
            meta = rc.set_index("rcid")
            keep = [c for c in ("date", "resolution", "short", "descr") if c in meta]
            for other in ("CHN", "USA"):
                if other == iso3 or other not in wide:
                    continue
                both = wide[wide[other].notna()]
                split = both[both[iso3] != both[other]]
                rows = []
                for rcid, r in split.head(limit).iterrows():
                    m = meta.loc[rcid] if rcid in meta.index else None
                    row = {"rcid": int(rcid), "vote": r[iso3], "CHN": r.get("CHN"), "USA": r.get("USA")}
                    if m is not None:
                        row.update({k: m[k] if not isinstance(m, pd.DataFrame) else m[k].iloc[0] for k in keep})
                    rows.append(row)
                out[f"split_from_{other}"] = json_safe(rows)
                out[f"n_split_from_{other}"] = int(len(split))
                out[f"n_shared_with_{other}"] = int(len(both))
            return out

        return self.memo(("splits", iso3, year, limit), build)

    def compare(self, codes: list[str], axis: str, stream: str) -> dict[str, list[dict]]:
        df = self.positions(stream)
        out = {}
        for c in codes:
            sel = df[(df["iso3"] == c) & (df["axis"] == axis)].sort_values("year")
            out[c] = records(sel[[k for k in ("year", "position", "lo", "hi", "n") if k in sel]])
        return out

    def export(self, name: str) -> pd.DataFrame:
        """A table for download; only names in :meth:`downloadable` are allowed."""
        if name not in self.downloadable():
            raise NotComputed(name)
        if name == "countries" and not self.has("countries"):
            return self.registry()
        return self.table(name)


def position_value(row: dict | None) -> float | None:
    return _num(row.get("position")) if row else None
