"""Per-host politeness shared through PostgreSQL: two gates stand for two workers."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from datetime import timedelta

import pytest

from khabar.distributed.hostgate import HostGate, SharedPoliteness
from khabar.distributed.schema import ensure_schema
from khabar.errors import HostCoolingDownError
from khabar.settings import Settings

DELAY = 0.25


@pytest.fixture
def gates(database_url: str) -> Iterator[tuple[HostGate, HostGate]]:
    ensure_schema(database_url)
    one, two = HostGate(database_url, DELAY), HostGate(database_url, DELAY)
    yield one, two
    one.close()
    two.close()


def test_reservations_from_two_workers_are_spaced_by_the_delay(
    gates: tuple[HostGate, HostGate],
) -> None:
    one, two = gates
    turns = [gate.reserve("news.example") for gate in (one, two, one, two)]
    starts = [t.next_start - timedelta(seconds=DELAY) for t in turns]
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(starts)]
    assert all(abs(gap - DELAY) < 1e-6 for gap in gaps), gaps
    assert turns[0].wait < 0.05 and turns[-1].wait > 2 * DELAY
    assert two.reserve("other.example").wait < 0.05  # hosts do not wait for each other


def test_a_cooldown_seen_by_one_worker_stops_the_others(
    gates: tuple[HostGate, HostGate],
) -> None:
    one, two = gates
    one.cool_down("busy.example", 30)
    assert two.reserve("busy.example").cooling > 29
    polite = SharedPoliteness(Settings(per_host_delay=DELAY), two)

    async def ask() -> None:
        async with polite.slot("busy.example", "https://busy.example/a"):
            pass

    with pytest.raises(HostCoolingDownError):
        asyncio.run(ask())
