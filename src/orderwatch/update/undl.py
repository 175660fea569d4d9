"""Recorded UNGA votes from the UN Digital Library's record search, as MARC XML.

The Library's search (an Invenio instance) returns records in MARC XML with ``of=xm``;
the "Voting Data" collection is faceted by body (``fct__2=General Assembly``), by year
(``fct__3``) and by vote type (``fct__9=Vote``: recorded votes only); ``rg`` is the page
size and ``jrec`` the first record of the page (1-based).  In a voting record:

=========  ==========================================================================
field      meaning (as used by the Library's own voting-data exports)
=========  ==========================================================================
001        record id: the ``undl_id`` of the bundled UNDL file (our ``rcid``)
245 $a $b  title
269 $a     date of the vote
791 $a     resolution symbol, A/RES/<session>/<number>
952 $a     meeting record symbol, A/<session>/PV.<n>
967        one per Member State: $c its three-letter code, $d its vote (Y, N, A;
           empty = non-voting), $e its name
996        tally: $b yes, $c no, $d abstentions, $e non-voting, $f total
=========  ==========================================================================

Every record is checked (ids, symbols, dates, codes, and the 967 votes against the 996
tally) before anything is written; a record that does not fit raises ``FormatError``
naming the record and the query URL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from orderwatch import countries
from orderwatch.errors import OrderwatchError, UnknownCountryError

SEARCH_URL = "https://digitallibrary.un.org/search"
URL_ENV = "ORDERWATCH_UNDL_SEARCH_URL"  # another endpoint (a mirror, or a dead one in tests)
PAGE_SIZE = 100
MARC_NS = "{http://www.loc.gov/MARC21/slim}"
VOTE_CODES = {"Y": "Y", "N": "N", "A": "A", "": "X"}
RES_SYMBOL = re.compile(r"^A/RES/(\d+)/\S+$")
CACHE_HOURS = 24  # pages fetched by an interrupted run are reused for this long

Fetcher = Callable[[str], bytes]


class FormatError(OrderwatchError):
    """A response or record that does not have the documented MARC XML voting-record form."""


class NetworkError(OrderwatchError):
    """The Digital Library could not be reached or answered with an error."""


def query_url(year: int, start: int = 1, page_size: int = PAGE_SIZE) -> str:
    """The record-search URL for one page of the General Assembly's recorded votes of ``year``."""
    params = [("cc", "Voting Data"), ("c", "Voting Data"), ("ln", "en"), ("p", ""),
              ("fct__2", "General Assembly"), ("fct__3", str(year)), ("fct__9", "Vote"),
              ("sf", "latest first"), ("so", "a"), ("rg", str(page_size)), ("jrec", str(start)), ("of", "xm")]
    return os.environ.get(URL_ENV, SEARCH_URL) + "?" + urllib.parse.urlencode(params)


