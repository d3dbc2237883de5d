"""Hostile documents: entity bombs, external entities, absurd nesting, absurd sizes.

Each runs end to end (local server → fetch → parse → store) in the scenario of
``kit.run_hostile``, or, for the size cases, with time and memory measured around the update.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from tests.hostile.kit import (
    HTML_HEADERS,
    RSS_HEADERS,
    Outcome,
    expect_error,
    follow,
    hours_ago,
    rss,
    rss_growth,
    rss_item,
    run_hostile,
    settings_for,
    stored,
    text_for,
    traced_peak,
    update,
)
from tests.support.httpserver import LocalServer, Reply

from khabar.feeds import parse_feed
from khabar.feeds.limits import MAX_ENTRIES
from khabar.service import Khabar

MB = 1024 * 1024

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>http://127.0.0.1/x/1</link><description>&lol9;</description>
</item></channel></rss>"""


def _no_lols(outcome: Outcome) -> None:
    for article in outcome.articles:
        assert "lollol" not in article.title + article.text


def test_billion_laughs_feed(server: LocalServer, tmp_path: Path) -> None:
    def hostile(s: LocalServer) -> None:
        s.route("/victim/feed.xml", Reply(200, LAUGHS, RSS_HEADERS))

    def check(outcome: Outcome) -> None:
        expect_error("refused", "XML entity 'lol'")(outcome)
        _no_lols(outcome)
        assert outcome.seconds < 5

    run_hostile(server, tmp_path, hostile, check=check)


def test_quadratic_blowup_feed(server: LocalServer, tmp_path: Path) -> None:
    """One entity of 50 KB used 50,000 times: no nesting, still 2.5 GB if expanded."""
    body = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "' + b"a" * 50_000 + b'">]>'
        b'<rss version="2.0"><channel><item><title>t</title><link>http://x.example/1</link>'
        b"<description>" + b"&a;" * 50_000 + b"</description></item></channel></rss>"
    )

    def hostile(s: LocalServer) -> None:
        s.route("/victim/feed.xml", Reply(200, body, RSS_HEADERS))

    def check(outcome: Outcome) -> None:
        expect_error("refused", "XML entity 'a'")(outcome)
        assert outcome.seconds < 5

    run_hostile(server, tmp_path, hostile, check=check)


def test_xxe_file_is_never_read(server: LocalServer, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-XXE-CONTENT")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://{secret}">]>'
        '<rss version="2.0"><channel><title>&xxe;</title><item><title>&xxe;</title>'
        "<link>http://x.example/1</link><description>&xxe;</description></item></channel></rss>"
    ).encode()

    def hostile(s: LocalServer) -> None:
        s.route("/victim/feed.xml", Reply(200, body, RSS_HEADERS))

    def check(outcome: Outcome) -> None:
        expect_error("refused")(outcome)
        for article in outcome.articles:
            assert "TOP-SECRET" not in article.title + article.text + (article.summary or "")

    run_hostile(server, tmp_path, hostile, check=check)


def test_external_dtd_and_parameter_entities_are_never_fetched(
    server: LocalServer, tmp_path: Path
) -> None:
    """The DTDs live on the same local server: any fetch of them would show in its log."""
    server.route("/evil.dtd", Reply(200, b'<!ENTITY leak "LEAKED">'))
    dtd = server.url("/evil.dtd")
    documents = {
        "/victim/system.xml": f'<!DOCTYPE rss SYSTEM "{dtd}">',
        "/victim/param.xml": f'<!DOCTYPE rss [<!ENTITY % remote SYSTEM "{dtd}"> %remote;]>',
        "/victim/external.xml": f'<!DOCTYPE rss [<!ENTITY ext SYSTEM "{dtd}">]>',
    }
    for path, doctype in documents.items():
        body = (
            f'<?xml version="1.0"?>{doctype}<rss version="2.0"><channel><title>t</title>'
            f"<item><title>خبر &amp; leak</title><link>{server.url(path)}.html</link>"
            f"<description>{text_for(path)}</description></item></channel></rss>"
        )
        server.route(path, Reply(200, body.encode(), RSS_HEADERS))
    with Khabar(settings_for(tmp_path)) as service:
        ids = {path: follow(service, server.url(path)) for path in documents}
        results = update(service)
        for path, source_id in ids.items():
            result = results[source_id]
            outcome = result.error or f"stored {result.new}"
            assert result.status == "failed" or result.new == 1, (path, outcome)
            for article in stored(service, source_id):
                assert "LEAKED" not in article.title + article.text
    assert server.hits("/evil.dtd") == 0


