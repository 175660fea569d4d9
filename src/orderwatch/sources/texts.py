"""UN General Debate speeches and the official documents (US and Chinese texts)."""

from __future__ import annotations

import pandas as pd

from orderwatch import bundled

DOC_COLUMNS = ["doc_id", "iso3", "date", "year", "title", "language", "doc_type", "source",
               "source_url", "text"]
CHINA_SOURCES = {"china_mfa_zh_2020_2024": "china_mfa", "china_mfa_2016_2020": "china_mfa",
                 "china_xi": "china_xi", "china_reports": "china_reports"}


def speeches() -> pd.DataFrame:
    df = bundled.read("ungdc", columns=["iso3", "session", "year", "text", "chars", "sha256"])
    return df.astype({"session": "int64", "year": "int64", "chars": "int64"})


def _dates(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """ISO dates ('YYYY-MM-DD' or 'YYYY') to (date or NaT, year or NA)."""
    s = s.fillna("").astype(str).str.strip()
    full = pd.to_datetime(s.where(s.str.len() == 10), errors="coerce")
    year = pd.to_numeric(s.str[:4], errors="coerce").astype("Int64")
    return full.dt.date, year


def documents() -> pd.DataFrame:
    frames = []
    us = bundled.read("us_official")
    date, year = _dates(us["date"])
    frames.append(pd.DataFrame({"doc_id": us.doc_id, "iso3": "USA", "date": date, "year": year,
                                "title": us.title, "language": "en", "doc_type": us.category,
                                "source": "us_official", "source_url": us.source_url, "text": us.text}))
    nss = bundled.read("us_nss")
    date, year = _dates(nss["date"])
    frames.append(pd.DataFrame({"doc_id": nss.doc_id, "iso3": "USA", "date": date, "year": year,
                                "title": nss.title, "language": "en", "doc_type": "national_security_strategy",
                                "source": "us_nss", "source_url": None, "text": nss.text}))
    for name, source in CHINA_SOURCES.items():
        cn = bundled.read(name)
        date, year = _dates(cn["date"])
        frames.append(pd.DataFrame({"doc_id": name + ":" + cn["id"].astype(str), "iso3": "CHN", "date": date,
                                    "year": year, "title": cn.title, "language": cn.language,
                                    "doc_type": cn.doc_type, "source": source,
                                    "source_url": cn.source_url, "text": cn.text}))
    return pd.concat(frames, ignore_index=True)[DOC_COLUMNS]
