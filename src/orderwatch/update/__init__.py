"""Keep the store current: updaters for recorded UNGA votes, General Debate speeches and
SIPRI arms transfers.

Every updater validates a whole batch before anything is written, writes through the
store's copy-and-swap (so a failure leaves the store byte-for-byte as it was), and records
one provenance row per batch in ``update_batches`` (what, where from, when, sha256, rows).
The fetched rows are user rows: they survive ``orderwatch build`` and the streams that
read them are marked stale until the next build.
"""

from __future__ import annotations

# Which derived streams read which base table: an update to a table makes these stale.
STALE_AFTER = {
    "votes": ("votes", "synthesis"),
    "speeches": ("text", "synthesis"),
    "arms": ("practice", "synthesis"),
}
