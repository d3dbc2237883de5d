"""Size caps and the overall deadline, against a real local server."""

from __future__ import annotations

import gzip
import itertools
import time
from collections.abc import Iterator

import anyio
import pytest
from tests.support.httpserver import LocalServer, Reply

from khabar.errors import BodyTooLargeError, FetchError
from khabar.fetch import Fetcher
from khabar.settings import Settings
from khabar.types import FetchRequest

pytestmark = pytest.mark.anyio

CAP = 64 * 1024


def _endless() -> Iterator[bytes]:
    for _ in itertools.count():
        yield b"x" * 16384


def _slow(delay: float) -> Iterator[bytes]:
    for _ in range(100):
        time.sleep(delay)
        yield b"x"


async def _fetch(settings: Settings, url: str) -> None:
    async with Fetcher(settings.replace(max_body_bytes=CAP)) as fetcher:
        await fetcher.fetch(FetchRequest(url))


async def test_declared_length_over_cap_is_refused_upfront(
    server: LocalServer, settings: Settings
) -> None:
    server.route("/big", Reply(200, b"x" * (CAP + 1)))
    with pytest.raises(BodyTooLargeError, match=f"Content-Length {CAP + 1} is over the {CAP}"):
        await _fetch(settings, server.url("/big"))


async def test_undeclared_length_over_cap_is_stopped(
    server: LocalServer, settings: Settings
) -> None:
    server.route("/big", Reply(200, b"x" * (CAP * 4), length=False))
    with pytest.raises(BodyTooLargeError, match=f"past the {CAP}-byte cap"):
        await _fetch(settings, server.url("/big"))


async def test_endless_chunked_body_is_capped(server: LocalServer, settings: Settings) -> None:
    server.route("/endless", Reply(200, _endless()))
    with anyio.fail_after(3):
        with pytest.raises(BodyTooLargeError, match="download stopped"):
            await _fetch(settings, server.url("/endless"))


async def test_gzip_bomb_is_capped_on_decoded_size(server: LocalServer, settings: Settings) -> None:
    bomb = gzip.compress(b"\0" * (8 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < CAP  # the wire size passes; only the decoded size is over
    server.route("/bomb", Reply(200, bomb, {"Content-Encoding": "gzip"}))
    with pytest.raises(BodyTooLargeError):
        await _fetch(settings, server.url("/bomb"))


async def test_slow_server_is_ended_by_the_deadline(
    server: LocalServer, settings: Settings
) -> None:
    server.route("/drip", Reply(200, _slow(0.2)))
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"timed out after 1 s \(fetch_deadline\)"):
        async with Fetcher(settings.replace(fetch_deadline=1.0)) as fetcher:
            await fetcher.fetch(FetchRequest(server.url("/drip")))
    assert time.monotonic() - started < 2.0
