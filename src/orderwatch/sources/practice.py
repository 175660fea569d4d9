"""Security practice: SIPRI arms-transfer aggregates, US forces abroad, MME exercises.

Each reader returns one tidy, validated base table (see docs/practice.md). Validation
raises ``OrderwatchError`` naming the bundled file and the field that is wrong, so a
damaged or hand-edited file never reaches the store.

SIPRI's terms allow derived aggregates only: the bundled files hold TIV delivered per
recipient, supplier and year, and per recipient, supplier, weapon description and order
year, never the register (see scripts/vendor_practice.py). Cite "SIPRI Arms Transfers
Database, Stockholm International Peace Research Institute, 2025".
"""

from __future__ import annotations

import pandas as pd

from orderwatch import bundled
from orderwatch.errors import OrderwatchError

ISO3 = r"[A-Z]{3}"


def _check(name: str, ok: pd.Series | bool, field: str, what: str) -> None:
    ok = pd.Series([ok]) if isinstance(ok, bool) else ok
    if not bool(ok.all()):
        bad = int((~ok.astype(bool)).sum())
        raise OrderwatchError(f"bundled {bundled.record(name)['file']}: field {field!r}: {bad} rows {what}")


def _read(name: str) -> pd.DataFrame:
    df = bundled.read(name)
    want = bundled.record(name)["columns"]
    if list(df.columns) != want:
        raise OrderwatchError(f"bundled {bundled.record(name)['file']}: columns {list(df.columns)}, "
                              f"provenance says {want}")
    return df


def arms_deals() -> pd.DataFrame:
    """Deal aggregates: recipient_iso3, supplier (SIPRI name), supplier_iso3 (None for
    non-state or unknown suppliers), weapon_description, order_year, tiv_delivered
    (SIPRI TIV, millions), register_rows, tiv_by_year ('2017:56.8;2018:56.8'),
    first_delivery, last_delivery."""
    d = _read("sipri_arms_deals")
    _check("sipri_arms_deals", d.recipient_iso3.str.fullmatch(ISO3), "recipient_iso3", "are not ISO3")
    _check("sipri_arms_deals", d.tiv_delivered.ge(0), "tiv_delivered", "are negative or missing")
    _check("sipri_arms_deals", d.tiv_by_year.str.fullmatch(r"\d{4}:[0-9.e+-]+(;\d{4}:[0-9.e+-]+)*"),
           "tiv_by_year", "are not 'YYYY:TIV;YYYY:TIV...'")
    _check("sipri_arms_deals", d.first_delivery.le(d.last_delivery), "first_delivery", "come after last_delivery")
    out = d.copy()
    out["order_year"] = out.order_year.astype("Int64")
    out.insert(0, "deal_id", [f"{r}-{i:05d}" for i, r in enumerate(out.recipient_iso3)])
    return out


def arms_transfers() -> pd.DataFrame:
    """TIV delivered per recipient_iso3, supplier, supplier_iso3 and year."""
    t = _read("sipri_arms_tiv")
    _check("sipri_arms_tiv", t.recipient_iso3.str.fullmatch(ISO3), "recipient_iso3", "are not ISO3")
    _check("sipri_arms_tiv", t.tiv.ge(0), "tiv", "are negative or missing")
    _check("sipri_arms_tiv", t.year.between(1950, 2030), "year", "fall outside 1950-2030")
    return t.astype({"year": "int64"})


def us_troops() -> pd.DataFrame:
    """US active-duty personnel per host iso3 and year (DMDC), with the per-service counts."""
    t = _read("us_troops")
    _check("us_troops", t.iso3.str.fullmatch(ISO3), "iso3", "are not ISO3")
    _check("us_troops", t.troops_ad.ge(0), "troops_ad", "are negative or missing")
    _check("us_troops", ~t.duplicated(["iso3", "year"]), "iso3, year", "are duplicated")
    return t


def us_bases() -> pd.DataFrame:
    """US bases and lily-pad sites per host iso3 (an undated snapshot; Vine 2015)."""
    b = _read("us_bases")
    _check("us_bases", b.iso3.str.fullmatch(ISO3), "iso3", "are not ISO3")
    located = b.lat.notna() & b.lon.notna()  # a few sites have no coordinates in the source
    _check("us_bases", ~located | (b.lat.between(-90, 90) & b.lon.between(-180, 180)), "lat/lon",
           "are off the globe")
    return b


def exercise_participations() -> pd.DataFrame:
    """One row per state in an MME v7 exercise (1980-2010) that a covered state joined;
    iso3 is None for participants that are not states (e.g. 'NATO') or are uncoded."""
    e = _read("mme_exercises")
    _check("mme_exercises", e.mmeid.str.fullmatch(r"mme\d+"), "mmeid", "are not MME ids")
    _check("mme_exercises", e.year.between(1980, 2010), "year", "fall outside 1980-2010")
    return e


def state_years(states: list[str], years: tuple[int, int]) -> pd.DataFrame:
    """(iso3, year) for the years each state existed, from the Gleditsch-Ward panel
    (bundled 'gw_cow', to 2020; a state alive in 2020 is carried to ``years[1]``). States
    without a GW code (e.g. Palestine) have no rows."""
    from orderwatch import countries

    reg = countries.registry().set_index("iso3")
    panel = bundled.read("gw_cow", columns=["gwcode", "year"]).dropna()
    panel = panel.astype({"gwcode": "int64", "year": "int64"})
    last = int(panel.year.max())
    out = []
    for iso3 in states:
        gw = reg.at[iso3, "gw"] if iso3 in reg.index else None
        if gw is None or pd.isna(gw):
            continue
        ys = set(panel.loc[panel.gwcode == int(gw), "year"])
        if last in ys:
            ys |= set(range(last + 1, years[1] + 1))
        out += [(iso3, y) for y in sorted(ys) if years[0] <= y <= years[1]]
    return pd.DataFrame(out, columns=["iso3", "year"])
