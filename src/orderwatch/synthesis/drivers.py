"""Drivers of alignment: the seed's explanations as a panel analysis of positions.

The seed explains where Asian states stand by (i) economic dependence on China, (ii)
territorial disputes with China, (iii) US alliance membership and (iv) military
spending. :func:`driver_panel` assembles these for every state-year from the bundled
data and :func:`fit_drivers` estimates two linear panel models of the combined
position (US pole +1):

* ``two_way_fe``: country and year fixed effects, standard errors clustered by
  country. Identifies effects only from *changes within a state over time*; anything
  constant within a state over the sample (most alliance ties, most disputes) is
  absorbed by the country effect.
* ``pooled_year_fe``: year fixed effects only, clustered by country. Uses differences
  *between* states too, so it speaks to time-invariant factors -- but it is a
  cross-sectional association, open to every omitted state characteristic.

What the bundled data cannot identify is listed by :func:`identification_notes` and
printed with every result; see docs/synthesis.md.

Covariates and their sources
----------------------------
``china_trade_share``, ``us_trade_share``
    Mean of the export and import partner shares (per cent) with China / the US, WITS
    trade summaries (1988-2019). WITS reports a partner only when it is among the
    reporter's top five; otherwise the value is missing (it is *below* the fifth
    partner's share, not 0), so those state-years drop out.
``us_ally``
    1 if ATOP 5.1 codes a defence pledge between the state and the USA that year
    (coverage to 2018; missing after), else 0 (Leeds et al. 2002).
``dispute``
    1 if a territorial dispute with China is active (the cited table in
    ``territorial_disputes.yaml``).
``milex_gdp``
    Military expenditure as a share of GDP, per cent (SIPRI, 2000-2024).

References
----------
Wooldridge, J. M. (2010). *Econometric Analysis of Cross Section and Panel Data*, 2nd
ed. Cambridge, MA: MIT Press, ch. 10 (fixed effects) and 20.
Cameron, A. C. & Miller, D. L. (2015). A practitioner's guide to cluster-robust
inference. *Journal of Human Resources*, 50(2), 317-372.
Leeds, B. A., Ritter, J. M., Mitchell, S. M. & Long, A. G. (2002). Alliance Treaty
Obligations and Provisions, 1815-1944. *International Interactions*, 28, 237-260.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from orderwatch.synthesis.disputes import dispute_years

COVARIATES = ["china_trade_share", "us_trade_share", "us_ally", "dispute", "milex_gdp"]


def trade_shares(trade: pd.DataFrame) -> pd.DataFrame:
    """China and US partner shares (per cent) per reporter-year from the WITS summaries."""
    t = trade[trade["indicator"].astype(str).str.contains("share", case=False)].copy()
    t["partner"] = t["partner"].astype(str)
    t["key"] = np.where(t["partner"].str.contains("China"), "china_trade_share",
                        np.where(t["partner"].str.contains("United States"), "us_trade_share", None))
    t = t.dropna(subset=["key"])
    iso = "reporter_iso3" if "reporter_iso3" in t.columns else "iso3"
    wide = t.groupby([iso, "year", "key"])["value"].mean().unstack("key").reset_index()
    wide = wide.rename(columns={iso: "iso3"})
    for c in ("china_trade_share", "us_trade_share"):
        if c not in wide.columns:
            wide[c] = np.nan
    return wide[["iso3", "year", "china_trade_share", "us_trade_share"]]


def us_alliance(alliances: pd.DataFrame, states, years) -> pd.DataFrame:
    """``us_ally`` per state-year: 1 with an ATOP defence pledge with the USA, 0 without,
    NaN after the last ATOP year (no evidence is not 0)."""
    a = alliances
    col_a = "iso3_a" if "iso3_a" in a.columns else "iso3"
    col_b = "iso3_b" if "iso3_b" in a.columns else "partner"
    dcol = "defense" if "defense" in a.columns else "atop_defense"
    last = int(a["year"].max())
    pledged = a[(a[col_b] == "USA") & (a[dcol].fillna(0).astype(float) > 0)]
    pairs = set(zip(pledged[col_a], pledged["year"].astype(int)))
    rows = [{"iso3": s, "year": y, "us_ally": (float((s, y) in pairs) if y <= last else np.nan)}
            for s in states for y in years]
    return pd.DataFrame(rows)


def milex_share(milex: pd.DataFrame) -> pd.DataFrame:
    """Military expenditure as a share of GDP (per cent) per state-year from SIPRI."""
    m = milex[milex["measure"].astype(str).str.contains("share", case=False)]
    m = m.dropna(subset=["value"])
    out = m.groupby(["iso3", "year"])["value"].mean().reset_index()
    # SIPRI stores the share as a fraction; per cent reads more naturally in a table.
    out["milex_gdp"] = np.where(out["value"] <= 1.0, out["value"] * 100.0, out["value"])
    return out[["iso3", "year", "milex_gdp"]]


def driver_panel(
    positions: pd.DataFrame,
    trade: pd.DataFrame | None = None,
    milex: pd.DataFrame | None = None,
    alliances: pd.DataFrame | None = None,
    disputes: pd.DataFrame | None = None,
    axis: str = "overall",
) -> pd.DataFrame:
    """One row per state-year with the combined position and the covariates.

    Covariates whose source table is absent are NaN (and drop out of the models).
    China and the USA themselves are left out: they define the poles.
    """
    pos = positions[(positions["axis"] == axis)][["iso3", "year", "position"]].dropna()
    pos = pos[~pos["iso3"].isin(["CHN", "USA"])].copy()
    pos["year"] = pos["year"].astype(int)
    states = sorted(pos["iso3"].unique())
    years = range(int(pos["year"].min()), int(pos["year"].max()) + 1) if len(pos) else range(0)
    panel = pos
    if trade is not None and len(trade):
        panel = panel.merge(trade_shares(trade), on=["iso3", "year"], how="left")
    if alliances is not None and len(alliances):
        panel = panel.merge(us_alliance(alliances, states, years), on=["iso3", "year"], how="left")
    d = dispute_years(years, disputes)
    panel = panel.merge(d[["iso3", "year", "dispute"]], on=["iso3", "year"], how="left")
    # A state absent from the cited table has no recorded dispute with China.
    panel["dispute"] = panel["dispute"].fillna(0).astype(float)
    if milex is not None and len(milex):
        panel = panel.merge(milex_share(milex), on=["iso3", "year"], how="left")
    for c in COVARIATES:
        if c not in panel.columns:
            panel[c] = np.nan
    return panel.sort_values(["iso3", "year"], ignore_index=True)


def _usable(data: pd.DataFrame, covariates, within: bool) -> list[str]:
    """Covariates with variation (within states if ``within``); others cannot be estimated."""
    keep = []
    for c in covariates:
        x = data[c]
        if x.notna().sum() == 0 or x.nunique() < 2:
            continue
        if within and (data.groupby("iso3")[c].nunique() > 1).sum() == 0:
            continue
        keep.append(c)
    return keep


def fit_drivers(panel: pd.DataFrame, covariates=COVARIATES, min_obs: int = 20) -> tuple[pd.DataFrame, dict]:
    """Estimate the two panel models; return (coefficient table, model summary).

    Returns
    -------
    table : DataFrame
        ``model, term, coef, se, p, ci_lo, ci_hi, n_obs, n_countries``.
    info : dict
        Per model: ``n_obs, n_countries, years, r2, dropped`` (covariates that could not
        be estimated, with the reason), and ``notes`` (:func:`identification_notes`).
    """
    import statsmodels.formula.api as smf

    rows, info = [], {"notes": identification_notes(panel)}
    for model, fe, within in (("two_way_fe", "C(iso3) + C(year)", True),
                              ("pooled_year_fe", "C(year)", False)):
        data = panel.dropna(subset=["position"]).copy()
        cand = [c for c in covariates if data[c].notna().sum() >= min_obs]
        data = data.dropna(subset=cand)
        use = _usable(data, cand, within)
        dropped = {c: ("too few observations" if c not in cand else "no variation within states"
                       if within else "no variation") for c in covariates if c not in use}
        if not use or len(data) < min_obs or data["iso3"].nunique() < 3:
            info[model] = {"n_obs": int(len(data)), "n_countries": int(data["iso3"].nunique()),
                           "dropped": dropped, "estimated": False}
            continue
        fit = smf.ols(f"position ~ {' + '.join(use)} + {fe}", data=data).fit(
            cov_type="cluster", cov_kwds={"groups": pd.factorize(data["iso3"])[0]})
        ci = fit.conf_int()
        for c in use:
            rows.append({"model": model, "term": c, "coef": fit.params[c], "se": fit.bse[c],
                         "p": fit.pvalues[c], "ci_lo": ci.loc[c, 0], "ci_hi": ci.loc[c, 1],
                         "n_obs": int(fit.nobs), "n_countries": int(data["iso3"].nunique())})
        info[model] = {"n_obs": int(fit.nobs), "n_countries": int(data["iso3"].nunique()),
                       "years": [int(data["year"].min()), int(data["year"].max())],
                       "r2": float(fit.rsquared), "dropped": dropped, "estimated": True}
    cols = ["model", "term", "coef", "se", "p", "ci_lo", "ci_hi", "n_obs", "n_countries"]
    return pd.DataFrame(rows, columns=cols), info


def identification_notes(panel: pd.DataFrame) -> list[str]:
    """Plain statements of what these data cannot identify."""
    notes = [
        "Associations, not causes: alignment may drive trade, arms spending and alliances as much as they drive alignment (reverse causation), and no instrument is available in the bundled data.",
        "WITS reports China or the US only when it is a top-5 partner (1988-2019): smaller shares are missing, not 0, so the trade coefficients rest on states for which China or the US is a major partner.",
        "ATOP alliance data end in 2018 and alliance ties with the US barely change within states: under country fixed effects us_ally is (near) unidentified; the pooled model's coefficient is a between-state contrast.",
        "Territorial disputes change within states only at a settlement (1990-2025: KAZ 1998, KGZ 1999, TJK 2002 and RUS 2004 settle, IDN enters in 2010; VNM keeps its maritime dispute); their fixed-effects coefficient rests on those few changes.",
        "The panel covers at most the overlap of the covariates (about 2000-2018 when SIPRI, WITS and ATOP are all required) and roughly two dozen states; clustered standard errors with so few clusters are approximate.",
        "Positions are estimates with error; measurement error in the dependent variable widens intervals but errors shared across streams could bias coefficients.",
    ]
    return notes


def plot_drivers(table: pd.DataFrame, path) -> str:
    """Coefficient plot (point and 95% interval per model and term) saved to ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 0.5 + 0.45 * max(1, len(table))))
    labels = [f"{r.term} ({r.model})" for r in table.itertuples()]
    y = np.arange(len(table))
    ax.errorbar(table["coef"], y, xerr=[table["coef"] - table["ci_lo"], table["ci_hi"] - table["coef"]],
                fmt="o", color="black", ecolor="grey", capsize=3)
    ax.axvline(0, color="red", lw=0.8)
    ax.set_yticks(y, labels)
    ax.set_xlabel("effect on position (US pole +1, GSI pole -1)")
    ax.set_title("Drivers of alignment: panel estimates with 95% intervals")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return str(path)
