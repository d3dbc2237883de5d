"""Find the feed of a site: the URL itself, its ``<link rel="alternate">``s, or common paths.

``find_feed_links`` is pure; ``discover`` does its I/O only through the injected ``fetch``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from khabar.errors import FeedDiscoveryError, FeedParseError, KhabarError
from khabar.feeds.parse import parse_fetch_result
from khabar.types import FetchRequest, FetchResult, NewSource, ParsedFeed

__all__ = ["COMMON_FEED_PATHS", "FEED_LINK_TYPES", "Fetch", "discover", "find_feed_links"]

Fetch = Callable[[FetchRequest], Awaitable[FetchResult]]

FEED_LINK_TYPES: tuple[str, ...] = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+json",
    "application/json",
)
"""``type``s of ``<link rel="alternate">`` that may be feeds.

``application/json`` comes last: WordPress also uses it for its REST API (``/wp-json/…``).
"""

COMMON_FEED_PATHS: tuple[str, ...] = (
    "/feed",
    "/rss",
    "/rss.xml",
    "/feed.xml",
    "/atom.xml",
    "/index.xml",
    "/feeds/posts/default",
    "/?feed=rss2",
    "/news-sitemap.xml",
    "/sitemap-news.xml",
    "/sitemap.xml",
)
"""Paths tried at the site root when a page names no feed (WordPress, Blogger, Hugo, sitemaps)."""


def find_feed_links(html: str, base_url: str) -> list[str]:
    """The feed URLs a page advertises: resolved, deduplicated, in document order except
    that plain ``application/json`` links come last."""
    collector = _LinkCollector()
    collector.feed(html)
    collector.close()
    base = urljoin(base_url, collector.base_href) if collector.base_href else base_url
    ranked = sorted(
        (kind == "application/json", index, urljoin(base, href.strip()))
        for index, (kind, href) in enumerate(collector.links)
    )
    return _unique(url for _, _, url in ranked if urlsplit(url).scheme in ("http", "https"))


async def discover(url: str, fetch: Fetch) -> tuple[NewSource, ParsedFeed]:
    """Return the source to follow for ``url`` and its parsed feed.

    ``url`` itself is fetched (its fetch errors propagate); when it is not a feed, the
    candidates it links to and then ``COMMON_FEED_PATHS`` are tried, skipping any that fail.
    Raises ``FeedDiscoveryError`` listing what was tried when nothing works.
    """
    page = await fetch(FetchRequest(url, purpose="discovery"))
    try:
        return _found(page, parse_fetch_result(page))
    except FeedParseError as error:
        first_problem = error.reason
    tried: list[str] = []
    for candidate in _candidates(page):
        if candidate in (url, page.final_url):
            continue
        tried.append(candidate)
        try:
            result = await fetch(FetchRequest(candidate, purpose="discovery"))
            return _found(result, parse_fetch_result(result))
        except KhabarError:
            continue
    raise FeedDiscoveryError(
        url, f"no feed found: the page is not a feed ({first_problem}); tried {', '.join(tried)}"
    )


def _candidates(page: FetchResult) -> list[str]:
    advertised = find_feed_links(page.text, page.final_url)
    common = [urljoin(page.final_url, path) for path in COMMON_FEED_PATHS]
    return _unique([*advertised, *common])


def _found(result: FetchResult, parsed: ParsedFeed) -> tuple[NewSource, ParsedFeed]:
    source = NewSource(
        url=result.final_url,
        kind="sitemap" if parsed.format == "sitemap" else "feed",
        title=parsed.title,
        site_url=parsed.site_url,
        language=parsed.language,
    )
    return source, parsed


def _unique(urls: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(urls))


class _LinkCollector(HTMLParser):
    """Collects ``<link rel="alternate" type=feed href>`` and ``<base href>``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.base_href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "base" and self.base_href is None and values.get("href"):
            self.base_href = values["href"]
        if tag != "link" or not values.get("href"):
            return
        rels = values.get("rel", "").lower().split()
        kind = values.get("type", "").split(";")[0].strip().lower()
        if "alternate" in rels and kind in FEED_LINK_TYPES:
            self.links.append((kind, values["href"]))

    handle_startendtag = handle_starttag
