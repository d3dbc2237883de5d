"""Wrong, missing and mixed charsets, and invalid UTF-8, in feeds and in article pages.

Expected: Arabic read correctly whenever the bytes allow it (no mojibake), otherwise a safe
result (readable text, nothing crashes). Before this suite, feeds in undeclared windows-1256,
in windows-1256 declared as UTF-8 and in mixed windows-1256/UTF-8 were stored as mojibake, and
the fetcher read a UTF-8 body declared Latin-1 (a common server default) as Latin-1.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tests.hostile.kit import (
    Outcome,
    follow,
    hours_ago,
    run_hostile,
    settings_for,
    stored,
    text_for,
    update,
)
from tests.support.httpserver import LocalServer, Reply

from khabar.service import Khabar

TITLES = ("الأخبار العاجلة من بيروت", "مقال عن الاقتصاد في القاهرة")
MOJIBAKE = set("ÇÃÎÈÑÚÌÉãäíæÊØ§Ù")


def _feed(base: str, encodings: tuple[str, str], declaration: str) -> bytes:
    items = b"".join(
        (
            f"<item><title>{title}</title><link>{base}/victim/enc{i}.html</link>"
            f"<description>{text_for(title)}</description><pubDate>{hours_ago(i)}</pubDate>"
            "</item>"
        ).encode(encoding)
        for i, (title, encoding) in enumerate(zip(TITLES, encodings, strict=True))
    )
    head = f'{declaration}<rss version="2.0"><channel><title>ترميز</title>'.encode(encodings[0])
    return head + items + b"</channel></rss>"


UTF8 = '<?xml version="1.0" encoding="utf-8"?>'
BARE = '<?xml version="1.0"?>'
FEEDS = {
    # name: (item encodings, XML declaration, Content-Type header)
    "undeclared-windows-1256": (("cp1256", "cp1256"), BARE, "application/rss+xml"),
    "utf-8-declared-latin-1": (("utf-8", "utf-8"), UTF8, "application/rss+xml; charset=latin1"),
    "windows-1256-declared-latin-1": (("cp1256", "cp1256"), BARE, "text/xml; charset=iso-8859-1"),
    "windows-1256-declared-utf-8": (("cp1256", "cp1256"), BARE, "text/xml; charset=utf-8"),
    "xml-declares-wrongly": (("cp1256", "cp1256"), UTF8, "application/rss+xml"),
    "mixed-utf-8-and-windows-1256": (("utf-8", "cp1256"), UTF8, "application/rss+xml"),
    "iso-8859-6-declared": (("iso8859-6", "iso8859-6"), BARE, "text/xml; charset=ISO-8859-6"),
}


@pytest.mark.parametrize("name", FEEDS)
def test_feed_charsets(server: LocalServer, tmp_path: Path, name: str) -> None:
    encodings, declaration, content_type = FEEDS[name]

    def hostile(s: LocalServer) -> None:
        body = _feed(s.origin, encodings, declaration)
        s.route("/victim/feed.xml", Reply(200, body, {"Content-Type": content_type}))

    def check(outcome: Outcome) -> None:
        assert (outcome.result.status, outcome.result.new) == ("new", 2), outcome.result
        titles = {a.title for a in outcome.articles}
        assert set(TITLES) <= titles, titles
        for article in outcome.articles:
            assert not MOJIBAKE & set(article.title + article.text), article.title

    run_hostile(server, tmp_path, hostile, check=check)


def test_invalid_utf8_feed_is_read_safely(server: LocalServer, tmp_path: Path) -> None:
    """Stray bytes that are no charset at all: the rest of the feed still reads correctly."""

    def hostile(s: LocalServer) -> None:
        body = _feed(s.origin, ("utf-8", "utf-8"), UTF8)
        broken = body.replace(TITLES[0].encode(), TITLES[0].encode() + b"\xff\xfe\xc3(")
        s.route("/victim/feed.xml", Reply(200, broken, {"Content-Type": "application/rss+xml"}))

    def check(outcome: Outcome) -> None:
        assert (outcome.result.status, outcome.result.new) == ("new", 2), outcome.result
        titles = sorted(a.title for a in outcome.articles)
        assert any(t.startswith(TITLES[0]) for t in titles), titles
        assert TITLES[1] in titles

    run_hostile(server, tmp_path, hostile, check=check)


def _page(title: str, paragraphs: list[str], meta: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="ar" dir="rtl"><head>{meta}<title>{title}</title></head>'
        f"<body><article><h1>{title}</h1>{body}</article></body></html>"
    )


PARAGRAPHS = [text_for(f"page-{i}", 60) for i in range(4)]
PAGES: dict[str, tuple[Callable[[str], bytes], str]] = {
    # name: (how the page is encoded → bytes, Content-Type header)
    "undeclared-windows-1256": (lambda p: p.encode("cp1256"), "text/html"),
    "declared-utf-8-but-windows-1256": (lambda p: p.encode("cp1256"), "text/html; charset=utf-8"),
    "meta-says-utf-8-but-windows-1256": (
        lambda p: p.replace("<head>", '<head><meta charset="utf-8">').encode("cp1256"),
        "text/html",
    ),
    "mixed-utf-8-and-windows-1256": (
        lambda p: p[: len(p) // 2].encode() + p[len(p) // 2 :].encode("cp1256"),
        "text/html; charset=utf-8",
    ),
    "invalid-utf-8-bytes": (
        lambda p: p.encode().replace(b"</h1>", b"\xc3\x28\xa0\xa1</h1>"),
        "text/html; charset=utf-8",
    ),
}


def test_page_charsets(server: LocalServer, tmp_path: Path) -> None:
    """Article pages in every charset trap; all in one update, each must read as Arabic."""
    items = []
    for i, (name, (encode, content_type)) in enumerate(PAGES.items()):
        path = f"/pages/{name}.html"
        title = f"صفحة {TITLES[i % 2]} {i}"
        page = encode(_page(title, PARAGRAPHS))
        server.route(path, Reply(200, page, {"Content-Type": content_type}))
        items.append(
            f"<item><title>{title}</title><link>{server.url(path)}</link>"
            f"<description>{text_for(path)}</description></item>"
        )
    feed = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>{"".join(items)}'
    server.route("/pages/feed.xml", Reply(200, feed + "</channel></rss>"))
    with Khabar(settings_for(tmp_path, fetch_pages=True)) as service:
        source = follow(service, server.url("/pages/feed.xml"))
        result = update(service)[source]
        assert result.new == len(PAGES), result
        for article in stored(service, source):
            assert article.extraction_error is None, (article.url, article.extraction_error)
            assert PARAGRAPHS[0][:80] in article.text, (article.url, article.text[:120])
            assert not MOJIBAKE & set(article.text), article.url
