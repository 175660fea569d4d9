"""Publication rules: which combined figures orderwatch shows, and which years are final.

A combined figure is computed wherever any stream has evidence, but it is *published*
(``position``, ``lo``, ``hi`` filled, ``published`` true) only where the evidence can
carry it. The unpublished value stays in ``position_raw`` for the methods page and the
``publication`` column says which rule held it back:

``single_weak_stream``
    One stream only, and it rests on fewer units of evidence than :data:`MIN_EVIDENCE`
    (e.g. Afghanistan 2024: one institutional tie, no votes, no speech).
``axis_single_stream``
    An axis (A1, A2, A3) figure needs at least two streams with evidence on that axis
    (each with at least :data:`MIN_AXIS_EVIDENCE` units); one stream's subset of roll
    calls or frames is not enough to place a state on an axis.
``axis_not_validated``
    The axis is not in :data:`PUBLISHED_AXES`: its figures did not pass the validity
    checks (docs/synthesis.md, ``orderwatch validate``), so none is published.
``contested_seat``
    The state-year's UN evidence comes from a contested seat (see
    :mod:`orderwatch.votes.contested`): votes and General Debate speeches are not
    attributed to the government in power; the figure rests on the other streams only.
    This is a flag, not a reason to withhold (``contested_seat`` column).

A *year* is ``provisional`` when the evidence for it is thin across the board: fewer than
:data:`MIN_YEAR_ROLL_CALLS` recorded votes in the General Assembly that calendar year, or
no General Debate speech scored yet (while the words stream exists). Provisional figures
are published with the flag, but never chosen as the default "latest" year
(:func:`default_year`).
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from orderwatch.votes.contested import contested_years

#: Units of evidence a stream needs before a combined figure may rest on it alone:
#: roll calls with the state's vote (votes), scored sentences or passages (words),
#: arrangements (institutions), recorded acts (practice).
MIN_EVIDENCE: dict[str, int] = {"votes": 20, "words": 10, "institutions": 3, "practice": 3}
#: Units of axis-specific evidence for a stream to count towards an axis figure.
MIN_AXIS_EVIDENCE: dict[str, int] = {"votes": 5, "words": 3, "institutions": 1, "practice": 1}
#: Axes whose figures are published: an axis is published when its Spearman rho with the
#: ISEAS forced choice reaches 0.6 under the default model (``orderwatch validate``;
#: docs/synthesis.md). None of A1, A2, A3 did, so only the overall figure is published.
PUBLISHED_AXES: tuple[str, ...] = ("overall",)
#: A calendar year with fewer recorded General Assembly votes than this is provisional.
MIN_YEAR_ROLL_CALLS = 50

#: Streams whose evidence is cast from the UN seat (votes; General Debate speeches).
UN_SEAT_STREAMS = ("votes", "words")


def contested_cells(frame: pd.DataFrame) -> np.ndarray:
    """True for state-years whose UN seat is contested (from the year power changed hands)."""
    out = np.zeros(len(frame), dtype=bool)
    for iso, year in contested_years().items():
        out |= ((frame["iso3"] == iso) & (frame["year"] >= year)).to_numpy()
    return out


def mask_contested(wide: pd.DataFrame) -> pd.DataFrame:
    """Drop UN-seat evidence (votes, speeches) of contested state-years from a wide table.

    The votes stream already drops votes cast after the change of power; this also
    covers the speeches and any stream table built before the rule. The year of the
    change keeps the votes cast before it (the votes stream decides that by date), so
    only later years lose their votes here.
    """
    out = wide.copy()
    first = contested_years()
    for stream in UN_SEAT_STREAMS:
        if stream not in out.columns:
            continue
        for iso, year in first.items():
            later = year if stream == "words" else year + 1
            rows = (out["iso3"] == iso) & (out["year"] >= later)
            for suffix in ("", "_lo", "_hi", "_n"):
                if f"{stream}{suffix}" in out.columns:
                    out.loc[rows, f"{stream}{suffix}"] = np.nan
            if f"{stream}_method" in out.columns:
                out.loc[rows, f"{stream}_method"] = None
    return out


def year_evidence(tables: Mapping[str, pd.DataFrame | None]) -> pd.DataFrame:
    """Per calendar year: recorded votes, states with a speech, and ``provisional``.

    Roll calls per year are the largest ``n`` of any state's overall votes figure (the
    number of roll calls with that state's vote). A stream table that is absent altogether
    does not make a year provisional; a stream that exists but has nothing for the year does.
    """
    votes, words = tables.get("votes"), tables.get("words")
    years: set[int] = set()
    for t in (votes, words):
        if t is not None and len(t):
            years |= set(pd.to_numeric(t["year"]).astype(int))
    out = pd.DataFrame({"year": sorted(years)})
    if votes is not None and len(votes):
        v = votes[(votes["axis"] == "overall") & votes["position"].notna()]
        rc = pd.to_numeric(v["n"], errors="coerce").groupby(v["year"].astype(int)).max()
        out["roll_calls"] = out["year"].map(rc).fillna(0).astype(int)
    else:
        out["roll_calls"] = np.nan
    if words is not None and len(words):
        w = words[words["position"].notna()]
        sp = w.groupby(w["year"].astype(int))["iso3"].nunique()
        out["speech_states"] = out["year"].map(sp).fillna(0).astype(int)
    else:
        out["speech_states"] = np.nan
    thin_votes = out["roll_calls"].notna() & (out["roll_calls"] < MIN_YEAR_ROLL_CALLS)
    no_speech = out["speech_states"].notna() & (out["speech_states"] == 0)
    out["provisional"] = thin_votes | no_speech
    out["why"] = [";".join(w for w, flag in (("few_roll_calls", a), ("no_speech", b)) if flag)
                  for a, b in zip(thin_votes, no_speech)]
    return out


def _evidence(frame: pd.DataFrame, stream: str, minimum: Mapping[str, int]) -> np.ndarray:
    """Whether a stream has a position resting on at least the minimum units."""
    if stream not in frame.columns:
        return np.zeros(len(frame), dtype=bool)
    has = pd.to_numeric(frame[stream], errors="coerce").notna().to_numpy()
    n = pd.to_numeric(frame.get(f"{stream}_n"), errors="coerce").to_numpy(float) \
        if f"{stream}_n" in frame.columns else np.full(len(frame), np.nan)
    # A stream row without n cannot show its evidence; it counts as present but weak.
    return has & (np.nan_to_num(n, nan=0.0) >= minimum.get(stream, 1))


def apply_rules(positions: pd.DataFrame, streams: tuple[str, ...],
                tables: Mapping[str, pd.DataFrame | None] | None = None,
                published_axes: tuple[str, ...] = PUBLISHED_AXES) -> pd.DataFrame:
    """Add ``published, publication, provisional, contested_seat, position_raw`` and
    withhold the figures the rules do not allow (position/lo/hi/se become NaN).

    Parameters
    ----------
    positions : the combined positions (per-stream columns ``<stream>`` and ``<stream>_n``)
    streams : the stream names that count
    tables : the stream tables (for the year evidence); None skips ``provisional``
    published_axes : axes whose figures may be published at all
    """
    out = positions.copy()
    out["position_raw"] = out["position"]
    present = np.column_stack([pd.to_numeric(out[s], errors="coerce").notna().to_numpy()
                               for s in streams]) if len(out) else np.zeros((0, len(streams)), bool)
    strong = np.column_stack([_evidence(out, s, MIN_EVIDENCE) for s in streams]) \
        if len(out) else present
    axis_ok = np.column_stack([_evidence(out, s, MIN_AXIS_EVIDENCE) for s in streams]) \
        if len(out) else present
    has_value = out["position"].notna().to_numpy()
    is_axis = (out["axis"] != "overall").to_numpy()
    reason = np.full(len(out), "", dtype=object)
    single_weak = has_value & (present.sum(axis=1) == 1) & ~strong.any(axis=1)
    reason[single_weak] = "single_weak_stream"
    axis_single = has_value & is_axis & (axis_ok.sum(axis=1) < 2) & (reason == "")
    reason[axis_single] = "axis_single_stream"
    not_valid = has_value & ~out["axis"].isin(published_axes).to_numpy() & (reason == "")
    reason[not_valid] = "axis_not_validated"
    withheld = reason != ""
    for col in ("position", "lo", "hi", "se"):
        if col in out.columns:
            out.loc[withheld, col] = np.nan
    out["published"] = has_value & ~withheld
    out["publication"] = reason
    out["contested_seat"] = contested_cells(out)
    if tables is not None:
        ev = year_evidence(tables)
        provisional_years = set(ev.loc[ev["provisional"].astype(bool), "year"])
        out["provisional"] = out["year"].isin(provisional_years)
    else:
        out["provisional"] = False
    return out


def default_year(positions: pd.DataFrame, axis: str = "overall", coverage: float = 0.9) -> int | None:
    """The default "latest" year: the newest non-provisional year in which nearly as many
    states have a published figure as in the best-covered year (``coverage`` of it).

    Returns None when nothing is published.
    """
    sel = positions[(positions["axis"] == axis) & positions["position"].notna()]
    if "published" in sel.columns:
        sel = sel[sel["published"].astype(bool)]
    if "provisional" in sel.columns:
        sel = sel[~sel["provisional"].astype(bool)]
    if sel.empty:
        return None
    counts = sel.groupby("year")["iso3"].nunique()
    good = counts[counts >= coverage * counts.max()]
    return int(good.index.max())
