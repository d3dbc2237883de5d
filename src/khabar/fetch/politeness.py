"""Politeness: how many requests, how often, and when a host asked us to back off.

* at most ``concurrency`` requests in flight in all, and ``per_host_concurrency`` per host;
* request starts to one host are spaced by at least ``per_host_delay`` seconds;
* after a 429 or 503 with ``Retry-After`` the host *cools down*: until the time is up, requests to
  it **fail fast** with :class:`HostCoolingDownError` (which carries ``retry_after``) instead of
  waiting. Waiting would hold a worker (and the global concurrency) for up to hours; failing fast
  lets the scheduler record the error and come back later (``next_fetch_at`` honours
  ``retry_after`` as a lower bound). A cooldown never exceeds ``max_cooldown`` seconds.

State lives in one :class:`Politeness` object per :class:`~khabar.fetch.client.Fetcher`: no
module-global caches. Time is anyio's monotonic clock.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import anyio

from khabar.errors import HostCoolingDownError
from khabar.settings import Settings

__all__ = ["HostCoolingDownError", "Politeness"]


@dataclass(slots=True)
class _HostGate:
    slots: anyio.Semaphore
    next_start: float = 0.0
    cool_until: float = 0.0


class Politeness:
    """Per-host and global limits, start spacing and Retry-After cooldowns."""

    def __init__(self, settings: Settings) -> None:
        self._per_host = max(1, settings.per_host_concurrency)
        self._delay = max(0.0, settings.per_host_delay)
        self._max_cooldown = max(0.0, settings.max_interval)
        self._global = anyio.Semaphore(max(1, settings.concurrency))
        self._hosts: dict[str, _HostGate] = {}

    @asynccontextmanager
    async def slot(self, host: str, url: str) -> AsyncIterator[None]:
        """Hold one request slot for ``host`` (raises HostCoolingDownError if cooling down)."""
        gate = self._gate(host)
        self._raise_if_cooling(gate, host, url)
        async with self._global, gate.slots:
            await self._wait_turn(gate)
            self._raise_if_cooling(gate, host, url)
            yield

    def cool_down(self, host: str, seconds: float) -> None:
        """Refuse requests to ``host`` for ``seconds`` (capped at ``max_cooldown``)."""
        gate = self._gate(host)
        until = anyio.current_time() + min(max(0.0, seconds), self._max_cooldown)
        gate.cool_until = max(gate.cool_until, until)

    def cooling_for(self, host: str) -> float:
        """Seconds left in ``host``'s cooldown (0 when none)."""
        gate = self._hosts.get(host)
        return 0.0 if gate is None else max(0.0, gate.cool_until - anyio.current_time())

    def _gate(self, host: str) -> _HostGate:
        gate = self._hosts.get(host)
        if gate is None:
            gate = self._hosts[host] = _HostGate(anyio.Semaphore(self._per_host))
        return gate

    async def _wait_turn(self, gate: _HostGate) -> None:
        # Reserve the next start time before sleeping (no await in between: no lock needed).
        now = anyio.current_time()
        start = max(now, gate.next_start)
        gate.next_start = start + self._delay
        await anyio.sleep(start - now)

    @staticmethod
    def _raise_if_cooling(gate: _HostGate, host: str, url: str) -> None:
        left = gate.cool_until - anyio.current_time()
        if left > 0:
            raise HostCoolingDownError(url, host, left)
