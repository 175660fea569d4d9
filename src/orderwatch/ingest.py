"""Validate user data (documents, UN Digital Library vote exports) into store rows.

Validation is complete before anything is written: the first problem raises InputError
naming the file, the line and the field, and the store is left exactly as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
from pathlib import Path
from typing import Iterable

import pandas as pd
import yaml

from orderwatch import countries
from orderwatch.errors import InputError, UnknownCountryError
from orderwatch.store import USER_SOURCE

MAX_FILE_BYTES = 50 * 1024 * 1024  # per document or vote file
DOC_REQUIRED = ("file", "country", "date", "title", "source_url", "language")
DOC_OPTIONAL = ("id", "doc_type")
LANGUAGES = ("en", "zh")
VOTE_REQUIRED = ("undl_id", "ms_code", "ms_vote", "date", "resolution", "title")
VOTE_OPTIONAL = ("session", "year", "ms_name", "meeting", "agenda", "undl_link", "session_symbol")
VOTE_CODES = {"Y": "yes", "N": "no", "A": "abstain", "X": "absent"}


def _read_text(path: Path, what: str = "file") -> str:
    """Read a UTF-8 file, refusing empty, oversized or non-UTF-8 input with its line."""
    if not path.is_file():
        raise InputError(str(path), f"{what} not found")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(str(path), f"file is {size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB")
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError(str(path), "file is empty")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(str(path), f"not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})", line) from None


def _check_columns(file: str, columns: Iterable[str], required: tuple, optional: tuple) -> None:
    cols = [str(c).strip() for c in columns]
    missing = [c for c in required if c not in cols]
    if missing:
        raise InputError(file, f"missing column(s) {', '.join(missing)}; expected {', '.join(required)}", 1)
    extra = [c for c in cols if c not in required + optional]
    if extra:
        raise InputError(file, f"unexpected column(s) {', '.join(extra)}; allowed: "
                         f"{', '.join(required + optional)}", 1, extra[0])


def _date(file: str, line: int, field: str, value: object) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InputError(file, f"{value!r} is not a valid date (YYYY-MM-DD)", line, field) from None


def _country(file: str, line: int, field: str, value: object) -> str:
    try:
        return countries.to_iso3(str(value))
    except UnknownCountryError as exc:
        raise InputError(file, str(exc), line, field) from None


def _manifest(folder: Path) -> tuple[Path, list[dict]]:
    for name in ("manifest.csv", "manifest.yaml", "manifest.yml"):
        p = folder / name
        if p.exists():
            text = _read_text(p, "manifest")
            if p.suffix == ".csv":
                reader = csv.DictReader(io.StringIO(text))
                _check_columns(str(p), reader.fieldnames or [], DOC_REQUIRED, DOC_OPTIONAL)
                return p, list(reader)
            try:
                data = yaml.safe_load(text)
            except yaml.YAMLError as exc:
                line = getattr(getattr(exc, "problem_mark", None), "line", None)
                raise InputError(str(p), f"invalid YAML: {getattr(exc, 'problem', exc)}",
                                 None if line is None else line + 1) from None
            if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
                raise InputError(str(p), "the YAML manifest must be a list of mappings, one per document")
            for r in data:
                _check_columns(str(p), r.keys(), DOC_REQUIRED, DOC_OPTIONAL)
            return p, data
    raise InputError(str(folder), "no manifest.csv or manifest.yaml describing the documents")


def documents(folder: str | Path, existing_ids: set[str] = frozenset()) -> pd.DataFrame:
    """Validate a folder of .txt/.md documents with a manifest; return rows for `documents`."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(str(folder), "not a directory")
    mpath, rows = _manifest(folder)
    if not rows:
        raise InputError(str(mpath), "the manifest lists no documents")
    out, seen = [], set()
    listed = set()
    for i, r in enumerate(rows):
        line = i + 2 if mpath.suffix == ".csv" else i + 1  # CSV: header is line 1; YAML: item number
        mf = str(mpath)
        for f in DOC_REQUIRED:
            if r.get(f) is None or str(r.get(f)).strip() == "":
                raise InputError(mf, "empty value", line, f)
        fname = str(r["file"]).strip()
        path = (folder / fname).resolve()
        if folder.resolve() not in path.parents:
            raise InputError(mf, f"{fname!r} is outside the folder", line, "file")
        if path.suffix.lower() not in (".txt", ".md"):
            raise InputError(mf, f"{fname!r} is not a .txt or .md file", line, "file")
        if fname in listed:
            raise InputError(mf, f"{fname!r} is listed twice", line, "file")
        listed.add(fname)
        iso3 = _country(mf, line, "country", r["country"])
        date = _date(mf, line, "date", r["date"])
        lang = str(r["language"]).strip().lower()
        if lang not in LANGUAGES:
            raise InputError(mf, f"language {lang!r} is not one of {', '.join(LANGUAGES)}", line, "language")
        text = _read_text(path, "document")
        doc_id = "user:" + (str(r.get("id") or "").strip() or hashlib.sha256(text.encode()).hexdigest()[:16])
        if doc_id in seen or doc_id in existing_ids:
            raise InputError(mf, f"duplicate document id {doc_id!r}"
                             + (" (already in the store)" if doc_id in existing_ids else ""), line,
                             "id" if r.get("id") else "file")
        seen.add(doc_id)
        out.append(dict(doc_id=doc_id, iso3=iso3, date=date, year=date.year, title=str(r["title"]).strip(),
                        language=lang, doc_type=str(r.get("doc_type") or "user_document"), source=USER_SOURCE,
                        source_url=str(r["source_url"]).strip(), text=text))
    return pd.DataFrame(out)


