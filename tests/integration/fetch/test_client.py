"""Fetcher against a real local server: encodings, conditional GET, statuses, network errors."""

from __future__ import annotations

import gzip
import socket
import time
import zlib

import brotli  # type: ignore[import-untyped]  # no stubs; ask: mypy override
import pytest
from tests.support.httpserver import LocalServer, Reply, Request

from khabar.errors import FetchError, HTTPStatusError
from khabar.fetch import Fetcher, HostCoolingDownError
from khabar.settings import Settings
from khabar.types import FetchRequest

pytestmark = pytest.mark.anyio

ARABIC = "أعلنت وزارة الصحة اليوم افتتاح مستشفى جديد في العاصمة."
COMPRESSORS = {"gzip": gzip.compress, "deflate": zlib.compress, "br": brotli.compress}


@pytest.mark.parametrize("encoding", sorted(COMPRESSORS))
async def test_compressed_bodies_are_decoded(
    server: LocalServer, settings: Settings, encoding: str
) -> None:
    body = COMPRESSORS[encoding](ARABIC.encode("utf-8"))
    headers = {"Content-Encoding": encoding, "Content-Type": "text/html; charset=utf-8"}
    server.route("/a", Reply(200, body, headers))
    async with Fetcher(settings) as fetcher:
        result = await fetcher.fetch(FetchRequest(server.url("/a")))
    assert (result.status, result.text, result.charset) == (200, ARABIC, "utf-8")
    assert result.final_url == server.url("/a")
    sent = server.requests[0]
    assert sent.header("user-agent") == settings.user_agent
    assert {"gzip", "deflate", "br"} <= set((sent.header("accept-encoding") or "").split(", "))


def _conditional(request: Request) -> Reply:
    etag, modified = '"v1"', "Wed, 01 Jan 2025 00:00:00 GMT"
    if request.header("if-none-match") == etag or request.header("if-modified-since") == modified:
        return Reply(304)
    headers = {"ETag": etag, "Last-Modified": modified, "Content-Type": "application/rss+xml"}
    return Reply(200, b"<rss/>", headers)


async def test_conditional_get_returns_304_without_error(
    server: LocalServer, settings: Settings
) -> None:
    server.route("/feed", _conditional)
    async with Fetcher(settings) as fetcher:
        first = await fetcher.fetch(FetchRequest(server.url("/feed"), purpose="feed"))
        by_etag = await fetcher.fetch(FetchRequest(server.url("/feed"), etag=first.etag))
        by_date = await fetcher.fetch(
            FetchRequest(server.url("/feed"), last_modified=first.last_modified)
        )
    assert (first.status, first.etag, first.text) == (200, '"v1"', "<rss/>")
    for result in (by_etag, by_date):
        assert (result.status, result.body, result.text, result.not_modified) == (
            304,
            b"",
            "",
            True,
        )
    assert by_etag.etag == '"v1"' and by_date.last_modified == first.last_modified


@pytest.mark.parametrize("status", [404, 410, 500, 502])
async def test_error_statuses_raise(server: LocalServer, settings: Settings, status: int) -> None:
    server.route("/x", Reply(status, b"nope"))
    async with Fetcher(settings) as fetcher:
        with pytest.raises(HTTPStatusError) as caught:
            await fetcher.fetch(FetchRequest(server.url("/x")))
    assert caught.value.status == status and caught.value.retry_after is None
    assert f"HTTP {status}" in str(caught.value)


async def test_429_retry_after_seconds_then_host_cools_down(
    server: LocalServer, settings: Settings
) -> None:
    server.route("/busy", Reply(429, b"", {"Retry-After": "120"}))
    server.route("/other", Reply(200, b"ok"))
    async with Fetcher(settings) as fetcher:
        with pytest.raises(HTTPStatusError) as caught:
            await fetcher.fetch(FetchRequest(server.url("/busy")))
        with pytest.raises(HostCoolingDownError) as cooling:
            await fetcher.fetch(FetchRequest(server.url("/other")))
    assert (caught.value.status, caught.value.retry_after) == (429, 120.0)
    assert 110 < cooling.value.retry_after <= 120
    assert server.hits("/other") == 0


async def test_503_retry_after_http_date(server: LocalServer, settings: Settings) -> None:
    when = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 90))
    server.route("/down", Reply(503, b"", {"Retry-After": when}))
    async with Fetcher(settings) as fetcher:
        with pytest.raises(HTTPStatusError) as caught:
            await fetcher.fetch(FetchRequest(server.url("/down")))
    assert caught.value.retry_after is not None and 85 <= caught.value.retry_after <= 91


async def test_read_timeout(server: LocalServer, settings: Settings) -> None:
    def sleepy(_request: Request) -> Reply:
        time.sleep(1.0)
        return Reply(200, b"late")

    server.route("/sleepy", sleepy)
    async with Fetcher(settings.replace(read_timeout=0.3)) as fetcher:
        with pytest.raises(FetchError, match=r"timed out after 0.3 s"):
            await fetcher.fetch(FetchRequest(server.url("/sleepy")))


async def test_connection_refused(settings: Settings) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    async with Fetcher(settings) as fetcher:
        with pytest.raises(FetchError, match="connection refused") as caught:
            await fetcher.fetch(FetchRequest(f"http://127.0.0.1:{port}/"))
    assert caught.value.__cause__ is not None


@pytest.mark.parametrize(
    ("codec", "content_type"),
    [("cp1256", "text/html; charset=windows-1256"), ("iso8859-6", "text/html")],
)
async def test_arabic_legacy_charsets_over_http(
    server: LocalServer, settings: Settings, codec: str, content_type: str
) -> None:
    page = f"<html><body><p>{ARABIC} {ARABIC}</p></body></html>"
    server.route("/old-site", Reply(200, page.encode(codec), {"Content-Type": content_type}))
    async with Fetcher(settings) as fetcher:
        result = await fetcher.fetch(FetchRequest(server.url("/old-site")))
    assert (result.text, result.charset) == (page, codec)
