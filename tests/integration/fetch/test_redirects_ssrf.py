"""Redirects (loops, limits) and the SSRF guard on every hop, against a real local server."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from tests.support.httpserver import LocalServer, Reply

from khabar.errors import FetchError, SSRFBlockedError
from khabar.fetch import AllowList, Fetcher, GuardedTransport
from khabar.settings import Settings
from khabar.types import FetchRequest

pytestmark = pytest.mark.anyio


async def test_redirects_are_followed(server: LocalServer, settings: Settings) -> None:
    server.route("/old", Reply.redirect("/older", 301))
    server.route("/older", Reply.redirect(server.url("/new"), 308))
    server.route("/new", Reply(200, b"here"))
    async with Fetcher(settings) as fetcher:
        result = await fetcher.fetch(FetchRequest(server.url("/old")))
    assert (result.url, result.final_url, result.text) == (
        server.url("/old"),
        server.url("/new"),
        "here",
    )


async def test_redirect_loop(server: LocalServer, settings: Settings) -> None:
    server.route("/a", Reply.redirect("/b"))
    server.route("/b", Reply.redirect("/a"))
    async with Fetcher(settings) as fetcher:
        with pytest.raises(FetchError, match="redirect loop"):
            await fetcher.fetch(FetchRequest(server.url("/a")))
    assert server.hits("/a") == 1 and server.hits("/b") == 1


async def test_too_many_redirects(server: LocalServer, settings: Settings) -> None:
    for n in range(10):
        server.route(f"/r{n}", Reply.redirect(f"/r{n + 1}"))
    async with Fetcher(settings.replace(max_redirects=3)) as fetcher:
        with pytest.raises(FetchError, match=r"too many redirects \(more than 3\)"):
            await fetcher.fetch(FetchRequest(server.url("/r0")))
    assert len(server.requests) == 4


async def test_loopback_is_refused_by_default(server: LocalServer) -> None:
    server.route("/", Reply(200, b"secret"))
    async with Fetcher(Settings()) as fetcher:
        with pytest.raises(SSRFBlockedError, match=r"127\.0\.0\.1 is a loopback address"):
            await fetcher.fetch(FetchRequest(server.url("/"), purpose="feed"))
    assert server.requests == []


async def test_a_name_resolving_to_loopback_is_refused_at_connect(server: LocalServer) -> None:
    server.route("/", Reply(200, b"secret"))
    async with Fetcher(Settings()) as fetcher:
        with pytest.raises(SSRFBlockedError, match="loopback"):
            await fetcher.fetch(FetchRequest(f"http://localhost:{server.port}/", purpose="feed"))
    assert server.requests == []


async def test_redirect_to_loopback_is_refused_when_only_another_host_is_allowed(
    server: LocalServer, settings: Settings
) -> None:
    """news.example is allowed (it resolves to the local server); 127.0.0.1 itself is not."""
    server.route("/feed", Reply.redirect(f"http://127.0.0.1:{server.port}/admin"))
    server.route("/admin", Reply(200, b"secret"))
    transport = GuardedTransport(AllowList.parse(["news.example"]), resolve=_to_loopback)
    only_news = settings.replace(allow_hosts=("news.example",))
    async with Fetcher(only_news, transport=transport) as fetcher:
        with pytest.raises(SSRFBlockedError, match=r"redirect to .*127\.0\.0\.1 is a loopback"):
            await fetcher.fetch(FetchRequest(f"http://news.example:{server.port}/feed"))
    assert server.hits("/feed") == 1 and server.hits("/admin") == 0


async def test_redirect_to_a_name_rebound_to_loopback_is_refused_at_connect(
    server: LocalServer, settings: Settings
) -> None:
    """Both names resolve to 127.0.0.1; only news.example is allowed. The early check cannot
    see where rebound.example points (it is a name); the connect-time check does."""
    server.route("/feed", Reply.redirect(f"http://rebound.example:{server.port}/admin"))
    transport = GuardedTransport(AllowList.parse(["news.example"]), resolve=_to_loopback)
    only_news = settings.replace(allow_hosts=("news.example",))
    async with Fetcher(only_news, transport=transport) as fetcher:
        with pytest.raises(SSRFBlockedError, match="loopback") as caught:
            await fetcher.fetch(FetchRequest(f"http://news.example:{server.port}/feed"))
    assert "rebound.example" in str(caught.value)
    assert server.hits("/admin") == 0


async def test_non_http_schemes_are_refused(settings: Settings) -> None:
    async with Fetcher(settings) as fetcher:
        for url in ("file:///etc/passwd", "ftp://example.com/x", "gopher://127.0.0.1/"):
            with pytest.raises(SSRFBlockedError, match="only http, https"):
                await fetcher.fetch(FetchRequest(url))


async def _to_loopback(host: str, port: int) -> Sequence[str]:
    return ["127.0.0.1"]
