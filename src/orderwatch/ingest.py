"""Validate user data (documents, UN Digital Library vote exports) into store rows.

Validation is complete before anything is written: the first problem raises InputError
naming the file, the line and the field, and the store is left exactly as it was. What is
accepted is what every later stage can read (a property test holds us to it):

* dates are ``YYYY-MM-DD`` (ASCII digits, a real calendar day) between the UN Charter's
  signature (1945-06-26) and tomorrow (UTC): nothing can have been voted or said later;
* CSV is strict: a quote that does not close, a field running over several lines, a
  NUL byte or a field over csv's 131,072 characters is an error naming the line; CR-only
  and CRLF line endings read like LF;
* numbers are ASCII digits (``²`` or Arabic-Indic digits are refused), record ids below
  2**63; text fields carry no control characters and have a length limit;
* a vote file without ``session`` gets it from the date (:func:`orderwatch.unga.session_of`);
  a given session must be within one of the date's;
* a YAML manifest is read by the bounded loader of :mod:`orderwatch.safeyaml`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd

from orderwatch import countries, safeyaml
from orderwatch.errors import InputError, UnknownCountryError
from orderwatch.ingest_csv import check_columns, csv_records
from orderwatch.store import USER_SOURCE
from orderwatch.unga import session_of

MAX_FILE_BYTES = 50 * 1024 * 1024  # per document or vote file
MAX_MANIFEST_BYTES = 5 * 1024 * 1024
DOC_REQUIRED = ("file", "country", "date", "title", "source_url", "language")
DOC_OPTIONAL = ("id", "doc_type")
LANGUAGES = ("en", "zh")
VOTE_REQUIRED = ("undl_id", "ms_code", "ms_vote", "date", "resolution", "title")
VOTE_OPTIONAL = ("session", "year", "ms_name", "meeting", "agenda", "undl_link", "session_symbol")
VOTE_CODES = {"Y": "yes", "N": "no", "A": "abstain", "X": "absent"}
#: The UN Charter was signed on 26 June 1945: no UN vote or statement is older.
MIN_DATE = dt.date(1945, 6, 26)
#: Longest accepted value per field (characters); others: DEFAULT_MAX_CHARS.
MAX_CHARS = {"title": 2000, "resolution": 200, "ms_code": 100, "country": 100, "file": 255, "id": 200,
             "doc_type": 50, "source_url": 2000, "language": 10, "ms_vote": 10}
DEFAULT_MAX_CHARS = 2000
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DIGITS = re.compile(r"[0-9]{1,19}")


def max_date() -> dt.date:
    """The latest accepted date: tomorrow in UTC (a day's slack for time zones)."""
    return dt.datetime.now(dt.timezone.utc).date() + dt.timedelta(days=1)


def shown(path: str | Path) -> str:
    """A path as it goes into a one-line message: control characters (a newline in a file
    name) and undecodable bytes escaped."""
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in str(path))


def _read_text(path: Path, what: str = "file") -> str:
    """Read a UTF-8 file, refusing missing, empty, oversized, non-UTF-8 or NUL-bearing input."""
    name = shown(path)
    try:
        if not path.is_file():
            raise InputError(name, f"{what} not found")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(name, f"file is {size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB")
        raw = path.read_bytes()
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the name
        raise InputError(name, f"cannot read {what}: {getattr(exc, 'strerror', None) or exc}") from None
    if not raw.strip():
        raise InputError(name, "file is empty")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(name, f"not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})", line) from None
    nul = text.find("\x00")
    if nul >= 0:
        raise InputError(name, "contains a NUL byte (a binary file?)", text.count("\n", 0, nul) + 1)
    return text


def text_value(file: str, line: int | None, field: str, value: object, required: bool = True) -> str:
    """A single-line text value, stripped: no control characters or lone surrogates, within
    its length limit. Integers (from YAML) become text; other non-text values are refused."""
    if value is None or value == "":
        if required:
            raise InputError(file, "empty value", line, field)
        return ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InputError(file, f"expected text, got {type(value).__name__}", line, field)
    text = str(value).strip()
    if required and not text:
        raise InputError(file, "empty value", line, field)
    limit = MAX_CHARS.get(field, DEFAULT_MAX_CHARS)
    if len(text) > limit:
        raise InputError(file, f"{len(text):,} characters; the limit is {limit:,}", line, field)
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Cs":
            raise InputError(file, f"lone surrogate U+{ord(ch):04X} (not valid Unicode text)", line, field)
        if cat in ("Cc", "Zl", "Zp"):  # a single-line value: no line or paragraph separators either
            raise InputError(file, f"control character U+{ord(ch):04X}", line, field)
    return text


