"""Plots for the Python API: ``ow.plot.country(store, "Philippines")`` returns a matplotlib figure.

>>> import orderwatch as ow                           # doctest: +SKIP
>>> fig = ow.plot.country(ow.open(), "Philippines")   # doctest: +SKIP
>>> fig.savefig("phl.png")                            # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any, Sequence

import pandas as pd

#: The dashboard's colours (present/charts.py), so a figure looks the same everywhere.
COLOURS = {"combined": "#222222", "words": "#7b3294", "votes": "#e08214", "institutions": "#1b7837",
           "practice": "#2b8cbe"}
AXIS_TITLES = {"overall": "Overall", "A1": "A1 security logic", "A2": "A2 who orders the region",
               "A3": "A3 blocs or community"}


def _positions(store: Any) -> pd.DataFrame:
    from orderwatch.errors import OrderwatchError

    if not store.has_table("positions"):
        raise OrderwatchError("no combined positions in the store; run `orderwatch build`")
    return store.table("positions")


def country(store: Any, country: str, axes: Sequence[str] = ("overall", "A1", "A2", "A3"),
            years: tuple[int, int] | None = None, streams: bool = True):
    """A state's positions over time: one panel per axis on a shared year axis.

    Parameters
    ----------
    store : orderwatch.store.Store
        An open store (``ow.open()``).
    country : str
        ISO3, ISO2, COW code or name in English or Chinese (``"PHL"``, ``"Philippines"``, ``"菲律宾"``).
    axes : sequence of str
        Which axes to draw, one panel each.
    years : (int, int), optional
        The x range; default the years with any evidence.
    streams : bool
        Draw each stream's own position beside the combined one.

    Returns
    -------
    matplotlib.figure.Figure
        Combined position (black, with its 95% band) and the streams, −1 (China's GSI
        pole) at the bottom, +1 (the US pole) at the top. Years without evidence are
        gaps, never zeros.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from orderwatch import countries as reg

    iso3 = reg.to_iso3(country)
    pos = _positions(store)
    mine = pos[(pos["iso3"] == iso3) & pos["axis"].isin(list(axes))].sort_values("year")
    have = mine[mine["position"].notna()]
    if years is None:
        years = (int(have["year"].min()), int(have["year"].max())) if len(have) else (1990, 2025)
    stream_cols = [s for s in ("words", "votes", "institutions", "practice") if s in mine.columns]
    fig, panels = plt.subplots(len(axes), 1, figsize=(8, 2.1 * len(axes) + 0.6), sharex=True, squeeze=False)
    for ax, axis in zip(panels[:, 0], axes):
        sub = mine[mine["axis"] == axis].set_index("year").reindex(range(years[0], years[1] + 1))
        ax.fill_between(sub.index, sub["lo"], sub["hi"], color=COLOURS["combined"], alpha=0.12, linewidth=0,
                        label="95% interval")
        ax.plot(sub.index, sub["position"], color=COLOURS["combined"], linewidth=2, label="combined")
        if streams:
            for s in stream_cols:
                ax.plot(sub.index, sub[s], color=COLOURS[s], linewidth=1, alpha=0.85, label=s)
        ax.axhline(0, color="#999", linewidth=0.6)
        ax.set_ylim(-1.05, 1.05)
        ax.set_yticks([-1, 0, 1], ["−1 GSI", "0", "+1 US"])
        ax.set_title(AXIS_TITLES.get(axis, axis), loc="left", fontsize=10)
    panels[-1, 0].set_xlim(years[0] - 0.5, years[1] + 0.5)
    handles, labels = panels[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), frameon=False, fontsize=8)
    name = reg.name(iso3) if iso3 in set(reg.registry()["iso3"]) else iso3
    fig.suptitle(f"{name} ({iso3}): position between China's GSI (−1) and the US order (+1)", fontsize=11)
    fig.tight_layout(rect=(0, 0.05, 1, 0.97))
    return fig