def _deep(levels: int, open_tag: str = "<div>", close_tag: str = "</div>") -> str:
    return open_tag * levels + "نص في القاع" + close_tag * levels


def test_xml_nested_100k_levels(server: LocalServer, tmp_path: Path) -> None:
    body = rss(
        [
            f"<item><title>عميق</title><link>{server.url('/victim/deep.html')}</link>"
            f"<description>{_deep(100_000, '<x>', '</x>')}</description></item>"
        ]
    )
    settings = settings_for(tmp_path, max_body_bytes=4 * MB)

    def hostile(s: LocalServer) -> None:
        s.route("/victim/feed.xml", Reply(200, body, RSS_HEADERS))

    def check(outcome: Outcome) -> None:
        expect_error("nested more than 256 levels deep")(outcome)
        assert outcome.seconds < 5

    run_hostile(server, tmp_path, hostile, settings=settings, check=check)


def test_atom_xhtml_nested_100k_levels(server: LocalServer, tmp_path: Path) -> None:
    body = (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>t</title><entry><title>عميق</title><id>urn:x:1</id>"
        f'<link href="{server.url("/victim/deep.html")}"/><content type="xhtml">'
        f'<div xmlns="http://www.w3.org/1999/xhtml">{_deep(100_000)}</div></content></entry></feed>'
    ).encode()
    settings = settings_for(tmp_path, max_body_bytes=4 * MB)

    def hostile(s: LocalServer) -> None:
        s.route("/victim/feed.xml", Reply(200, body, {"Content-Type": "application/atom+xml"}))

    run_hostile(
        server,
        tmp_path,
        hostile,
        settings=settings,
        check=expect_error("nested more than 256 levels deep"),
    )


def test_json_feed_nested_100k_levels(server: LocalServer, tmp_path: Path) -> None:
    body = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": ['
        + b"[" * 100_000
        + b"]" * 100_000
        + b"]}"
    )

    def hostile(s: LocalServer) -> None:
        s.route("/victim/feed.xml", Reply(200, body, {"Content-Type": "application/feed+json"}))

    run_hostile(server, tmp_path, hostile, check=expect_error("JSON nested too deeply"))


def test_html_summary_nested_100k_levels_is_skipped(server: LocalServer, tmp_path: Path) -> None:
    """100k levels of escaped HTML is > 1 MB in one entry: skipped; its neighbour is stored."""
    deep = rss_item(server.origin, "/victim/deep.html", "عميق", summary=_deep(100_000))
    fine = rss_item(server.origin, "/victim/fine.html", "عادي", date=hours_ago(0))
    settings = settings_for(tmp_path, max_body_bytes=4 * MB)

    def hostile(s: LocalServer) -> None:
        s.route("/victim/feed.xml", Reply(200, rss([deep, fine]), RSS_HEADERS))

    def check(outcome: Outcome) -> None:
        assert (outcome.result.status, outcome.result.new) == ("new", 1), outcome.result
        titles = {a.title for a in outcome.articles}
        assert "عادي" in titles and "عميق" not in titles
        assert outcome.seconds < 5

    run_hostile(server, tmp_path, hostile, settings=settings, check=check)


def test_html_summary_nested_20k_levels_is_kept_as_text(
    server: LocalServer, tmp_path: Path
) -> None:
    """Deep but under the entry size limit: stored as plain text, quickly (nh3 alone would take
    seconds on it, and 114 s at 100k levels)."""
    deep = rss_item(server.origin, "/victim/deep.html", "عميق", summary=_deep(20_000))

    def hostile(s: LocalServer) -> None:
        s.route("/victim/feed.xml", Reply(200, rss([deep]), RSS_HEADERS))

    def check(outcome: Outcome) -> None:
        assert (outcome.result.status, outcome.result.new) == ("new", 1), outcome.result
        (article,) = [a for a in outcome.articles if a.title == "عميق"]
        assert "نص في القاع" in article.text
        assert "<div>" not in article.html
        assert outcome.seconds < 5

    run_hostile(server, tmp_path, hostile, check=check)


