"""The demo mirror over real HTTP on 127.0.0.1 (port 0)."""

from __future__ import annotations

import signal
import subprocess
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from email.message import Message

import pytest
from markupsafe import escape

from khabar.demo import OUTLETS, DemoMirror

ATOM = "{http://www.w3.org/2005/Atom}"


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, Message, bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def feed_links(body: bytes) -> list[tuple[str, str]]:
    """(title, link) of every RSS item or Atom entry."""
    root = ET.fromstring(body)
    rss = [(i.findtext("title", ""), i.findtext("link", "")) for i in root.iter("item")]
    atom = [
        (entry.findtext(f"{ATOM}title", ""), link.get("href", ""))
        for entry in root.iter(f"{ATOM}entry")
        for link in entry.iter(f"{ATOM}link")
    ]
    return rss + atom


@pytest.fixture(scope="module")
def mirror() -> Iterator[DemoMirror]:
    with DemoMirror() as running:
        yield running


def test_index_lists_the_outlets(mirror: DemoMirror) -> None:
    status, headers, body = fetch(mirror.base_url + "/")
    assert status == 200 and headers.get_content_charset() == "utf-8"
    page = body.decode()
    assert 'dir="rtl"' in page
    for outlet in OUTLETS:
        assert outlet.name_ar in page and f"/{outlet.slug}/" in page


def test_feeds_carry_real_arabic_titles(mirror: DemoMirror) -> None:
    per_outlet: dict[str, int] = {}
    for feed in mirror.feeds():
        status, _, body = fetch(feed.url)
        assert status == 200
        links = feed_links(body)
        per_outlet[feed.outlet.slug] = len(links)
        title, link = links[0]
        assert any("\u0600" <= ch <= "\u06ff" for ch in title)
        assert link.startswith(mirror.base_url + f"/{feed.outlet.slug}/")
    assert sum(per_outlet.values()) >= 80 and len(per_outlet) >= 4
    assert len(mirror.feed_urls(include_sections=True)) > len(mirror.feed_urls())


def test_article_page_has_body_and_furniture(mirror: DemoMirror) -> None:
    for outlet in OUTLETS:
        article = mirror.site.catalog.by_outlet[outlet.slug][0]
        url = mirror.site.catalog.url(mirror.site.catalog.article_path(article))
        status, headers, body = fetch(url)
        page = body.decode("utf-8")
        assert status == 200 and headers.get_content_type() == "text/html"
        assert '<html lang="ar" dir="rtl"' in page
        for paragraph in article.paragraphs:
            assert str(escape(paragraph)) in page
        for marker in ("اقرأ أيضاً", "شارك", "تابعونا على", "كلمات دلالية", "الأكثر قراءة"):
            assert marker in page, (outlet.slug, marker)
        assert f'<meta property="og:url" content="{url}">' in page
        assert f'<link rel="canonical" href="{url}">' in page
        assert 'property="article:published_time"' in page


def test_home_page_advertises_its_feed(mirror: DemoMirror) -> None:
    for feed in mirror.feeds():
        status, _, body = fetch(feed.html_url)
        assert status == 200
        page = body.decode()
        assert 'rel="alternate" type="application/' in page
        assert f'href="{feed.url}"' in page


def test_lead_image_is_served(mirror: DemoMirror) -> None:
    article = mirror.site.catalog.articles[0]
    status, headers, body = fetch(mirror.base_url + mirror.site.catalog.image_path(article))
    # A raster image: the reader's image proxy refuses SVG.
    assert status == 200 and headers.get_content_type() == "image/png"
    assert body.startswith(b"\x89PNG\r\n\x1a\n")


def test_conditional_get_of_a_feed_is_304(mirror: DemoMirror) -> None:
    url = mirror.feed_urls()[0]
    status, headers, _ = fetch(url)
    etag = headers["ETag"]
    assert status == 200 and etag
    status, _, body = fetch(url, {"If-None-Match": etag})
    assert status == 304 and body == b""
    status, _, _ = fetch(url, {"If-None-Match": '"something-else"'})
    assert status == 200


def test_robots_txt_allows_all_but_admin(mirror: DemoMirror) -> None:
    status, _, body = fetch(mirror.base_url + "/robots.txt")
    text = body.decode()
    assert status == 200 and "User-agent: *" in text
    assert "Disallow: /skynews/admin/" in text


def test_unknown_paths_are_404(mirror: DemoMirror) -> None:
    for path in (
        "/nope",
        "/skynews/nope",
        "/skynews/admin/",
        "/unknown/images/x.png",
        "/skynews/images/x.svg",
    ):
        status, _, _ = fetch(mirror.base_url + path)
        assert status == 404, path


def test_opml_is_served_and_parses(mirror: DemoMirror) -> None:
    status, _, body = fetch(mirror.opml_url)
    assert status == 200
    urls = [o.get("xmlUrl") for o in ET.fromstring(body).iter("outline")]
    assert urls == mirror.feed_urls()


def test_concurrent_requests(mirror: DemoMirror) -> None:
    urls = mirror.article_urls()[:200]
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda u: fetch(u)[0], urls))
    assert statuses == [200] * len(urls)


def test_scale_five_serves_2000_distinct_articles() -> None:
    with DemoMirror(scale=5) as big:
        urls = big.article_urls()
        assert len(set(urls)) >= 2000
        linked: set[str] = set()
        titles: set[str] = set()
        for feed_url in big.feed_urls():
            for title, link in feed_links(fetch(feed_url)[2]):
                linked.add(link)
                titles.add(title)
        assert len(linked) >= 2000 and len(titles) >= 2000
        for url in urls[::250]:
            assert fetch(url)[0] == 200


def test_cli_prints_the_url_and_serves() -> None:
    command = [sys.executable, "-m", "khabar.demo.mirror", "--port", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        base_url = line.split()[3].rstrip("/")
        assert base_url.startswith("http://127.0.0.1:")
        assert fetch(base_url + "/")[0] == 200
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
