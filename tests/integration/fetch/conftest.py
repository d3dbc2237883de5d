"""Fixtures for the fetch integration tests: a local server and test settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.support.httpserver import LocalServer

from khabar.settings import Settings


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


@pytest.fixture
def settings() -> Settings:
    """Loopback allowed, no politeness delay, no robots.txt, short timeouts."""
    return Settings(
        allow_hosts=("127.0.0.1",),
        per_host_delay=0.0,
        respect_robots=False,
        connect_timeout=2.0,
        read_timeout=2.0,
        fetch_deadline=5.0,
    )