def votes(file: str | Path, existing_rcids: set[int] = frozenset()) -> dict[str, pd.DataFrame]:
    """Validate a UN Digital Library voting export; return rows for `roll_calls` and `votes`."""
    path = Path(file)
    text = _read_text(path, "vote file")
    reader = csv.DictReader(io.StringIO(text))
    f = str(path)
    _check_columns(f, reader.fieldnames or [], VOTE_REQUIRED, VOTE_OPTIONAL)
    vote_rows, calls, seen = [], {}, set()
    for i, r in enumerate(reader):
        line = i + 2
        if None in r:  # more cells than header columns
            raise InputError(f, f"{len(r[None])} more cell(s) than the header has columns", line)
        for field in VOTE_REQUIRED:
            if r.get(field) is None or (field != "ms_vote" and str(r[field]).strip() == ""):
                raise InputError(f, "empty value", line, field)
        try:
            rcid = int(str(r["undl_id"]).strip())
        except ValueError:
            raise InputError(f, f"{r['undl_id']!r} is not an integer record id", line, "undl_id") from None
        if rcid in existing_rcids:
            raise InputError(f, f"roll call {rcid} is already in the store", line, "undl_id")
        iso3 = _country(f, line, "ms_code", r["ms_code"])
        if (rcid, iso3) in seen:
            raise InputError(f, f"duplicate vote of {iso3} on roll call {rcid}", line, "ms_code")
        seen.add((rcid, iso3))
        code = str(r["ms_vote"]).strip().upper() or "X"
        if code not in VOTE_CODES:
            raise InputError(f, f"vote {r['ms_vote']!r} is not one of Y, N, A, X (or blank)", line, "ms_vote")
        date = _date(f, line, "date", r["date"])
        call = (date, str(r["resolution"]).strip(), str(r["title"]).strip())
        if rcid in calls and calls[rcid][:3] != call:
            raise InputError(f, f"roll call {rcid} has a different date, resolution or title than on an "
                             "earlier line", line, "undl_id")
        session = str(r.get("session") or "").strip()
        calls.setdefault(rcid, call + (int(session) if session.isdigit() else None,))
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
