"""`orderwatch update speeches` and `orderwatch update arms`: releases the user brings.

Speeches: a new General Debate Corpus release, either as a table (``.parquet``/``.csv``
with the bundled file's columns ``iso3, session, year, text``) or in the corpus's own
layout (a folder or ``.zip`` with ``Session NN - YYYY/ISO_NN_YYYY.txt`` files, the layout
the bundled file was made from). Speeches for (state, session) pairs the store lacks are
added to ``speeches`` and kept in ``speeches_user`` (carried across rebuilds).

Arms: a SIPRI Arms Transfers Database trade-register CSV as its export writes it (a
preamble, then a fixed header). Rows are kept as user rows in ``arms_transfers_user``
with a row hash, so a newer register adds only the deals it changes or adds; the
practice stream reads them (see docs/scale.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
import tempfile
import time
import zipfile
from pathlib import Path

import pandas as pd

from orderwatch import countries, lock, store
from orderwatch.errors import InputError, OrderwatchError, UnknownCountryError
from orderwatch.update import STALE_AFTER
from orderwatch.update.votes import UpdateReport, batch_rows

MAX_RELEASE_BYTES = 2 * 1024 ** 3
SPEECH_COLUMNS = ("iso3", "session", "year", "text")
GDC_FILE = re.compile(r"(?:^|/)Session (\d+) - (\d{4})/([A-Z]{2,3}(?:-[A-Z]+)?)_(\d+)_(\d{4})\.txt$")
# The header of SIPRI's trade-register export, as in the register of 23 Oct 2025.
SIPRI_HEADER = ["Recipient", "Supplier", "Year of order", " ", "Number ordered", " ", "Weapon designation",
                "Weapon description", "Number delivered", " ", "Year(s) of delivery", "status", "Comments",
                "SIPRI TIV per unit", "SIPRI TIV for total order", "SIPRI TIV of delivered weapons"]
# SIPRI's short names that the country registry does not know by that spelling.
SIPRI_NAMES = {"Turkiye": "TUR", "Bosnia-Herzegovina": "BIH", "Cote d'Ivoire": "CIV", "UAE": "ARE",
               "Taiwan": "TWN", "East Germany (GDR)": "DDR", "North Yemen": "YAR"}
ARMS_COLUMNS = ["recipient", "supplier", "year_of_order", "order_uncertain", "number_ordered",
                "number_ordered_uncertain", "weapon_designation", "weapon_description", "number_delivered",
                "number_delivered_uncertain", "years_of_delivery", "status", "comments", "tiv_per_unit",
                "tiv_total_order", "tiv_delivered"]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _fetch_source(source: str) -> tuple[Path, str, tempfile.TemporaryDirectory | None]:
    """A local path for ``source`` (downloaded to a temp dir when it is a URL)."""
    if re.match(r"^https?://", source):
        from orderwatch.update.undl import http_fetch

        tmp = tempfile.TemporaryDirectory(prefix="orderwatch-release-")
        name = source.rstrip("/").rsplit("/", 1)[-1].split("?")[0] or "release"
        p = Path(tmp.name) / name
        p.write_bytes(http_fetch(source, timeout=600))
        return p, source, tmp
    p = Path(source)
    if not p.exists():
        raise InputError(source, "not found")
    return p, str(p.resolve()), None


# -- speeches ---------------------------------------------------------------------------------
def _speeches_from_layout(names_and_bytes, where: str) -> pd.DataFrame:
    rows = []
    for name, read in names_and_bytes:
        m = GDC_FILE.search(name)
        if not m:
            continue
        s_dir, y_dir, code, s_file, y_file = m.groups()
        if int(s_dir) != int(s_file) or y_dir != y_file:
            raise InputError(where, f"{name}: folder says session {s_dir} ({y_dir}), the file name "
                             f"session {s_file} ({y_file})")
        raw = read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(where, f"{name}: not UTF-8 (byte offset {exc.start})") from None
        rows.append({"iso3": code, "session": int(s_file), "year": int(y_file), "text": text, "path": name})
    if not rows:
        raise InputError(where, "no speech files in the General Debate layout "
                         "'Session NN - YYYY/ISO_NN_YYYY.txt' (the layout of the bundled release)")
    return pd.DataFrame(rows)


def read_speech_release(path: Path, where: str) -> pd.DataFrame:
    """The speeches of a release as (iso3, session, year, text, path)."""
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.txt"))
        return _speeches_from_layout(((p.relative_to(path).as_posix(), p.read_bytes) for p in files), where)
    if path.suffix == ".zip":
        try:
            with zipfile.ZipFile(path) as z:
                return _speeches_from_layout(((n, lambda n=n: z.read(n)) for n in sorted(z.namelist())), where)
        except zipfile.BadZipFile:
            raise InputError(where, "not a valid zip archive") from None
    if path.suffix == ".parquet":
        try:
            df = pd.read_parquet(path)
        except Exception as exc:  # pyarrow raises many kinds
            raise InputError(where, f"cannot read as Parquet ({type(exc).__name__})") from None
    elif path.suffix == ".csv":
        try:
            df = pd.read_csv(path, dtype={"iso3": str, "text": str}, keep_default_na=False)
        except (UnicodeDecodeError, pd.errors.ParserError) as exc:
            raise InputError(where, f"cannot read as UTF-8 CSV ({str(exc).splitlines()[0]})") from None
    else:
        raise InputError(where, "give a .parquet or .csv table, a .zip or a folder of the corpus's TXT files")
    missing = [c for c in SPEECH_COLUMNS if c not in df.columns]
    if missing:
        raise InputError(where, f"missing column(s) {', '.join(missing)}; the bundled release has "
                         f"{', '.join(SPEECH_COLUMNS)} (plus chars, sha256, source_path)", 1)
    df = df.reset_index(drop=True)
    df["path"] = df.get("source_path", pd.Series([f"row {i + 1}" for i in range(len(df))]))
    return df[[*SPEECH_COLUMNS, "path"]]


def validate_speeches(df: pd.DataFrame, where: str) -> pd.DataFrame:
    """Check codes, session/year (session N is year 1945 + N), text; return store rows."""
    out = []
    for r in df.itertuples(index=False):
        at = f"{where}: {r.path}"
        try:
            session, year = int(r.session), int(r.year)
        except (TypeError, ValueError):
            raise InputError(at, f"session {r.session!r} / year {r.year!r} are not integers") from None
        if year != 1945 + session:
            raise InputError(at, f"session {session} is held in {1945 + session}, not {year}")
        try:
            iso3 = countries.to_iso3(str(r.iso3))
        except UnknownCountryError as exc:
            raise InputError(at, str(exc)) from None
        text = str(r.text or "")
        if not text.strip():
            raise InputError(at, "empty speech text")
        out.append({"iso3": iso3, "session": session, "year": year, "text": text, "chars": len(text),
                    "sha256": _sha(text.encode())})
    rows = pd.DataFrame(out)
    dup = rows[rows.duplicated(["iso3", "session"], keep=False)]
    if len(dup):
        raise InputError(where, f"two speeches of {dup.iso3.iloc[0]} in session {dup.session.iloc[0]}")
    return rows


@lock.holds_write_lock
def update_speeches(target: Path, source: str) -> UpdateReport:
    """Add the speeches of a General Debate release that the store does not hold yet."""
    t0 = time.perf_counter()
    target = Path(target)
    path, origin, tmp = _fetch_source(source)
    try:
        if path.is_file() and path.stat().st_size > MAX_RELEASE_BYTES:
            raise InputError(source, f"{path.stat().st_size / 1e9:.1f} GB is over the 2 GB limit")
        digest = _sha(path.read_bytes()) if path.is_file() else _sha(
            b"".join(p.read_bytes() for p in sorted(path.rglob("*.txt"))))
        rows = validate_speeches(read_speech_release(path, source), source)
    finally:
        if tmp is not None:
            tmp.cleanup()
    with store.Store(target) as st:
        have = st.sql("SELECT iso3, session FROM speeches")
    known = set(zip(have.iso3, have.session.astype(int)))
    new = rows[[(i, int(s)) not in known for i, s in zip(rows.iso3, rows.session)]].reset_index(drop=True)
    report = UpdateReport(target, "speeches", {"speeches": len(new)}, 1, since=str(max(s for _, s in known)))
    if len(new):
        batch = batch_rows("ungdc_release", [{"source": origin, "retrieved_at": _now(), "sha256": digest,
                                              "records": len(rows), "new_records": len(new)}], report.added)
        report.stale_streams = STALE_AFTER["speeches"]
        store.append_user_rows(target, {"speeches": new, "speeches_user": new.assign(batch_id=batch.batch_id[0]),
                                        "update_batches": batch}, report.stale_streams)
    report.seconds = time.perf_counter() - t0
    return report


# -- arms -------------------------------------------------------------------------------------
def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="strict") if _cp1252_ok(raw) else raw.decode("latin-1")


def _cp1252_ok(raw: bytes) -> bool:
    try:
        raw.decode("cp1252")
        return True
    except UnicodeDecodeError:
        return False


def _number(value: str, where: str, line: int, field: str, integer: bool = False):
    v = value.strip()
    if v == "":
        return None
    try:
        return int(v) if integer else float(v)
    except ValueError:
        raise InputError(where, f"{v!r} is not a number", line, field) from None


def _iso3_or_none(name: str) -> str | None:
    if name in SIPRI_NAMES:
        return SIPRI_NAMES[name]
    try:
        return countries.to_iso3(name)
    except UnknownCountryError:
        return None  # SIPRI lists non-state recipients and 'unknown supplier(s)'


def read_trade_register(path: Path) -> tuple[pd.DataFrame, str | None]:
    """Parse a SIPRI trade-register export; returns (rows, 'Data generated' stamp)."""
    where = str(path)
    if not path.is_file():
        raise InputError(where, "not found")
    # records end in \n; a \r\n (or bare \r) is a line break inside an unquoted comment
    text = _decode(path.read_bytes())
    lines = (text.replace("\r\n", " ").replace("\r", " ") if "\n" in text.replace("\r\n", "") else
             text.replace("\r\n", "\n")).split("\n")
    head = next((i for i, ln in enumerate(lines[:50]) if ln.startswith("Recipient,")), None)
    if head is None:
        raise InputError(where, "no 'Recipient,…' header in the first 50 lines: not a SIPRI "
                         "trade-register export")
    header = next(csv.reader([lines[head]]))
    if header != SIPRI_HEADER:
        diff = next((f"column {i + 1} is {a!r}, expected {b!r}" for i, (a, b) in enumerate(zip(header, SIPRI_HEADER))
                     if a != b), f"{len(header)} columns, expected {len(SIPRI_HEADER)}")
        raise InputError(where, f"the header differs from SIPRI's trade-register export: {diff}", head + 1)
    stamp = next((ln.split(":", 1)[1].strip() for ln in lines[:head] if ln.startswith("Data generated")), None)
    rows, seen = [], {}
    for k, text in enumerate(lines[head + 1:]):
        line = head + 2 + k
        cells = next(csv.reader([text]), [])
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(SIPRI_HEADER):
            raise InputError(where, f"{len(cells)} cells, the header has {len(SIPRI_HEADER)}", line)
        r = dict(zip(ARMS_COLUMNS, (c.strip() for c in cells)))
        # identical lines are distinct deals in the register: the key counts repeats
        raw = "\x1f".join(r.values())
        seen[raw] = seen.get(raw, 0) + 1
        r["row_sha256"] = _sha(f"{raw}\x1f{seen[raw]}".encode())
        if not r["recipient"] or not r["supplier"]:
            raise InputError(where, "empty recipient or supplier", line)
        r["year_of_order"] = _number(r["year_of_order"], where, line, "Year of order", integer=True)
        for f in ("number_ordered", "number_delivered"):
            r[f] = _number(r[f], where, line, f, integer=True)
        for f in ("tiv_per_unit", "tiv_total_order", "tiv_delivered"):
            r[f] = _number(r[f], where, line, f)
        for f in ("order_uncertain", "number_ordered_uncertain", "number_delivered_uncertain"):
            if r[f] not in ("", "?"):
                raise InputError(where, f"{r[f]!r} in an uncertainty column (only '?' or empty)", line, f)
            r[f] = r[f] == "?"
        rows.append(r)
    if not rows:
        raise InputError(where, "no deals after the header")
    df = pd.DataFrame(rows, columns=ARMS_COLUMNS + ["row_sha256"])
    names = pd.unique(pd.concat([df.recipient, df.supplier]))
    iso = {n: _iso3_or_none(n) for n in names}
    df.insert(1, "recipient_iso3", df.recipient.map(iso))
    df.insert(3, "supplier_iso3", df.supplier.map(iso))
    return df, stamp


@lock.holds_write_lock
def update_arms(target: Path, file: Path) -> UpdateReport:
    """Add the deals of a SIPRI trade register that the store does not hold yet."""
    t0 = time.perf_counter()
    target, file = Path(target), Path(file)
    rows, stamp = read_trade_register(file)
    with store.Store(target) as st:
        have = set(st.sql("SELECT row_sha256 FROM arms_transfers_user").row_sha256) \
            if st.has_table("arms_transfers_user") else set()
    new = rows[~rows.row_sha256.isin(have)].reset_index(drop=True)
    report = UpdateReport(target, "arms", {"arms_transfers": len(new)}, 1, since=stamp)
    if len(new):
        batch = batch_rows("sipri_trade_register", [{"source": f"{file.resolve()} (SIPRI data generated {stamp})",
                                                     "retrieved_at": _now(), "sha256": _sha(file.read_bytes()),
                                                     "records": len(rows), "new_records": len(new)}], report.added)
        report.stale_streams = STALE_AFTER["arms"]
        store.append_user_rows(target, {"arms_transfers_user": new.assign(batch_id=batch.batch_id[0],
                                                                          release=stamp),
                                        "update_batches": batch}, report.stale_streams)
    report.seconds = time.perf_counter() - t0
    return report


__all__ = ["update_speeches", "update_arms", "read_trade_register", "read_speech_release", "OrderwatchError"]
