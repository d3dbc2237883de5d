"""robots.txt: honoured for pages, not for feeds; fetched once; missing or broken allows."""

from __future__ import annotations

import pytest
from tests.support.httpserver import LocalServer, Reply

from khabar.errors import RobotsDisallowedError
from khabar.fetch import Fetcher
from khabar.settings import Settings
from khabar.types import FetchRequest

pytestmark = pytest.mark.anyio

RULES = b"User-agent: *\nDisallow: /private/\n\nUser-agent: Khabar\nDisallow: /no-khabar/\n"


def _site(server: LocalServer, robots: Reply) -> None:
    server.route("/robots.txt", robots)
    for path in ("/private/a", "/private/feed.xml", "/no-khabar/a", "/public/a"):
        server.route(path, Reply(200, b"ok"))


async def test_disallow_is_honoured_for_pages_not_feeds(
    server: LocalServer, settings: Settings
) -> None:
    _site(server, Reply(200, RULES, {"Content-Type": "text/plain"}))
    async with Fetcher(settings.replace(respect_robots=True)) as fetcher:
        with pytest.raises(RobotsDisallowedError, match=r"robots\.txt"):
            await fetcher.fetch(FetchRequest(server.url("/no-khabar/a")))
        feed = await fetcher.fetch(FetchRequest(server.url("/private/feed.xml"), purpose="feed"))
        page = await fetcher.fetch(FetchRequest(server.url("/public/a")))
    assert feed.status == page.status == 200
    assert server.hits("/robots.txt") == 1
    assert server.hits("/no-khabar/a") == 0


async def test_star_rules_apply_when_no_group_names_us(
    server: LocalServer, settings: Settings
) -> None:
    _site(server, Reply(200, b"User-agent: *\nDisallow: /private/\n"))
    async with Fetcher(settings.replace(respect_robots=True)) as fetcher:
        with pytest.raises(RobotsDisallowedError):
            await fetcher.fetch(FetchRequest(server.url("/private/a")))


async def test_respect_robots_off_ignores_it(server: LocalServer, settings: Settings) -> None:
    _site(server, Reply(200, RULES))
    async with Fetcher(settings.replace(respect_robots=False)) as fetcher:
        result = await fetcher.fetch(FetchRequest(server.url("/no-khabar/a")))
    assert result.status == 200 and server.hits("/robots.txt") == 0


@pytest.mark.parametrize("status", [404, 500])
async def test_missing_or_broken_robots_allows(
    server: LocalServer, settings: Settings, status: int
) -> None:
    _site(server, Reply(status, b"User-agent: *\nDisallow: /\n"))
    async with Fetcher(settings.replace(respect_robots=True)) as fetcher:
        first = await fetcher.fetch(FetchRequest(server.url("/private/a")))
        second = await fetcher.fetch(FetchRequest(server.url("/public/a")))
    assert first.status == second.status == 200
    assert server.hits("/robots.txt") == 1
