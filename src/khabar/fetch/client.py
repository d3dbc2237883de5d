"""The Fetcher: the one place Khabar talks to the network.

One ``fetch`` is: early URL check → robots.txt (pages only) → up to ``max_redirects`` hops, each
taking a politeness slot, SSRF-checked at connect time, streamed under a size cap and an overall
deadline → charset decoding. The cap applies to the decoded size, and ``Content-Encoding`` is
undone in bounded pieces (:mod:`khabar.fetch.decode`), so a gzip or brotli bomb never inflates
past the cap + 64 KiB in memory. Everything that goes wrong becomes a :class:`FetchError` subclass.

The deadline (``fetch_deadline``) bounds the time spent on the network for the whole fetch, all
hops together, however slowly the bytes arrive; time spent queueing for a politeness slot does not
count (a busy host must not turn polite waiting into timeouts). ``connect_timeout`` and
``read_timeout`` bound each connect and each read on top of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType

import anyio
import httpx

from khabar.errors import BodyTooLargeError, FetchError, HTTPStatusError, SSRFBlockedError
from khabar.fetch.charset import decode_body
from khabar.fetch.decode import DecodeError, decoder_for
from khabar.fetch.network_errors import deadline_error, network_error
from khabar.fetch.politeness import Politeness
from khabar.fetch.retry_after import parse_retry_after
from khabar.fetch.robots import RobotsCache
from khabar.fetch.ssrf import AllowList, check_url
from khabar.fetch.transport import GuardedTransport
from khabar.settings import Settings
from khabar.types import FetchRequest, FetchResult

__all__ = ["Fetcher"]

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_AFTER_STATUSES = frozenset({429, 503})
ACCEPT_ENCODING = "gzip, deflate, br"
ACCEPT_BY_PURPOSE = {
    "feed": "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8",
    "page": "text/html, application/xhtml+xml, */*;q=0.8",
    "robots": "text/plain, */*;q=0.8",
    "discovery": "text/html, application/rss+xml, application/atom+xml, */*;q=0.8",
}


@dataclass(frozen=True, slots=True)
class _Hop:
    """One HTTP exchange of a fetch (the body is read only for 2xx answers)."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes


class _Budget:
    """The seconds of network time left to one fetch."""

    def __init__(self, seconds: float) -> None:
        self.left = seconds


class Fetcher:
    """Fetches documents safely and politely. Use as ``async with Fetcher(settings) as f:``.

    ``transport`` replaces the guarded network transport (tests: ``httpx.MockTransport``). The
    early URL check still applies to every hop then, but the connect-time address check does not.
    """

    def __init__(self, settings: Settings, transport: httpx.AsyncBaseTransport | None = None):
        self._settings = settings
        self._allow = AllowList.parse(settings.allow_hosts)
        self._client = httpx.AsyncClient(
            transport=transport or GuardedTransport(self._allow),
            timeout=httpx.Timeout(
                connect=settings.connect_timeout,
                read=settings.read_timeout,
                write=settings.read_timeout,
                pool=settings.fetch_deadline,
            ),
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
            follow_redirects=False,
            trust_env=False,
        )
        self._politeness = Politeness(settings)
        self._robots = RobotsCache(settings.user_agent, self._follow)

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    @property
    def politeness(self) -> Politeness:
        return self._politeness

    async def fetch(self, request: FetchRequest) -> FetchResult:
        """Fetch ``request.url``; raise a :class:`FetchError` subclass on any failure."""
        check_url(request.url, self._allow)
        if request.purpose == "page" and self._settings.respect_robots:
            await self._robots.check(request.url)
        return await self._follow(request)

    async def _follow(self, request: FetchRequest) -> FetchResult:
        budget = _Budget(self._settings.fetch_deadline)
        chain = [request.url]
        for _ in range(self._settings.max_redirects + 1):
            hop = await self._exchange(request, chain[-1], budget)
            location = _redirect_location(hop)
            if location is None:
                return _result(request, hop)
            chain.append(self._next_hop(request, chain, location))
        limit = self._settings.max_redirects
        raise FetchError(request.url, f"too many redirects (more than {limit}): {chain[-1]}")

    def _next_hop(self, request: FetchRequest, chain: list[str], location: str) -> str:
        try:
            target = str(httpx.URL(chain[-1]).join(location))
        except httpx.InvalidURL as exc:
            raise FetchError(request.url, f"bad redirect Location {location!r}: {exc}") from exc
        if target in chain:
            path = " → ".join([*chain[chain.index(target) :], target])
            raise FetchError(request.url, f"redirect loop: {path}")
        try:
            check_url(target, self._allow)
        except SSRFBlockedError as exc:
            raise SSRFBlockedError(request.url, f"redirect to {target} {exc.reason}") from exc
        return target

    async def _exchange(self, request: FetchRequest, url: str, budget: _Budget) -> _Hop:
        host = httpx.URL(url).host
        async with self._politeness.slot(host, request.url):
            started = anyio.current_time()
            try:
                with anyio.fail_after(max(0.0, budget.left)):
                    hop = await self._download(request, url)
            except TimeoutError as exc:
                raise deadline_error(request.url, self._settings, url) from exc
            finally:
                budget.left -= anyio.current_time() - started
        self._check_status(request, host, hop)
        return hop

    async def _download(self, request: FetchRequest, url: str) -> _Hop:
        try:
            async with self._client.stream("GET", url, headers=_request_headers(request)) as resp:
                body = await self._read_body(request.url, resp) if resp.is_success else b""
                return _Hop(url, resp.status_code, _flat_headers(resp.headers), body)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise network_error(request.url, exc, self._settings, url) from exc
        except SSRFBlockedError as exc:
            raise SSRFBlockedError(request.url, _hop_reason(exc.reason, request.url, url)) from exc

    async def _read_body(self, url: str, response: httpx.Response) -> bytes:
        cap = self._settings.max_body_bytes
        declared = _content_length(response.headers)
        if declared is not None and declared > cap:
            raise BodyTooLargeError(
                url, f"Content-Length {declared} is over the {cap}-byte cap (max_body_bytes)"
            )
        decoder = decoder_for(response.headers.get("content-encoding"))
        body = _CappedBody(url, cap)
        try:
            async for chunk in response.aiter_raw():
                body.extend(decoder.feed(chunk))
            body.extend(decoder.finish())
        except DecodeError as exc:
            codings = "/".join(decoder.codings)
            raise FetchError(url, f"could not decode the {codings} body: {exc}") from exc
        return body.value()

    def _check_status(self, request: FetchRequest, host: str, hop: _Hop) -> None:
        if 200 <= hop.status < 300 or hop.status == 304 or _is_redirect(hop):
            return
        retry_after = None
        if hop.status in RETRY_AFTER_STATUSES:
            retry_after = parse_retry_after(hop.headers.get("retry-after"), datetime.now(UTC))
            if retry_after is not None:
                self._politeness.cool_down(host, retry_after)
        raise HTTPStatusError(request.url, hop.status, retry_after)


