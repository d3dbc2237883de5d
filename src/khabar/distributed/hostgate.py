"""Per-host politeness that holds across every worker on every machine.

The in-process :class:`~khabar.fetch.politeness.Politeness` spaces request starts to one host
inside one process; with several workers each would keep its own spacing and a host would get
``workers ×`` the allowed rate. Here the spacing lives in one PostgreSQL row per host
(``khabar_host_gates``): a request *reserves* its start time — ``SELECT … FOR UPDATE`` the
row, decide with :func:`plan_turn` (pure), write the next free start back — and then sleeps
until its turn. All times come from the database clock, so machines with skewed clocks agree.

A ``Retry-After`` cooldown is shared the same way: one worker told to back off makes every
worker fail fast for that host until the time is up.

What stays per process: the global and per-host concurrency limits (semaphores). Starts are
spaced globally, so with a delay longer than a response takes, a host never sees more than
one request at a time from all workers together.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import anyio
import psycopg

from khabar.errors import HostCoolingDownError
from khabar.fetch.politeness import Politeness
from khabar.settings import Settings

__all__ = ["HostGate", "SharedPoliteness", "Turn", "plan_turn"]


@dataclass(frozen=True, slots=True)
class Turn:
    """A decision for one request: wait ``wait`` seconds, or refuse (``cooling`` > 0)."""

    wait: float
    next_start: datetime
    cooling: float = 0.0


def plan_turn(
    now: datetime, next_start: datetime | None, cool_until: datetime | None, delay: float
) -> Turn:
    """When a request to a host may start, given the host's row (None: never asked)."""
    if cool_until is not None and cool_until > now:
        return Turn(0.0, next_start or now, (cool_until - now).total_seconds())
    start = max(now, next_start) if next_start is not None else now
    return Turn((start - now).total_seconds(), start + timedelta(seconds=delay))


# The clock is read after the row lock is granted (outside the locking CTE), so a request
# that waited for another worker's reservation sees the time it actually got the row.
_LOCK_ROW = """WITH locked AS (
        SELECT next_start, cool_until FROM khabar_host_gates WHERE host = %s FOR UPDATE
    ) SELECT clock_timestamp() AS now, next_start, cool_until FROM locked"""
_ADD_ROW = "INSERT INTO khabar_host_gates (host) VALUES (%s) ON CONFLICT (host) DO NOTHING"
_SAVE_ROW = """INSERT INTO khabar_host_gates (host, next_start) VALUES (%s, %s)
    ON CONFLICT (host) DO UPDATE SET next_start = excluded.next_start"""
_COOL = """INSERT INTO khabar_host_gates AS g (host, cool_until)
    VALUES (%(host)s, clock_timestamp() + %(seconds)s * interval '1 second')
    ON CONFLICT (host) DO UPDATE SET cool_until = greatest(g.cool_until, excluded.cool_until)"""


class HostGate:
    """The shared rows, over one connection of this process (used from one thread)."""

    def __init__(self, url: str, delay: float) -> None:
        self.delay = max(0.0, delay)
        self._conn: psycopg.Connection[Any] = psycopg.connect(
            url, autocommit=True, application_name="khabar-hostgate"
        )

    def reserve(self, host: str) -> Turn:
        """Reserve the next start for ``host`` (or learn that it is cooling down)."""
        with self._conn.transaction():
            row = self._conn.execute(_LOCK_ROW, (host,)).fetchone()
            if row is None:  # the host's first request ever: add its row, then lock it
                self._conn.execute(_ADD_ROW, (host,))
                row = self._conn.execute(_LOCK_ROW, (host,)).fetchone()
            assert row is not None  # the row exists now
            now, next_start, cool_until = row
            turn = plan_turn(now, next_start, cool_until, self.delay)
            if turn.cooling == 0.0:
                self._conn.execute(_SAVE_ROW, (host, turn.next_start))
        return turn

    def cool_down(self, host: str, seconds: float) -> None:
        self._conn.execute(_COOL, {"host": host, "seconds": max(0.0, seconds)})

    def close(self) -> None:
        self._conn.close()


class SharedPoliteness(Politeness):
    """:class:`Politeness` whose start spacing and cooldowns are shared through a HostGate."""

    def __init__(self, settings: Settings, gate: HostGate) -> None:
        super().__init__(settings.replace(per_host_delay=0.0))  # spacing is the gate's job
        self._shared = gate
        self._max_shared_cooldown = max(0.0, settings.max_interval)

    @asynccontextmanager
    async def slot(self, host: str, url: str) -> AsyncIterator[None]:
        async with super().slot(host, url):
            turn = self._shared.reserve(host)
            if turn.cooling > 0:
                raise HostCoolingDownError(url, host, turn.cooling)
            await anyio.sleep(turn.wait)
            yield

    def cool_down(self, host: str, seconds: float) -> None:
        super().cool_down(host, seconds)
        self._shared.cool_down(host, min(max(0.0, seconds), self._max_shared_cooldown))
