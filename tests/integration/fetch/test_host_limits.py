"""Per-host and global concurrency, spacing between requests, against a real local server."""

from __future__ import annotations

import itertools
import time

import anyio
import pytest
from tests.support.httpserver import LocalServer, Reply, Request

from khabar.fetch import Fetcher
from khabar.settings import Settings
from khabar.types import FetchRequest

pytestmark = pytest.mark.anyio


def _slow_ok(_request: Request) -> Reply:
    time.sleep(0.1)
    return Reply(200, b"ok")


async def _fetch_many(settings: Settings, server: LocalServer, count: int) -> None:
    async with Fetcher(settings) as fetcher, anyio.create_task_group() as group:
        for n in range(count):
            group.start_soon(fetcher.fetch, FetchRequest(server.url(f"/p{n}")))


@pytest.mark.parametrize(("per_host", "in_all", "expected"), [(2, 8, 2), (3, 1, 1)])
async def test_concurrency_limits_hold(
    server: LocalServer, settings: Settings, per_host: int, in_all: int, expected: int
) -> None:
    for n in range(6):
        server.route(f"/p{n}", _slow_ok)
    limits = settings.replace(per_host_concurrency=per_host, concurrency=in_all)
    await _fetch_many(limits, server, 6)
    assert len(server.requests) == 6
    assert server.max_in_flight == expected


async def test_requests_to_one_host_are_spaced(server: LocalServer, settings: Settings) -> None:
    starts: list[float] = []

    def record(_request: Request) -> Reply:
        starts.append(time.monotonic())
        return Reply(200, b"ok")

    server.route("/t", record)
    async with Fetcher(settings.replace(per_host_delay=0.4)) as fetcher:
        for _ in range(3):
            await fetcher.fetch(FetchRequest(server.url("/t")))
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    # arrival times jitter on a loaded machine: a wide margin below the 0.4 s delay
    assert len(gaps) == 2 and min(gaps) >= 0.25
