"""Arms imports: where a state's major conventional arms came from, as a position.

For recipient r and year t the window is the five years t-4..t, cut at a regime break
(breaks.py: the Taliban's Afghanistan is not credited with the Republic's imports). With TIV delivered in the
window from the US (U; plus its treaty allies when ``allies_with_us``), from China's pole
(G: China, plus Russia when ``russia_with_china``) and in total (T, every supplier),

    position = (U - G) / T        in [-1, 1], +1 = all from the US,

so deliveries from Russia (by default), from US treaty allies such as France, South Korea
or Turkey (by default: a supplier's alignment is its own, blocs.py), Israel, Ukraine or
anyone else pull a state toward 0 ("between"). Null when T = 0: a state that imported nothing in the window gives no
evidence, not a neutral one.

Why five years: deliveries are lumpy (one frigate or squadron can be most of a decade's
imports), a deal's deliveries often span several years, and SIPRI itself uses a five-year
moving average for this reason (Wezeman & Wezeman 2015). Why bootstrap deals: the unit of
evidence is the deal; resampling deals (B = 500, seeded per state-year) shows how much the
figure rests on one or two big contracts. Because resampling cannot show suppliers the window lacks, the interval is
never narrower than position ± 3/n (rule of three; ``blocs.widen``), so a state with two
small deals gets a wide interval, not a confident one.

References
----------
SIPRI Arms Transfers Database, Stockholm International Peace Research Institute, 2025.
Wezeman, P. D. & Wezeman, S. T. (2015). Trends in International Arms Transfers, 2014.
SIPRI Fact Sheet, March 2015 (SIPRI uses a five-year moving average because deliveries
fluctuate significantly from year to year).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from orderwatch.practice.blocs import SUPPLIER_BLOCS, gsi_poles, pole_series, us_poles, widen
from orderwatch.practice.breaks import window_start

WINDOW = 5
YEARS = (1955, 2024)  # deliveries of 2025 were incomplete when SIPRI generated the register
N_BOOT = 500
LEVEL = 0.95
METHOD = "tiv_share_5y"


def deal_years(deals: pd.DataFrame) -> pd.DataFrame:
    """One row per deal and delivery year with its TIV and the supplier's pole that year."""
    parts = deals.tiv_by_year.str.split(";")
    dy = deals[["deal_id", "recipient_iso3", "supplier", "supplier_iso3"]].assign(part=parts).explode("part")
    yv = dy.pop("part").str.split(":", expand=True)
    dy["year"] = yv[0].astype("int64")
    dy["tiv"] = yv[1].astype(float)
    dy["pole"] = pole_series(dy.supplier_iso3, dy.year, dy.supplier)
    return dy.reset_index(drop=True)


@dataclass
class ArmsPositions:
    """Per state-year shares, positions and intervals (``table``) and the options used."""

    table: pd.DataFrame
    window: int
    russia_with_china: bool
    allies_with_us: bool = False


def rng_for(random_state: int, iso3: str, year: int) -> np.random.Generator:
    """One random stream per state-year: an interval does not depend on which other states
    or years were computed in the same run (the CLI recomputes one state and agrees)."""
    return np.random.default_rng([random_state, zlib.crc32(iso3.encode()), year])


