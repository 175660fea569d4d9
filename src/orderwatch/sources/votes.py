"""UNGA roll calls and votes from both vote sources, on one coding.

Sources: Voeten's data (via unvotes) for 1946-2019, the raw 1946-2015 file with recorded
absences and non-membership, and the UN Digital Library recorded votes 2020-2025.

Vote coding: 'yes', 'no', 'abstain', 'absent', 'non_member'. Absences are known for
sessions 1-70 (raw Voeten file) and 2020-2025 (UNDL 'X', non-voting); for sessions 71-74
the unvotes file dropped absences, so those rows are missing rather than 'absent'.
"""

from __future__ import annotations

import pandas as pd

from orderwatch import bundled, countries

ISSUES = ("me", "nu", "di", "hr", "co", "ec")
RAW_CODES = {1: "yes", 2: "abstain", 3: "no", 8: "absent", 9: "non_member"}
UNDL_CODES = {"Y": "yes", "N": "no", "A": "abstain", "X": "absent"}
# unvotes rows whose ISO2 is missing or historical.
UNVOTES_NAMES = {"Yemen Arab Republic": "YAR", "Zanzibar": "ZZB", "Federal Republic of Germany": "DEU"}


def roll_calls() -> pd.DataFrame:
    """One row per roll call, both sources: ids, dates, titles, issue flags, source."""
    rc = bundled.read("unvotes_roll_calls")
    issues = bundled.read("unvotes_issues")
    flags = (
        issues.assign(v=True).pivot_table(index="rcid", columns="short_name", values="v", aggfunc="any")
        .reindex(columns=list(ISSUES)).fillna(False).astype(bool)
    )
    rc = rc.merge(flags, left_on="rcid", right_index=True, how="left")
    rc[list(ISSUES)] = rc[list(ISSUES)].fillna(False).astype(bool)
    date = pd.to_datetime(rc["date"]).dt.date
    voeten = pd.DataFrame({
        "rcid": rc.rcid.astype("int64"), "session": rc.session.astype("int64"), "date": date,
        "year": pd.to_datetime(rc["date"]).dt.year.astype("int64"),
        "resolution": rc.unres, "short": rc.short, "descr": rc.descr,
        # the flag exists for sessions 38-72 only; elsewhere it is unknown, not 'no'
        "importantvote": rc.importantvote.where(rc.session.between(38, 72)).astype("boolean"),
        "amend": rc.amend.astype("boolean"), "para": rc.para.astype("boolean"),
        **{k: rc[k].astype("boolean") for k in ISSUES}, "source": "voeten",
    })
    u = bundled.read("undl_roll_calls")
    undl = pd.DataFrame({
        "rcid": u.undl_id.astype("int64"), "session": u.session.astype("int64"),
        "date": pd.to_datetime(u["date"]).dt.date, "year": u.year.astype("int64"),
        "resolution": u.resolution, "short": u.title.str.replace(r"\s*:\s*resolution\s*/.*$", "", regex=True),
        "descr": u.title, "importantvote": pd.array([pd.NA] * len(u), dtype="boolean"),
        # the UNDL file has adopted resolutions only (no amendment/paragraph votes) and no
        # Voeten issue coding: the issue flags are unknown (NULL), not False
        "amend": False, "para": False, **{k: None for k in ISSUES}, "source": "undl",
    })
    undl[["amend", "para", *ISSUES]] = undl[["amend", "para", *ISSUES]].astype("boolean")
    out = pd.concat([voeten, undl], ignore_index=True)
    return out.sort_values(["date", "rcid"], ignore_index=True)


def votes(rc: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per state per roll call: rcid, iso3, vote, source."""
    rc = roll_calls() if rc is None else rc
    dates = rc.set_index("rcid")["date"]
    reg = countries.registry()

    raw = bundled.read("voeten_absences", columns=["rcid", "ccode", "vote"])
    raw_iso = countries.cow_series_to_iso3(raw.ccode, raw.rcid.map(dates))
    part1 = pd.DataFrame({"rcid": raw.rcid.astype("int64"), "iso3": raw_iso,
                          "vote": raw.vote.map(RAW_CODES), "source": "voeten"})

    uv = bundled.read("unvotes_votes")
    uv = uv[~uv.rcid.isin(set(raw.rcid))]
    iso2_map = {i2: i3 for i2, i3 in zip(reg.iso2, reg.iso3) if isinstance(i2, str) and i3 not in ("SRB",)}
    iso3 = uv.country_code.map(iso2_map)
    iso3 = iso3.fillna(uv.country.map(UNVOTES_NAMES))
    serbia = (uv.country_code == "YU").to_numpy() & (uv.rcid.map(dates) >= countries.SERBIA_FROM).to_numpy()
    iso3 = iso3.where(~serbia, "SRB")
    part2 = pd.DataFrame({"rcid": uv.rcid.astype("int64"), "iso3": iso3, "vote": uv.vote.astype(str),
                          "source": "voeten"})

    un = bundled.read("undl_votes", columns=["undl_id", "ms_code", "ms_vote"])
    part3 = pd.DataFrame({"rcid": un.undl_id.astype("int64"), "iso3": un.ms_code,
                          "vote": un.ms_vote.map(UNDL_CODES), "source": "undl"})
    out = pd.concat([part1, part2, part3], ignore_index=True)
    unmapped = out[out.iso3.isna() | out.vote.isna()]
    if len(unmapped):
        raise ValueError(f"{len(unmapped)} vote rows have no ISO3 or vote code, e.g. {unmapped.head(3).to_dict('records')}")
    return out


def vote_years(v: pd.DataFrame, rc: pd.DataFrame) -> pd.DataFrame:
    """First and last calendar year each state took part (any coding but non_member)."""
    yr = v[v.vote != "non_member"].merge(rc[["rcid", "year"]], on="rcid")
    g = yr.groupby("iso3").year.agg(["min", "max"]).rename(columns={"min": "first", "max": "last"})
    return g.reset_index()
