"""One SQLite connection per thread.

The storage is used from several threads at once: the web reader and the scheduler on the
event loop's thread, writes in worker threads (so a locked database never stalls the loop),
the web server's thread pool. One shared connection would let a read of one thread run in the
middle of another thread's write transaction: it would see an article stored but not yet
linked (which a rollback could still take back), and a read statement open on the connection
while a transaction begins can make that transaction's writes fail with "database is locked"
(``tests/hostile/test_locked.py`` caught it). With a connection per thread, WAL gives each
read a consistent view of what is committed, and writes take turns through SQLite's lock.

The thread that opened the storage keeps the first connection (which ran the migrations). A
connection opened for another thread is closed when that thread ends. An in-memory database
exists only inside its one connection, so there every thread shares it.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import weakref
from collections.abc import Callable

__all__ = ["ThreadConnections"]


class _Held:
    """One thread's connection; closed when the thread ends and its thread-local goes."""

    __slots__ = ("__weakref__", "conn")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __del__(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()


class ThreadConnections:
    """The connection of the calling thread, opened on its first use (see the module doc)."""

    def __init__(
        self, first: sqlite3.Connection, open_more: Callable[[], sqlite3.Connection] | None
    ) -> None:
        self._first = first
        self._owner = threading.get_ident()
        self._open_more = open_more
        self._local = threading.local()
        self._opened: weakref.WeakSet[_Held] = weakref.WeakSet()

    def get(self) -> sqlite3.Connection:
        if self._open_more is None or threading.get_ident() == self._owner:
            return self._first
        held: _Held | None = getattr(self._local, "held", None)
        if held is None:
            held = _Held(self._open_more())
            self._local.held = held
            self._opened.add(held)
        return held.conn

    def close(self) -> None:
        for held in list(self._opened):
            held.conn.close()
        self._first.close()