def test_page_nested_100k_levels(server: LocalServer, tmp_path: Path) -> None:
    """The article page itself is 100k levels deep: the feed's text is kept with the reason."""
    page = f"<!doctype html><html><head><title>عميق</title></head><body>{_deep(100_000)}</body>"
    server.route("/victim/deep.html", Reply(200, page, HTML_HEADERS))
    for i in range(2):
        server.route(f"/victim/a{i}.html", Reply(404, b"gone"))
    server.route("/victim/healed.html", Reply(404, b"gone"))
    item = rss_item(server.origin, "/victim/deep.html", "عميق", date=hours_ago(0))
    settings = settings_for(tmp_path, fetch_pages=True, max_body_bytes=4 * MB)

    def hostile(s: LocalServer) -> None:
        s.route("/victim/feed.xml", Reply(200, rss([item]), RSS_HEADERS))

    def check(outcome: Outcome) -> None:
        assert (outcome.result.status, outcome.result.new) == ("new", 1), outcome.result
        (article,) = [a for a in outcome.articles if a.title == "عميق"]
        assert article.extraction_error, "the page problem is recorded on the article"
        assert article.text == text_for("/victim/deep.html")
        assert outcome.seconds < 10

    run_hostile(server, tmp_path, hostile, settings=settings, check=check)


def _huge_rss(server: LocalServer, count: int) -> bytes:
    items = [
        f"<item><title>خبر رقم {i}</title><link>{server.origin}/big/{i}.html</link>"
        f"<guid>big-{i}</guid><description>وصف الخبر رقم {i} في الخلاصة الكبيرة</description>"
        f"<pubDate>{hours_ago(i / 60)}</pubDate></item>"
        for i in range(count)
    ]
    return rss(items)


def test_feed_with_50000_items(server: LocalServer, tmp_path: Path) -> None:
    """~12 MB, 50,000 items: the first 1,000 are read and ``max_entries_per_update`` stored per
    update, in bounded time and memory (before the entry limit: 23 s of parsing on the event
    loop and 140 MB traced for the parse alone)."""
    body = _huge_rss(server, 50_000)
    assert len(body) > 8 * MB
    server.route("/big/feed.xml", Reply(200, body, RSS_HEADERS))
    server.route("/other/feed.xml", Reply(200, rss([rss_item(server.origin, "/o/1", "آخر")])))
    settings = settings_for(tmp_path, max_body_bytes=20 * MB, max_entries_per_update=100)
    with Khabar(settings) as service:
        big = follow(service, server.url("/big/feed.xml"))
        other = follow(service, server.url("/other/feed.xml"))
        with rss_growth() as watch:
            results = update(service)
        assert results[other].new == 1
        assert (results[big].status, results[big].new) == ("new", 100)
        print(f"50k-item update: {watch.seconds:.1f} s, RSS +{watch.peak / MB:.0f} MB")
        assert watch.seconds < 20, watch.seconds
        assert watch.peak < 150 * MB, f"resident memory grew {watch.peak / MB:.0f} MB"
        assert len(stored(service, big)) == 100
        newest = max(stored(service, big), key=lambda a: a.sort_time)
        assert newest.title == "خبر رقم 0", "the newest entries come first"
        again = update(service)[big]
        assert again.new == 100 and len(stored(service, big)) == 200, "the next 100 follow"
        assert service.source(big).last_error is None


def test_50000_items_parse_in_bounded_memory() -> None:
    base = "http://127.0.0.1:9"
    items = "".join(
        f"<item><title>خبر {i}</title><link>{base}/{i}</link><guid>g{i}</guid></item>"
        for i in range(50_000)
    )
    body = f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()
    started = time.monotonic()
    with traced_peak() as watch:
        feed = parse_feed(body, base + "/feed")
    assert len(feed.entries) == MAX_ENTRIES
    assert any("50000 entries" in w for w in feed.warnings), feed.warnings
    assert watch.peak < 20 * MB, f"{watch.peak / MB:.1f} MB"
    assert time.monotonic() - started < 15


def test_json_feed_and_sitemap_with_50000_items() -> None:
    base = "http://127.0.0.1:9"
    json_feed = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "t",
            "items": [{"id": f"g{i}", "url": f"{base}/{i}"} for i in range(50_000)],
        }
    ).encode()
    sitemap = (
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(
            f"<url><loc>{base}/{i}</loc><lastmod>2024-01-01T00:00:{i % 60:02d}Z</lastmod></url>"
            for i in range(49_999)
        )
        + f"<url><loc>{base}/newest</loc><lastmod>2025-06-01</lastmod></url></urlset>"
    ).encode()
    for body in (json_feed, sitemap):
        started = time.monotonic()
        feed = parse_feed(body, base + "/feed")
        assert time.monotonic() - started < 5
        assert len(feed.entries) == MAX_ENTRIES
        assert any("50000 entries" in w for w in feed.warnings), feed.warnings
    assert feed.entries[0].url == base + "/newest", "a sitemap keeps its newest URLs"
