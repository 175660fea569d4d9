"""Country-year positions on the seed's three axes and overall: per stream and combined.

:func:`combined_positions` is the one entry point: it takes the three stream tables,
the country registry and the user's weights, and returns one row for every Asian state
and reference power, every year and every axis, whether or not there is evidence. Rows
without evidence carry NaN (never 0) and a ``notes`` column says why a stream is
missing where the reason is known:

* ``votes:not_un_member`` -- the state was not a UN member that year (no roll calls);
* ``votes:undl_source`` -- from 2020 the votes come from the UN Digital Library, which
  holds adopted resolutions with a recorded vote only (no amendment or paragraph
  votes), unlike Voeten's data up to 2019: compare across the 2019/2020 seam with care;
* ``words:no_speech`` -- no General Debate speech (or other text) scored that year;
* ``institutions:none`` -- no arrangement-based position that year;
* ``practice:none`` -- no practice-based position that year (only when the practice
  stream exists);
* ``contested_seat`` -- the UN seat is contested that year (votes and speeches are not
  attributed to the government in power; :mod:`orderwatch.votes.contested`).

The publication rules (:mod:`orderwatch.synthesis.publish`) then decide which figures are
shown: ``published``, ``publication`` (why not), ``provisional`` (thin year),
``position_raw`` (the value before the rules).
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from orderwatch.synthesis.combine import KEYS, combine, full_grid, stream_wide, z_value
from orderwatch.synthesis.publish import apply_rules, contested_cells, mask_contested
from orderwatch.synthesis.weights import AXES, STREAMS, format_weights, validate_weights

#: The period the issue asks for.
DEFAULT_YEARS = (1990, 2025)
# A year counts as "complete" for default views when its placed states have, on average,
# at least this many streams (the newest year usually lacks speeches).
COMPLETE_MEAN_STREAMS = 2.5

#: Combination models: ``index`` (weighted mean, user weights) and ``latent`` (the
#: dynamic measurement model of :mod:`orderwatch.synthesis.latent`).
MODELS = ("index", "latent")
#: The model of the stored ``positions`` table (chosen on the validity criteria:
#: docs/synthesis.md).
DEFAULT_MODEL = "latent"

#: First year of the UN Digital Library vote source (the seam in the votes stream).
UNDL_FIRST_YEAR = 2020


def universe(countries: pd.DataFrame | None, tables: Mapping[str, pd.DataFrame | None]) -> list[str]:
    """Asian states and reference powers from the registry, plus any state a stream scored.

    Without a registry, the states are those present in any stream table.
    """
    states: set[str] = set()
    if countries is not None and len(countries):
        mask = countries.get("is_asian", pd.Series(False, index=countries.index)).fillna(False).astype(bool)
        if "is_reference" in countries.columns:
            mask |= countries["is_reference"].fillna(False).astype(bool)
        if "group" in countries.columns:
            mask |= countries["group"].isin(["reference", "oceania_partner"])
        if "historical" in countries.columns:
            mask &= ~countries["historical"].fillna(False).astype(bool)
        states |= set(countries.loc[mask, "iso3"].dropna())
    for table in tables.values():
        if table is not None and len(table) and not states:
            states |= set(table["iso3"].dropna())
    return sorted(states)


def _member_years(countries: pd.DataFrame | None) -> dict[str, tuple[float, float]]:
    """UN membership span per state (first year, last year; inf when still a member)."""
    if countries is None or "un_member_from" not in getattr(countries, "columns", []):
        return {}
    out = {}
    for row in countries.itertuples(index=False):
        start = _year(getattr(row, "un_member_from", None))
        end = _year(getattr(row, "un_member_to", None))
        out[row.iso3] = (np.inf if start is None else start, np.inf if end is None else end)
    return out


def _year(value) -> float | None:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    if hasattr(value, "year"):
        return float(value.year)
    try:
        return float(str(value)[:4])
    except ValueError:
        return None


def _notes(frame: pd.DataFrame, members: dict[str, tuple[float, float]]) -> list[str]:
    notes = []
    iso = frame["iso3"].to_numpy()
    yr = frame["year"].to_numpy()
    has = {s: frame[s].notna().to_numpy() for s in STREAMS}
    contested = contested_cells(frame)
    practice_exists = bool(has["practice"].any())
    for i in range(len(frame)):
        items = []
        if not has["votes"][i]:
            span = members.get(iso[i])
            if span is not None and not (span[0] <= yr[i] <= span[1]):
                items.append("votes:not_un_member")
            else:
                items.append("votes:none")
        elif yr[i] >= UNDL_FIRST_YEAR:
            items.append("votes:undl_source")
        if not has["words"][i]:
            items.append("words:no_speech")
        if not has["institutions"][i]:
            items.append("institutions:none")
        if practice_exists and not has["practice"][i]:
            items.append("practice:none")
        if contested[i]:
            items.append("contested_seat")
        notes.append(";".join(items))
    return notes


def overall_from_axes(frame: pd.DataFrame, axes: Sequence[str], level: float = 0.95) -> pd.DataFrame:
    """Replace the ``overall`` rows by the mean of the chosen axes' combined positions.

    Used when the user restricts which issue areas count (e.g. only A2, law of the sea
    and non-interference). The mean is over the axes with a position; its standard error
    treats the axes as independent, :math:`\\sqrt{\\sum s_a^2}/k`.
    """
    axes = [a for a in axes if a != "overall"]
    bad = sorted(set(axes) - set(AXES))
    if bad or not axes:
        from orderwatch.synthesis.weights import WeightsError

        raise WeightsError(f"axes must be among A1, A2, A3; got {', '.join(bad) or 'none'}")
    sub = frame[frame["axis"].isin(axes)]
    agg = sub.groupby(["iso3", "year"]).agg(
        position=("position", "mean"),
        k=("position", "count"),
        ss=("se", lambda s: float(np.nansum(np.square(s))) if s.notna().any() else np.nan),
    )
    agg["se"] = np.sqrt(agg["ss"]) / agg["k"].where(agg["k"] > 0)
    z = z_value(level)
    rest = frame[frame["axis"] != "overall"]
    over = frame[frame["axis"] == "overall"].set_index(["iso3", "year"]).copy()
    joined = agg.reindex(over.index)
    over["position"] = joined["position"].where(joined["k"] > 0)
    over["se"] = joined["se"]
    over["lo"] = np.clip(over["position"] - z * over["se"], -1, 1)
    over["hi"] = np.clip(over["position"] + z * over["se"], -1, 1)
    over["overall_axes"] = ",".join(axes)
    return pd.concat([rest, over.reset_index()], ignore_index=True).sort_values(KEYS, ignore_index=True)


def combined_positions(
    tables: Mapping[str, pd.DataFrame | None],
    countries: pd.DataFrame | None = None,
    weights: Mapping[str, float] | None = None,
    years: tuple[int, int] = DEFAULT_YEARS,
    streams: Sequence[str] | None = None,
    overall_axes: Sequence[str] | None = None,
    methods: Mapping[str, str] | None = None,
    level: float = 0.95,
    full: bool = True,
    rules: bool = True,
    model: str = "index",
) -> pd.DataFrame:
    """Combined positions for every state, year and axis, with per-stream columns.

    Parameters
    ----------
    tables : mapping stream -> positions DataFrame (words, votes, institutions, practice)
    countries : the registry table (for the universe of states and UN membership)
    weights : stream weights (>= 0, not all 0); None = equal
    years : inclusive year range
    streams : streams that count (others get weight 0); None = all
    overall_axes : if given, ``overall`` is the mean of these axes instead of the
        streams' own overall figures (the "issue subsets" of a scenario)
    methods : which method to use per stream when a table holds several
    level : interval level
    full : include rows without any evidence (NaN), so that missing is visible
    model : ``index`` (weighted mean with ``weights``) or ``latent`` (the measurement
        model: it learns each stream's weight; ``weights``/``streams`` then only say which
        streams count, a weight of 0 leaving a stream out)
    rules : apply the publication rules (:mod:`orderwatch.synthesis.publish`): withheld
        figures become NaN with the reason in ``publication``; ``published``,
        ``provisional``, ``contested_seat`` and ``position_raw`` are added either way

    Returns
    -------
    DataFrame
        ``iso3, year, axis, position, lo, hi, se, n_streams, streams, words, votes,
        institutions`` (and their ``_lo, _hi, _n, _method``), ``w_<stream>``,
        ``weights`` (the user's weights as text) and ``notes``.
    """
    w = validate_weights(weights)
    if streams is not None:
        unknown = sorted(set(streams) - set(STREAMS))
        if unknown:
            from orderwatch.synthesis.weights import WeightsError

            raise WeightsError(f"unknown stream(s) {', '.join(unknown)}; use {', '.join(STREAMS)}")
        w = validate_weights({s: (w[s] if s in streams else 0.0) for s in STREAMS})
    y0, y1 = int(years[0]), int(years[1])
    wide = stream_wide(tables, methods)
    wide = mask_contested(wide[(wide["year"] >= y0) & (wide["year"] <= y1) & wide["axis"].isin(AXES)])
    if full:
        states = universe(countries, tables)
        grid = full_grid(states, range(y0, y1 + 1))
        wide = grid.merge(wide, on=KEYS, how="outer")
    counted = tuple(s for s in STREAMS if w[s] > 0)
    if model == "latent":
        from orderwatch.synthesis.latent import latent_combine

        out, reliability = latent_combine(wide, counted, level=level)
        for s in STREAMS:
            if f"w_{s}" not in out.columns:
                out[f"w_{s}"] = 0.0
    elif model == "index":
        out = combine(wide, w, level=level)
    else:
        from orderwatch.synthesis.weights import WeightsError

        raise WeightsError(f"model must be one of {', '.join(MODELS)}, got {model!r}")
    out["model"] = model
    out["weights"] = format_weights(w)
    out["notes"] = _notes(out, _member_years(countries))
    if rules:
        out = apply_rules(out, counted, tables)
    if overall_axes:
        out = overall_from_axes(out, overall_axes, level=level)
    cols = ["iso3", "year", "axis", "position", "lo", "hi", "se", "n_streams", "streams"]
    rest = [c for c in out.columns if c not in cols]
    result = out[cols + rest].sort_values(KEYS, ignore_index=True)
    if model == "latent":
        result.attrs["reliability"] = reliability   # the fit behind the figures (methods page)
    return result


def profile_wide(positions: pd.DataFrame) -> pd.DataFrame:
    """One row per state-year with ``overall, A1, A2, A3`` side by side (for listings)."""
    piv = positions.pivot_table(index=["iso3", "year"], columns="axis", values="position", dropna=False)
    return piv.reindex(columns=list(AXES)).reset_index()
