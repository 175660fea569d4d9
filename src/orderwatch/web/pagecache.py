"""The response cache: a least-recently-used map bounded by entries and by bytes.

A GET response depends only on the path, the query parameters the routes read and the
store file; keys are built from exactly those, so ``?year=2020&x=1`` and ``?year=2020``
share one entry and junk parameters cannot fill the cache. The cache is emptied when the
store file changes (its :func:`fingerprint` — inode, mtime, size — differs), i.e. after
``orderwatch build`` swaps a new store in.

>>> c = ResponseCache(max_entries=2, max_bytes=100)
>>> c.put("a", "start", b"x" * 40); c.put("b", "start", b"y" * 40); c.put("c", "start", b"z" * 40)
>>> sorted(c.keys()), c.size_bytes
(['b', 'c'], 80)
>>> cache_key("/compare", "stream=votes&c=PHL&utm=1&c=JPN", gzip=False)
'/compare?c=PHL&c=JPN&stream=votes'
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from typing import Any
from urllib.parse import parse_qsl, urlencode

#: Query parameters some cached route reads; any other parameter is ignored by FastAPI and
#: so left out of the key. Repeated values keep their order (c=PHL&c=JPN differs from c=JPN&c=PHL).
KNOWN_PARAMS = ("axis", "c", "end", "group", "start", "stream", "year")
#: Longest query string (bytes) whose response is cached; longer ones are served uncached.
MAX_KEY_QUERY = 512


def cache_key(path: str, query: str, gzip: bool) -> str | None:
    """The cache key for a GET, or None when the request should not be cached."""
    if len(query) > MAX_KEY_QUERY:
        return None
    pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k in KNOWN_PARAMS]
    pairs.sort(key=lambda kv: kv[0])  # stable: repeated values keep their order
    key = path + ("?" + urlencode(pairs) if pairs else "")
    return key + "#gzip" if gzip else key


def fingerprint(path: os.PathLike | str | None) -> tuple[int, int, int] | None:
    """``(inode, mtime_ns, size)`` of the store file; None when there is none or it is unreadable."""
    if path is None:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


class ResponseCache:
    """LRU of ``key -> (response start message, body)`` within ``max_entries`` and ``max_bytes``.

    A body larger than ``max_entry_bytes`` is not kept (it would evict everything else).
    Thread-safe: the middleware runs on the event loop, tests read it from other threads.
    """

    def __init__(self, max_entries: int = 1024, max_bytes: int = 24_000_000, max_entry_bytes: int = 2_000_000):
        self.max_entries, self.max_bytes, self.max_entry_bytes = max_entries, max_bytes, max_entry_bytes
        self._items: OrderedDict[str, tuple[Any, bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self.size_bytes = 0

    def get(self, key: str) -> tuple[Any, bytes] | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
            return hit

    def put(self, key: str, start: Any, body: bytes) -> None:
        if len(body) > self.max_entry_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.size_bytes -= len(old[1])
            self._items[key] = (start, body)
            self.size_bytes += len(body)
            while len(self._items) > self.max_entries or self.size_bytes > self.max_bytes:
                _, (_, dropped) = self._items.popitem(last=False)
                self.size_bytes -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.size_bytes = 0

    def keys(self) -> list[str]:
        with self._lock:
            return list(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items


class BoundedMemo(OrderedDict):
    """A dict that forgets its least-recently used entries beyond ``max_entries``.

    Replaces :class:`~orderwatch.web.data.Data`'s memo in the server, where some keys come
    from requests (the map per year, axis, stream and subregion) and would otherwise grow
    with every distinct query.
    """

    def __init__(self, max_entries: int = 128):
        super().__init__()
        self.max_entries = max_entries

    def __getitem__(self, key):
        value = super().__getitem__(key)
        self.move_to_end(key)
        return value

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        while len(self) > self.max_entries:
            self.popitem(last=False)