def _date(file: str, line: int | None, field: str, value: object) -> dt.date:
    """A calendar date in YYYY-MM-DD (or a date from YAML) within MIN_DATE .. max_date()."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        date = value
    else:
        text = value.strip() if isinstance(value, str) else None
        if text is None or not _DATE.fullmatch(text):
            raise InputError(file, f"{str(value)[:40]!r} is not a date in the form YYYY-MM-DD", line, field)
        try:
            date = dt.date.fromisoformat(text)
        except ValueError:
            raise InputError(file, f"{text!r} is not a valid date (no such day)", line, field) from None
    if not MIN_DATE <= date <= max_date():
        raise InputError(file, f"{date.isoformat()} is outside {MIN_DATE.isoformat()} .. {max_date().isoformat()} "
                         "(the UN Charter to tomorrow)", line, field)
    return date


def _integer(file: str, line: int, field: str, text: str, lo: int, hi: int) -> int:
    """ASCII digits only (int() would also take Arabic-Indic digits, '+', '_'; isdigit() '²')."""
    if not _DIGITS.fullmatch(text) or not lo <= int(text) <= hi:
        top = "2^63 - 1" if hi == 2**63 - 1 else str(hi)
        raise InputError(file, f"{text[:40]!r} is not an integer (ASCII digits) from {lo} to {top}", line, field)
    return int(text)


def _country(file: str, line: int | None, field: str, value: object) -> str:
    text = text_value(file, line, field, value)
    try:
        return countries.to_iso3(text)
    except UnknownCountryError as exc:
        raise InputError(file, str(exc), line, field) from None


def _manifest(folder: Path) -> tuple[Path, list[tuple[int | None, dict, dict]]]:
    """The manifest's rows as (line, mapping, {field: line}) (CSV: a record's fields share its line)."""
    for name in ("manifest.csv", "manifest.yaml", "manifest.yml"):
        p = folder / name
        if not p.exists():
            continue
        text = _read_text(p, "manifest")
        if len(text) > MAX_MANIFEST_BYTES:
            raise InputError(shown(p), f"manifest is {len(text):,} characters; the limit is {MAX_MANIFEST_BYTES:,}")
        if p.suffix == ".csv":
            return p, [(line, r, {}) for line, r in csv_records(text, shown(p), DOC_REQUIRED, DOC_OPTIONAL)]
        data = safeyaml.load(text, shown(p), loader=safeyaml.LineLoader, max_bytes=MAX_MANIFEST_BYTES)
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise InputError(shown(p), "the YAML manifest must be a list of mappings, one per document")
        rows = []
        for r in data:
            line = r.pop("__line__", None)
            lines = r.pop("__lines__", {})
            check_columns(shown(p), r.keys(), DOC_REQUIRED, DOC_OPTIONAL, line)
            rows.append((line, r, lines))
        return p, rows
    raise InputError(shown(folder), "no manifest.csv or manifest.yaml describing the documents")


def _is_http_url(text: str) -> bool:
    try:
        url = urlsplit(text)
        url.port  # noqa: B018 - parses the port: 'http://x:99999' raises here
    except ValueError:  # 'http://[x' (an unclosed IPv6 bracket), found by the fuzz
        return False
    return " " not in text and url.scheme in ("http", "https") and bool(url.netloc)


def _document_path(folder: Path, mf: str, line: int | None, fname: str) -> Path:
    try:
        path = (folder / fname).resolve()
        inside = folder.resolve() in path.parents
    except (OSError, ValueError, RuntimeError) as exc:  # too long, a loop of symlinks
        raise InputError(mf, f"{fname[:60]!r} cannot be resolved: {exc}", line, "file") from None
    if not inside:
        raise InputError(mf, f"{fname!r} is outside the folder", line, "file")
    if path.suffix.lower() not in (".txt", ".md"):
        raise InputError(mf, f"{fname!r} is not a .txt or .md file", line, "file")
    return path


def documents(folder: str | Path, existing_ids: set[str] = frozenset()) -> pd.DataFrame:
    """Validate a folder of .txt/.md documents with a manifest; return rows for `documents`."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(shown(folder), "not a directory")
    mpath, rows = _manifest(folder)
    mf = shown(mpath)
    if not rows:
        raise InputError(mf, "the manifest lists no documents")
    out, seen, listed = [], set(), set()
    for line, r, lines in rows:
        at = {f: lines.get(f, line) for f in DOC_REQUIRED + DOC_OPTIONAL}  # YAML: the field's own line
        v = {f: text_value(mf, at[f], f, r.get(f)) for f in DOC_REQUIRED if f != "date"}
        v.update({f: text_value(mf, at[f], f, r.get(f), required=False) for f in DOC_OPTIONAL})
        path = _document_path(folder, mf, at["file"], v["file"])
        if v["file"] in listed:
            raise InputError(mf, f"{v['file']!r} is listed twice", at["file"], "file")
        listed.add(v["file"])
        iso3 = _country(mf, at["country"], "country", v["country"])
        date = _date(mf, at["date"], "date", r.get("date"))
        lang = v["language"].lower()
        if lang not in LANGUAGES:
            raise InputError(mf, f"language {lang!r} is not one of {', '.join(LANGUAGES)}", at["language"],
                             "language")
        if not _is_http_url(v["source_url"]):
            raise InputError(mf, f"{v['source_url'][:60]!r} is not an http(s) URL", at["source_url"], "source_url")
        text = _read_text(path, "document")
        doc_id = "user:" + (v["id"] or hashlib.sha256(text.encode()).hexdigest()[:16])
        if doc_id in seen or doc_id in existing_ids:
            raise InputError(mf, f"duplicate document id {doc_id!r}"
                             + (" (already in the store)" if doc_id in existing_ids else ""),
                             at["id" if v["id"] else "file"], "id" if v["id"] else "file")
        seen.add(doc_id)
        out.append(dict(doc_id=doc_id, iso3=iso3, date=date, year=date.year, title=v["title"],
                        language=lang, doc_type=v["doc_type"] or "user_document", source=USER_SOURCE,
                        source_url=v["source_url"], text=text))
    return pd.DataFrame(out)