def http_fetch(url: str, timeout: float = 60.0) -> bytes:
    """GET ``url``; any failure becomes a one-line NetworkError."""
    req = urllib.request.Request(url, headers={"User-Agent": "orderwatch (research; update votes)"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - fixed https host
            if resp.status != 200:
                raise NetworkError(f"{url}: HTTP {resp.status}")
            return resp.read()
    except urllib.error.HTTPError as exc:
        raise NetworkError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise NetworkError(f"cannot reach the UN Digital Library ({getattr(exc, 'reason', exc)}); "
                           "nothing was changed, run the update again later") from None


@dataclass
class Page:
    url: str
    retrieved_at: str
    sha256: str
    records: list[dict]
    new_records: int = 0


@dataclass
class Fetched:
    pages: list[Page] = field(default_factory=list)

    @property
    def records(self) -> list[dict]:
        return [r for p in self.pages for r in p.records]


def _sub(df: ET.Element, code: str) -> str | None:
    el = df.find(f"{MARC_NS}subfield[@code='{code}']")
    if el is None:
        el = df.find(f"subfield[@code='{code}']")
    return None if el is None else (el.text or "").strip()


def _fields(rec: ET.Element, tag: str) -> list[ET.Element]:
    return rec.findall(f"{MARC_NS}datafield[@tag='{tag}']") or rec.findall(f"datafield[@tag='{tag}']")


def _control(rec: ET.Element, tag: str) -> str | None:
    el = rec.find(f"{MARC_NS}controlfield[@tag='{tag}']")
    if el is None:
        el = rec.find(f"controlfield[@tag='{tag}']")
    return None if el is None else (el.text or "").strip()


def _first(rec: ET.Element, tag: str, code: str) -> str | None:
    for f in _fields(rec, tag):
        v = _sub(f, code)
        if v:
            return v
    return None


def _date(value: str) -> dt.date:
    for fmt in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            pass
    raise ValueError(value)


def parse_record(rec: ET.Element, url: str, n: int) -> dict:
    """One MARC voting record -> {rcid, date, session, resolution, title, meeting, votes}."""
    rid = _control(rec, "001")
    where = f"record {rid or f'#{n}'} of {url}"
    if not rid or not rid.isdigit():
        raise FormatError(f"{where}: no numeric record id in controlfield 001 (changed format?)")
    symbol = _first(rec, "791", "a")
    m = RES_SYMBOL.match(symbol or "")
    if not m:
        raise FormatError(f"{where}: field 791 $a is {symbol!r}, not a General Assembly resolution symbol "
                          "A/RES/<session>/<n> (changed format or query?)")
    raw_date = _first(rec, "269", "a")
    try:
        date = _date(raw_date or "")
    except ValueError:
        raise FormatError(f"{where}: field 269 $a is {raw_date!r}, not a date (YYYY-MM-DD or YYYYMMDD)") from None
    title = " ".join(v for v in (_first(rec, "245", "a"), _first(rec, "245", "b")) if v)
    if not title:
        raise FormatError(f"{where}: no title in field 245 $a")
    votes: dict[str, str] = {}
    for f in _fields(rec, "967"):
        code, vote = _sub(f, "c"), _sub(f, "d")
        if not code:
            raise FormatError(f"{where}: a 967 field has no Member State code in $c (changed format?)")
        if (vote or "") not in VOTE_CODES:
            raise FormatError(f"{where}: vote {vote!r} of {code} in 967 $d is not Y, N, A or empty")
        try:
            iso3 = countries.to_iso3(code)
        except UnknownCountryError as exc:
            raise FormatError(f"{where}: {exc}") from None
        if iso3 in votes:
            raise FormatError(f"{where}: two 967 fields for {iso3}")
        votes[iso3] = VOTE_CODES[vote or ""]
    if not votes:
        raise FormatError(f"{where}: no 967 vote fields (changed format?)")
    tally = _fields(rec, "996")
    if tally and not _sub(tally[0], "a"):  # $a carries a note instead of counts on some records
        for code, sub in (("Y", "b"), ("N", "c"), ("A", "d")):
            want = _sub(tally[0], sub)
            got = sum(v == code for v in votes.values())
            if want not in (None, "") and (not want.isdigit() or int(want) != got):
                raise FormatError(f"{where}: the 996 tally says {want} {code} votes, the 967 fields have {got}")
    return {"rcid": int(rid), "date": date, "session": int(m.group(1)), "resolution": symbol, "title": title,
            "meeting": _first(rec, "952", "a") or "", "votes": votes,
            "undl_link": f"https://digitallibrary.un.org/record/{rid}"}


def parse_marcxml(data: bytes, url: str) -> list[dict]:
    """All records of one MARC XML response; FormatError if it is not one."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise FormatError(f"{url}: the response is not well-formed XML ({exc}); changed format?") from None
    if root.tag not in (f"{MARC_NS}collection", "collection"):
        raise FormatError(f"{url}: the response is a <{root.tag}>, not a MARC XML <collection> (changed format?)")
    recs = root.findall(f"{MARC_NS}record") or root.findall("record")
    return [parse_record(r, url, i + 1) for i, r in enumerate(recs)]


class PageCache:
    """Responses of an interrupted run, kept beside the store so that a re-run resumes
    without fetching them again; cleared once an update is written."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    def _path(self, url: str) -> Path:
        return self.folder / (hashlib.sha256(url.encode()).hexdigest()[:24] + ".xml")

    def get(self, url: str) -> tuple[bytes, str] | None:
        if self.folder is None:
            return None
        p = self._path(url)
        meta = p.with_suffix(".json")
        if not (p.exists() and meta.exists()):
            return None
        info = json.loads(meta.read_text())
        age = dt.datetime.now(dt.timezone.utc) - dt.datetime.fromisoformat(info["retrieved_at"])
        if age > dt.timedelta(hours=CACHE_HOURS) or info.get("url") != url:
            return None
        return p.read_bytes(), info["retrieved_at"]

    def put(self, url: str, data: bytes, retrieved_at: str) -> None:
        if self.folder is None:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        self._path(url).write_bytes(data)
        self._path(url).with_suffix(".json").write_text(json.dumps({"url": url, "retrieved_at": retrieved_at}))

    def clear(self) -> None:
        if self.folder is not None and self.folder.is_dir():
            for p in self.folder.glob("*"):
                p.unlink()
            self.folder.rmdir()


def fetch_since(since: dt.date, today: dt.date, fetch: Fetcher = http_fetch, cache: PageCache | None = None,
                page_size: int = PAGE_SIZE, max_pages: int = 200) -> Fetched:
    """Every recorded-vote page of the years ``since.year`` .. ``today.year``."""
    cache = cache or PageCache(None)
    out = Fetched()
    for year in range(since.year, today.year + 1):
        start = 1
        for _ in range(max_pages):
            url = query_url(year, start, page_size)
            hit = cache.get(url)
            if hit:
                data, when = hit
                recs = parse_marcxml(data, url)
            else:
                data = fetch(url)
                when = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
                recs = parse_marcxml(data, url)  # a malformed page is not cached
                cache.put(url, data, when)
            out.pages.append(Page(url, when, hashlib.sha256(data).hexdigest(), recs))
            if len(recs) < page_size:
                break
            start += page_size
        else:
            raise FormatError(f"{year}: more than {max_pages} pages of results; the query no longer narrows "
                              "to one year's recorded votes (changed format?)")
    return out
