"""robots.txt: fetched once per origin, cached, honoured for article pages.

robots.txt is fetched through the same guarded client as everything else (SSRF guard, size cap,
deadline, politeness) and parsed with :mod:`urllib.robotparser`. What an answer means:

| robots.txt answer            | we do                     | kept for |
|------------------------------|---------------------------|----------|
| 2xx                          | obey its rules            | 24 h     |
| 4xx (404, 410, 401, 403 …)   | allow all (RFC 9309)      | 24 h     |
| 408, 429, 5xx, unreachable   | allow all *               | 1 h      |

\\* RFC 9309 says a server error means "disallow all"; we allow instead, because a feed is only
followed when its owner publishes it and an outlet's flaky robots.txt must not stop its news. The
short cache time makes us look again soon. A host that asked us to wait (Retry-After) is not
cached: the error propagates.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import anyio

from khabar.errors import FetchError, HTTPStatusError, RobotsDisallowedError
from khabar.fetch.politeness import HostCoolingDownError
from khabar.types import FetchRequest, FetchResult

__all__ = ["RobotsCache", "robots_url"]

FetchFn = Callable[[FetchRequest], Awaitable[FetchResult]]

KEEP_RULES_SECONDS = 24 * 3600.0
KEEP_FAILURE_SECONDS = 3600.0
_ALLOW_ALL = ("User-agent: *", "Disallow:")
# Statuses that say "try again later" rather than "there is no robots.txt".
_TRANSIENT = frozenset({408, 429, *range(500, 600)})


@dataclass(frozen=True, slots=True)
class _Entry:
    parser: RobotFileParser
    expires: float


def robots_url(url: str) -> str:
    """``https://host:port/robots.txt`` for the origin of ``url``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}/robots.txt"


class RobotsCache:
    """Answers "may ``user_agent`` fetch this URL?", fetching each origin's robots.txt once."""

    def __init__(self, user_agent: str, fetch: FetchFn) -> None:
        self._user_agent = user_agent
        self._fetch = fetch
        self._entries: dict[str, _Entry] = {}
        self._locks: dict[str, anyio.Lock] = {}

    async def check(self, url: str) -> None:
        """Raise :class:`RobotsDisallowedError` when robots.txt disallows ``url``."""
        parser = await self._parser(robots_url(url))
        if not parser.can_fetch(self._user_agent, url):
            raise RobotsDisallowedError(
                url, f"robots.txt of {robots_url(url)} disallows it for our User-Agent"
            )

    async def _parser(self, location: str) -> RobotFileParser:
        lock = self._locks.setdefault(location, anyio.Lock())
        async with lock:
            entry = self._entries.get(location)
            if entry is None or entry.expires <= anyio.current_time():
                entry = await self._load(location)
                self._entries[location] = entry
            return entry.parser

    async def _load(self, location: str) -> _Entry:
        parser = RobotFileParser(location)
        keep = KEEP_RULES_SECONDS
        try:
            result = await self._fetch(FetchRequest(location, purpose="robots"))
            parser.parse(result.text.splitlines())
        except HostCoolingDownError:
            raise
        except HTTPStatusError as exc:
            parser.parse(_ALLOW_ALL)
            keep = KEEP_FAILURE_SECONDS if exc.status in _TRANSIENT else KEEP_RULES_SECONDS
        except FetchError:
            parser.parse(_ALLOW_ALL)
            keep = KEEP_FAILURE_SECONDS
        return _Entry(parser, anyio.current_time() + keep)