def votes(file: str | Path, existing_rcids: set[int] = frozenset()) -> dict[str, pd.DataFrame]:
    """Validate a UN Digital Library voting export; return rows for `roll_calls` and `votes`."""
    path = Path(file)
    return votes_from_text(_read_text(path, "vote file"), shown(path), existing_rcids)


def votes_from_text(text: str, f: str, existing_rcids: set[int] = frozenset()) -> dict[str, pd.DataFrame]:
    """:func:`votes` on the text of a file named ``f``."""
    vote_rows, calls, seen = [], {}, set()
    last_session = session_of(max_date())
    for line, r in csv_records(text, f, VOTE_REQUIRED, VOTE_OPTIONAL):
        v = {k: text_value(f, line, k, r.get(k), required=k in VOTE_REQUIRED and k != "ms_vote")
             for k in VOTE_REQUIRED + VOTE_OPTIONAL}
        rcid = _integer(f, line, "undl_id", v["undl_id"], 1, 2**63 - 1)
        if rcid in existing_rcids:
            raise InputError(f, f"roll call {rcid} is already in the store", line, "undl_id")
        iso3 = _country(f, line, "ms_code", v["ms_code"])
        if (rcid, iso3) in seen:
            raise InputError(f, f"duplicate vote of {iso3} on roll call {rcid}", line, "ms_code")
        seen.add((rcid, iso3))
        code = v["ms_vote"].upper() or "X"
        if code not in VOTE_CODES:
            raise InputError(f, f"vote {v['ms_vote']!r} is not one of Y, N, A, X (or blank)", line, "ms_vote")
        date = _date(f, line, "date", v["date"])
        if v["year"] and _integer(f, line, "year", v["year"], 1945, 9999) != date.year:
            raise InputError(f, f"year {v['year']} is not the year of the date {date}", line, "year")
        by_date = session_of(date)
        session = by_date
        if v["session"]:
            session = _integer(f, line, "session", v["session"], 1, last_session)
            if abs(session - by_date) > 1:
                raise InputError(f, f"session {session} does not fit the date {date} (session {by_date} by the "
                                 "Assembly's calendar; leave the column empty to derive it)", line, "session")
        call = (date, v["resolution"], v["title"], session)
        if rcid in calls and calls[rcid] != call:
            raise InputError(f, f"roll call {rcid} has a different date, resolution, title or session than on "
                             "an earlier line", line, "undl_id")
        calls.setdefault(rcid, call)
        vote_rows.append(dict(rcid=rcid, iso3=iso3, vote=VOTE_CODES[code], source=USER_SOURCE))
    if not vote_rows:
        raise InputError(f, "no vote rows after the header")
    rc = pd.DataFrame([
        dict(rcid=k, session=s, date=d, year=d.year, resolution=res, short=title, descr=title,
             importantvote=None, amend=None, para=None, me=None, nu=None, di=None, hr=None,
             co=None, ec=None, source=USER_SOURCE)
        for k, (d, res, title, s) in calls.items()
    ])
    return {"roll_calls": rc, "votes": pd.DataFrame(vote_rows)}