class _CappedBody:
    """Decoded bytes gathered up to the cap; one piece past it stops the download."""

    def __init__(self, url: str, cap: int) -> None:
        self._url = url
        self._cap = cap
        self._chunks: list[bytes] = []
        self._size = 0

    def extend(self, pieces: Iterable[bytes]) -> None:
        for piece in pieces:
            self._size += len(piece)
            if self._size > self._cap:
                raise BodyTooLargeError(
                    self._url,
                    f"body grew past the {self._cap}-byte cap (max_body_bytes); download stopped",
                )
            self._chunks.append(piece)

    def value(self) -> bytes:
        return b"".join(self._chunks)


def _request_headers(request: FetchRequest) -> dict[str, str]:
    headers = {"Accept": ACCEPT_BY_PURPOSE.get(request.purpose, "*/*")}
    if request.etag:
        headers["If-None-Match"] = request.etag
    if request.last_modified:
        headers["If-Modified-Since"] = request.last_modified
    return headers


def _is_redirect(hop: _Hop) -> bool:
    return hop.status in REDIRECT_STATUSES and bool(hop.headers.get("location"))


def _redirect_location(hop: _Hop) -> str | None:
    return hop.headers["location"].strip() if _is_redirect(hop) else None


def _result(request: FetchRequest, hop: _Hop) -> FetchResult:
    etag = hop.headers.get("etag")
    last_modified = hop.headers.get("last-modified")
    if hop.status == 304:
        return FetchResult(
            url=request.url,
            final_url=hop.url,
            status=304,
            headers=hop.headers,
            body=b"",
            text="",
            charset=None,
            etag=etag or request.etag,
            last_modified=last_modified or request.last_modified,
        )
    text, charset = decode_body(hop.body, hop.headers.get("content-type"))
    return FetchResult(
        url=request.url,
        final_url=hop.url,
        status=hop.status,
        headers=hop.headers,
        body=hop.body,
        text=text,
        charset=charset,
        etag=etag,
        last_modified=last_modified,
    )


def _flat_headers(headers: httpx.Headers) -> dict[str, str]:
    """Lower-cased names; repeated headers joined with ", " (as httpx does)."""
    return {name.lower(): value for name, value in headers.items()}


def _content_length(headers: httpx.Headers) -> int | None:
    raw = headers.get("content-length")
    if raw is None or not raw.strip().isdigit():
        return None
    return int(raw.strip())


def _hop_reason(reason: str, url: str, hop: str) -> str:
    return reason if hop == url else f"{reason} (while fetching {hop})"
