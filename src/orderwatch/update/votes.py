"""`orderwatch update votes`: recorded UNGA votes newer than the store's latest.

The fetched records are written as a UN Digital Library voting export (the CSV that
``orderwatch ingest votes`` takes) and go through the same validation, ``ingest.votes``;
the rows land with the provenance of every page fetched in one atomic swap.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from orderwatch import __version__, ingest, lock, store
from orderwatch.update import STALE_AFTER, undl

CSV_COLUMNS = ("undl_id", "ms_code", "ms_vote", "date", "resolution", "title", "session", "meeting", "undl_link")


@dataclass
class UpdateReport:
    path: Path
    kind: str
    added: dict[str, int] = field(default_factory=dict)
    batches: int = 0
    seconds: float = 0.0
    since: str | None = None
    stale_streams: tuple[str, ...] = ()


def cache_dir(target: Path) -> Path:
    return target.parent / f".{target.name}.undl-cache"


def _write_export(records: list[dict], folder: Path) -> Path:
    path = folder / "undl-update.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(CSV_COLUMNS)
        for r in records:
            for iso3, vote in sorted(r["votes"].items()):
                w.writerow([r["rcid"], iso3, vote, r["date"].isoformat(), r["resolution"], r["title"],
                            r["session"], r["meeting"], r["undl_link"]])
    return path


def batch_rows(kind: str, pages: list[undl.Page] | list[dict], added: dict[str, int]) -> pd.DataFrame:
    """Provenance rows for ``update_batches``: one per page or file fetched."""
    rows = []
    stamp = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    for p in pages:
        p = p if isinstance(p, dict) else {"source": p.url, "retrieved_at": p.retrieved_at, "sha256": p.sha256,
                                           "records": len(p.records), "new_records": p.new_records}
        rows.append({"batch_id": f"{kind}:{stamp}:{p['sha256'][:12]}", "kind": kind, "source": p["source"],
                     "retrieved_at": p["retrieved_at"], "sha256": p["sha256"], "records": int(p["records"]),
                     "new_records": int(p["new_records"]), "written_at": stamp,
                     "added": ", ".join(f"{k}={v}" for k, v in added.items()), "orderwatch_version": __version__})
    return pd.DataFrame(rows)


def latest_vote(target: Path) -> tuple[dt.date, set[int]]:
    """The date of the store's latest roll call and every roll-call id it holds."""
    with store.Store(target) as st:
        rc = st.sql("SELECT rcid, date FROM roll_calls")
    return pd.to_datetime(rc.date).max().date(), set(int(x) for x in rc.rcid)


@lock.holds_write_lock
def update_votes(target: Path, fetch: undl.Fetcher = undl.http_fetch, today: dt.date | None = None,
                 page_size: int = undl.PAGE_SIZE) -> UpdateReport:
    """Fetch, validate and add recorded votes newer than the store's latest.

    Nothing is written unless every page was fetched and every record validated; pages
    fetched by an interrupted run are reused by the next one (see ``undl.PageCache``).
    """
    t0 = time.perf_counter()
    target = Path(target)
    since, known = latest_vote(target)
    cache = undl.PageCache(cache_dir(target))
    got = undl.fetch_since(since, today or dt.date.today(), fetch, cache, page_size)
    new, seen = [], set()
    for page in got.pages:
        for r in page.records:
            if r["date"] >= since and r["rcid"] not in known and r["rcid"] not in seen:
                new.append(r)
                seen.add(r["rcid"])
                page.new_records += 1
    report = UpdateReport(target, "votes", {"roll_calls": 0, "votes": 0}, len(got.pages), since=since.isoformat())
    if new:
        with tempfile.TemporaryDirectory(prefix="orderwatch-undl-") as tmp:
            tables = ingest.votes(_write_export(new, Path(tmp)), known)
        report.added = {"roll_calls": len(tables["roll_calls"]), "votes": len(tables["votes"])}
        tables["update_batches"] = batch_rows("undl_votes", got.pages, report.added)
        report.stale_streams = STALE_AFTER["votes"]
        store.append_user_rows(target, tables, report.stale_streams)
    cache.clear()
    report.seconds = time.perf_counter() - t0
    return report
