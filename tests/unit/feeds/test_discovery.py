"""find_feed_links (pure) and discover (through an injected fake fetch)."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

import pytest

from khabar.errors import FeedDiscoveryError, HTTPStatusError, SSRFBlockedError
from khabar.feeds import COMMON_FEED_PATHS, discover, find_feed_links
from khabar.types import FetchRequest, FetchResult

PAGE = """<!doctype html><html lang="ar" dir="rtl"><head>
<link rel="stylesheet" href="/s.css">
<link rel="alternate" type="application/json" href="/wp-json/wp/v2/posts/1">
<link rel="alternate" type="application/rss+xml" title="الخلاصة" href="/feed/">
<link rel="Alternate" type="application/atom+xml" href="https://news.example/atom.xml">
<link rel="alternate" type="application/rss+xml" href="/feed/">
<link rel="alternate" type="text/html" hreflang="en" href="/en/">
<link rel="alternate feed" type="application/feed+json; charset=utf-8" href="feed.json">
<link rel="alternate" type="application/rss+xml" href="javascript:void(0)">
</head><body><a href="/rss">RSS</a></body></html>"""

RSS = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
    b"<title>\xd8\xae\xd8\xa8\xd8\xb1</title>"
    b"<link>https://news.example/</link><language>ar</language>"
    b"<item><title>t</title><link>https://news.example/1</link></item></channel></rss>"
)
SITEMAP = (
    b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    b"<url><loc>https://news.example/1</loc></url></urlset>"
)


def test_find_feed_links_order_dedupe_and_resolution() -> None:
    assert find_feed_links(PAGE, "https://news.example/ar/section/") == [
        "https://news.example/feed/",
        "https://news.example/atom.xml",
        "https://news.example/ar/section/feed.json",
        "https://news.example/wp-json/wp/v2/posts/1",
    ]


def test_find_feed_links_honours_base_href() -> None:
    html = (
        '<head><base href="https://cdn.example/site/">'
        "<link rel=alternate type=application/rss+xml href=rss.xml></head>"
    )
    assert find_feed_links(html, "https://news.example/") == ["https://cdn.example/site/rss.xml"]


def test_find_feed_links_on_a_page_without_feeds() -> None:
    assert find_feed_links("<html><body>لا خلاصات</body></html>", "https://x.example/") == []


class FakeWeb:
    """A fetch function over a dict of URL → (content type, body) or exception."""

    def __init__(self, pages: Mapping[str, tuple[str, bytes] | Exception]) -> None:
        self.pages = pages
        self.requests: list[FetchRequest] = []

    async def __call__(self, request: FetchRequest) -> FetchResult:
        self.requests.append(request)
        page = self.pages.get(request.url, HTTPStatusError(request.url, 404))
        if isinstance(page, Exception):
            raise page
        content_type, body = page
        return FetchResult(
            url=request.url,
            final_url=request.url,
            status=200,
            headers={"content-type": content_type},
            body=body,
            text=body.decode("utf-8", errors="replace"),
            charset="utf-8",
        )


def test_discover_returns_the_url_when_it_is_a_feed() -> None:
    web = FakeWeb({"https://news.example/rss": ("application/rss+xml", RSS)})
    source, feed = asyncio.run(discover("https://news.example/rss", web))
    assert (source.url, source.kind, source.title, source.site_url, source.language) == (
        "https://news.example/rss",
        "feed",
        "خبر",
        "https://news.example/",
        "ar",
    )
    assert len(feed.entries) == 1
    assert [r.purpose for r in web.requests] == ["discovery"]


def test_discover_follows_alternate_links_skipping_failures() -> None:
    web = FakeWeb(
        {
            "https://news.example/ar/": ("text/html", PAGE.encode()),
            "https://news.example/feed/": SSRFBlockedError("https://news.example/feed/", "no"),
            "https://news.example/atom.xml": ("text/html", b"<html>not found</html>"),
            "https://news.example/ar/feed.json": ("application/rss+xml", RSS),
        }
    )
    source, _ = asyncio.run(discover("https://news.example/ar/", web))
    assert source.url == "https://news.example/ar/feed.json"
    assert [r.url for r in web.requests] == [
        "https://news.example/ar/",
        "https://news.example/feed/",
        "https://news.example/atom.xml",
        "https://news.example/ar/feed.json",
    ]


def test_discover_falls_back_to_common_paths_and_finds_sitemaps() -> None:
    web = FakeWeb(
        {
            "https://news.example/": ("text/html", b"<html><body>home</body></html>"),
            "https://news.example/news-sitemap.xml": ("application/xml", SITEMAP),
        }
    )
    source, feed = asyncio.run(discover("https://news.example/", web))
    assert (source.url, source.kind, feed.format) == (
        "https://news.example/news-sitemap.xml",
        "sitemap",
        "sitemap",
    )


def test_discover_reports_everything_it_tried() -> None:
    web = FakeWeb({"https://news.example/": ("text/html", b"<html><body>home</body></html>")})
    with pytest.raises(FeedDiscoveryError) as caught:
        asyncio.run(discover("https://news.example/", web))
    reason = caught.value.reason
    assert reason.startswith("no feed found: the page is not a feed (this is an HTML page")
    for path in COMMON_FEED_PATHS:
        assert "https://news.example" + path in reason
    assert len(web.requests) == 1 + len(COMMON_FEED_PATHS)


def test_discover_lets_the_first_fetch_error_propagate() -> None:
    web = FakeWeb({})
    with pytest.raises(HTTPStatusError):
        asyncio.run(discover("https://gone.example/", web))
