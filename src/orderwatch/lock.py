"""One writer at a time per store: advisory lock files next to it (Linux/macOS ``flock``).

Two locks, each a small file holding the owner's pid:

* ``s.duckdb.lock`` (``WRITE``) is held by whoever swaps a new file in: an ingest or an
  update for its whole copy-insert-swap, a build only for its last step (re-read the rows
  users added meanwhile, then swap). A second writer waits, then refuses in one line.
* ``s.duckdb.build.lock`` (``BUILD``) is held by a build from start to end, so two builds
  never run at once (the second waits, then refuses) while ingests may still run beside one.

The kernel drops a lock when its holder dies (even by SIGKILL): a lock file left on disk
is harmless, and is never deleted (deleting it would let two processes lock two files).
Acquisition is re-entrant within a process, so a command may hold the lock around a
library call that takes it again. Children forked while it is held close their copies.
"""

from __future__ import annotations

import errno
import os
import threading
import time
import functools
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, TypeVar

from orderwatch.errors import OrderwatchError

try:
    import fcntl
except ImportError:  # Windows: no flock; writers then run unlocked (documented)
    fcntl = None  # type: ignore[assignment]

WRITE, BUILD = ".lock", ".build.lock"
WAIT_ENV = "ORDERWATCH_LOCK_WAIT"
DEFAULT_WAIT = 60.0  # seconds: longer than an ingest or a stale-only rebuild takes
POLL = 0.05

_held: dict[str, list] = {}  # lock path -> [fd, depth]
_guard = threading.Lock()


class StoreBusyError(OrderwatchError):
    """Another process holds a store's lock (the message names its pid)."""


def lock_path(target: Path, kind: str = WRITE) -> Path:
    target = Path(target)
    return target.with_name(target.name + kind)


def default_wait() -> float:
    try:
        return float(os.environ.get(WAIT_ENV, DEFAULT_WAIT))
    except ValueError:
        raise OrderwatchError(f"${WAIT_ENV} must be a number of seconds, got {os.environ[WAIT_ENV]!r}") from None


def holder(target: Path, kind: str = WRITE) -> int | None:
    """The pid holding the lock, or None when it is free (for messages and `orderwatch doctor`)."""
    p = lock_path(target, kind)
    if fcntl is None or not p.exists():
        return None
    with _guard:
        if str(p) in _held:
            return os.getpid()
    try:
        fd = os.open(p, os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read_pid(p) or -1
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def _read_pid(p: Path) -> int | None:
    for _ in range(5):  # the holder writes its pid just after locking: retry an empty read
        try:
            text = p.read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return None
        if text.isdigit():
            return int(text)
        time.sleep(0.01)
    return None


def _open(p: Path) -> int:
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        return os.open(p, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise OrderwatchError(f"cannot write in {p.parent}: {exc.strerror or exc}") from None


@contextmanager
def writer_lock(target: Path, wait: float | None = None, kind: str = WRITE) -> Iterator[None]:
    """Hold the store's ``kind`` lock for the block, waiting up to ``wait`` seconds
    (default ``$ORDERWATCH_LOCK_WAIT`` or 60) before raising :class:`StoreBusyError`."""
    p = lock_path(target, kind)
    key = str(p)
    with _guard:
        if key in _held:
            _held[key][1] += 1
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield
        finally:
            _release(key)
        return
    fd = _open(p)
    if fcntl is not None:
        deadline = time.monotonic() + (default_wait() if wait is None else max(0.0, wait))
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    what = "building" if kind == BUILD else "writing"
                    pid = _read_pid(p)
                    raise StoreBusyError(f"another orderwatch process is {what} this store "
                                         f"(pid {pid if pid else '?'}): {Path(target)}; try again when it "
                                         "has finished, or pass --wait SECONDS") from None
                time.sleep(POLL)
            except OSError as exc:
                os.close(fd)
                if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP):  # a filesystem without locks
                    raise OrderwatchError(f"cannot lock {p}: {exc.strerror}") from None
                raise
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
    with _guard:
        _held[key] = [fd, 1]
    try:
        yield
    finally:
        _release(key)


F = TypeVar("F", bound=Callable)


def holds_write_lock(fn: F) -> F:
    """Run ``fn(target, ...)`` under ``target``'s write lock: a writer that reads the store,
    decides what is new and appends (``orderwatch update``) sees no other writer meanwhile."""
    @functools.wraps(fn)
    def wrapper(target, *args, **kwargs):
        with writer_lock(Path(target)):
            return fn(target, *args, **kwargs)
    return wrapper  # type: ignore[return-value]


def _release(key: str) -> None:
    with _guard:
        entry = _held[key]
        entry[1] -= 1
        if entry[1]:
            return
        del _held[key]
    fd = entry[0]
    try:
        os.ftruncate(fd, 0)  # no stale pid for the next reader; the lock itself goes with close
    except OSError:
        pass
    os.close(fd)  # releases the flock


def _forget_in_child() -> None:
    """A forked child (the build's stream workers) drops its copies of held lock fds.

    Closing a copy does not release the parent's lock (flock belongs to the open file, shared
    until every copy is closed), but it stops a lingering child from keeping the store locked
    after its parent died.
    """
    for fd, _ in _held.values():
        try:
            os.close(fd)
        except OSError:
            pass
    _held.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_in_child)
