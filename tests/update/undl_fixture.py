"""Recorded-response fixtures for `orderwatch update votes` (see fixtures/README.md).

``session_pages`` constructs the MARC XML pages that the Digital Library's record search
would return for one session of recorded votes.  The vote patterns are real (the bundled
UNDL roll calls of session 79, in order); the record ids (9,000,001...), resolution
symbols (A/RES/80/9xx), dates (from 2025-11-03) and titles are made up and say so.
"""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

import pandas as pd

from orderwatch import bundled
from orderwatch.update import undl

NS = "http://www.loc.gov/MARC21/slim"
FIRST_ID = 9_000_001
FIRST_DATE = dt.date(2025, 11, 3)


def _field(tag: str, subs: list[tuple[str, str]]) -> str:
    inner = "".join(f'<subfield code="{c}">{escape(v)}</subfield>' for c, v in subs)
    return f'<datafield tag="{tag}" ind1=" " ind2=" ">{inner}</datafield>'


def record_xml(rid: int, symbol: str, date: str, title: str, votes: list[tuple[str, str, str]],
               tally: bool = True) -> str:
    """One voting record; ``votes`` are (code, vote Y/N/A/'' , name)."""
    parts = [f'<controlfield tag="001">{rid}</controlfield>', _field("245", [("a", title)]),
             _field("269", [("a", date)]), _field("791", [("a", symbol), ("b", symbol.split("/")[2])]),
             _field("952", [("a", "A/80/PV.99")])]
    parts += [_field("967", [("a", f"{i + 1:03d}"), ("c", c), ("d", v), ("e", n)]) for i, (c, v, n) in enumerate(votes)]
    if tally:
        counts = [sum(v == k for _, v, _ in votes) for k in ("Y", "N", "A", "")]
        parts.append(_field("996", [("b", str(counts[0])), ("c", str(counts[1])), ("d", str(counts[2])),
                                    ("e", str(counts[3])), ("f", str(len(votes)))]))
    return "<record>" + "".join(parts) + "</record>"


def collection(records: list[str]) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<collection xmlns="{NS}">'
            + "".join(records) + "</collection>").encode()


def session_records(n: int | None = None) -> list[dict]:
    """The constructed session: one dict per roll call with its votes."""
    rc = bundled.read("undl_roll_calls")
    rc = rc[rc.session == 79].sort_values(["date", "undl_id"])
    if n is not None:
        rc = rc.head(n)
    v = bundled.read("undl_votes", columns=["undl_id", "ms_code", "ms_name", "ms_vote"])
    v = v.assign(undl_id=v.undl_id.astype("int64"))
    by = {k: g for k, g in v[v.undl_id.isin(set(rc.undl_id))].groupby("undl_id")}
    rc = rc[rc.undl_id.isin(set(by))]  # a few roll calls have no vote rows in the bundled file
    out = []
    for i, r in enumerate(rc.itertuples(index=False)):
        g = by[r.undl_id]
        votes = [(c, "" if x == "X" else x, nm) for c, x, nm in zip(g.ms_code, g.ms_vote, g.ms_name)]
        out.append({"rid": FIRST_ID + i, "symbol": f"A/RES/80/{900 + i}",
                    "date": (FIRST_DATE + dt.timedelta(days=i // 10)).isoformat(),
                    "title": f"Constructed fixture record {i + 1} (votes as on {r.resolution})", "votes": votes})
    return out


def session_pages(n: int | None = None, page_size: int = undl.PAGE_SIZE, today_year: int = 2026,
                  since_year: int = 2025) -> dict[str, bytes]:
    """url -> response for every query `update votes` makes from ``since_year`` to ``today_year``."""
    recs = [record_xml(r["rid"], r["symbol"], r["date"], r["title"], r["votes"]) for r in session_records(n)]
    pages = {}
    for year in range(since_year, today_year + 1):
        mine = recs if year == 2025 else []
        start = 1
        while True:
            chunk = mine[start - 1:start - 1 + page_size]
            pages[undl.query_url(year, start, page_size)] = collection(chunk)
            if len(chunk) < page_size:
                break
            start += page_size
    return pages


def fetcher(pages: dict[str, bytes]):
    """A fetcher that serves recorded responses and fails like the network on anything else."""
    calls = []

    def fetch(url: str) -> bytes:
        calls.append(url)
        if url not in pages:
            raise undl.NetworkError(f"{url}: not in the recorded responses")
        return pages[url]

    fetch.calls = calls
    return fetch