def arms_positions(dy: pd.DataFrame, state_years: pd.DataFrame, *, window: int = WINDOW,
                   russia_with_china: bool = False, allies_with_us: bool = False, n_boot: int = N_BOOT,
                   random_state: int = 0, level: float = LEVEL) -> ArmsPositions:
    """Shares and positions for every (iso3, year) in ``state_years``.

    Parameters
    ----------
    dy : DataFrame
        ``deal_years(deals)``. Deals SIPRI values below 0.5m TIV ('0') add nothing and
        are not counted in ``n``.
    state_years : DataFrame
        iso3, year: the grid to report on (the state existed that year).
    window : int
        Years in the moving window ending at ``year``.
    russia_with_china : bool
        Count Russian (and Soviet) deliveries on China's pole.
    allies_with_us : bool
        Count deliveries from US treaty allies (NATO, Japan, South Korea, Australia, ...)
        on the US side, as before 7 Dec 2026; by default they are neutral (blocs.py).
    n_boot, random_state, level
        Bootstrap replicates (0: point estimates only), seed, interval level.
    """
    if window < 1:
        raise ValueError(f"window must be at least 1 year, not {window}")
    gsi, usp = gsi_poles(russia_with_china), us_poles(allies_with_us)
    a = (1 - level) / 2
    rows = []
    by_state = dict(tuple(dy.groupby("recipient_iso3")))
    for iso3, years in state_years.groupby("iso3").year:
        years = sorted(int(y) for y in years)
        d = by_state.get(iso3)
        if d is None:
            rows += [{"iso3": iso3, "year": y, "window_start": window_start(iso3, y, window), "tiv_total": 0.0,
                      "n": 0} for y in years]
            continue
        # deal x year matrices of TIV per pole, summed over the window by a cumulative sum
        deal_codes, deal_idx = np.unique(d.deal_id.to_numpy(), return_inverse=True)
        y0, y1 = min(years[0], int(d.year.min())) - window, max(years[-1], int(d.year.max()))
        col = d.year.to_numpy() - y0
        cube = np.zeros((len(SUPPLIER_BLOCS), len(deal_codes), y1 - y0 + 1))
        for k, p in enumerate(SUPPLIER_BLOCS):
            m = (d.pole == p).to_numpy()
            np.add.at(cube[k], (deal_idx[m], col[m]), d.tiv.to_numpy()[m])
        csum = np.concatenate([np.zeros(cube.shape[:2] + (1,)), cube.cumsum(axis=2)], axis=2)
        sign = np.array([1.0 if p in usp else -1.0 if p in gsi else 0.0 for p in SUPPLIER_BLOCS])
        for y in years:
            start = window_start(iso3, y, window)  # y - window + 1, or the first year of a new regime
            win = csum[:, :, y - y0 + 1] - csum[:, :, start - y0]  # (pole, deal) TIV in start..y
            t = win.sum(axis=0)
            keep = t > 1e-12
            row = {"iso3": iso3, "year": y, "window_start": start, "tiv_total": float(t.sum()),
                   "n": int(keep.sum()),
                   **{f"tiv_{p}": float(win[k].sum()) for k, p in enumerate(SUPPLIER_BLOCS)}}
            if keep.any():
                t, s = t[keep], (sign @ win)[keep]
                row["position"] = float(s.sum() / t.sum())
                if n_boot > 0:
                    idx = rng_for(random_state, iso3, y).integers(0, len(t), size=(n_boot, len(t)))
                    boot = s[idx].sum(axis=1) / t[idx].sum(axis=1)
                    row["lo"], row["hi"] = widen(row["position"], np.quantile(boot, [a, 1 - a]), len(t))
            rows.append(row)
    table = pd.DataFrame(rows)
    tiv_cols = [f"tiv_{p}" for p in SUPPLIER_BLOCS]
    for col in (*tiv_cols, "position", "lo", "hi"):
        if col not in table:
            table[col] = np.nan
    table[tiv_cols] = table[tiv_cols].fillna(0.0)
    for p in SUPPLIER_BLOCS:
        table[f"share_{p}"] = (table[f"tiv_{p}"] / table.tiv_total).where(table.tiv_total > 0)
    table["n"] = table.n.astype("int64")
    table["method"] = METHOD if window == WINDOW else f"tiv_share_{window}y"
    table["russia_with_china"] = russia_with_china
    table["allies_with_us"] = allies_with_us
    cols = ["iso3", "year", "window_start", "position", "lo", "hi", "n", "tiv_total", *tiv_cols,
            *[f"share_{p}" for p in SUPPLIER_BLOCS], "method", "russia_with_china", "allies_with_us"]
    return ArmsPositions(table[cols], window, russia_with_china, allies_with_us)


def window_deals(deals: pd.DataFrame, dy: pd.DataFrame, iso3: str, year: int, window: int = WINDOW) -> pd.DataFrame:
    """The deals behind one state-year's figure: every deal with a delivery in the window,
    its TIV inside the window and its supplier's pole, largest first."""
    w = dy[(dy.recipient_iso3 == iso3) & (dy.year >= window_start(iso3, year, window)) & (dy.year <= year)]
    in_window = w.groupby("deal_id").agg(tiv_in_window=("tiv", "sum"), pole=("pole", "last"))
    out = deals.set_index("deal_id").loc[in_window.index].join(in_window).reset_index()
    cols = ["deal_id", "supplier", "supplier_iso3", "pole", "weapon_description", "order_year", "first_delivery",
            "last_delivery", "tiv_delivered", "tiv_in_window", "tiv_by_year"]
    return out[cols].sort_values(["tiv_in_window", "deal_id"], ascending=[False, True]).reset_index(drop=True)
