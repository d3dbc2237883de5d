"""parse_feed on small credited fixtures (tests/fixtures/feeds) and inline documents."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from khabar.errors import FeedParseError
from khabar.feeds import parse_feed, parse_fetch_result
from khabar.types import FetchResult

FIXTURES = Path(__file__).parents[2] / "fixtures" / "feeds"
URL = "https://example.com/feed.xml"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def rss(items: str, *, encoding: str = "utf-8", channel: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="2.0"><channel>'
        f"<title>الأخبار</title><link>https://news.example/</link><language>ar</language>"
        f"{channel}{items}</channel></rss>"
    ).encode(encoding)


def test_rss2_fields() -> None:
    feed = parse_feed(fixture("rss2_nasa.xml"), URL)
    assert feed.format == "rss"
    assert feed.title == "NASA Breaking News"
    assert feed.site_url == "http://www.nasa.gov/"
    assert feed.language == "en-us"
    [entry] = feed.entries
    assert (
        entry.title == "NASA Television to Broadcast Space Station Departure of Cygnus Cargo Ship"
    )
    assert entry.url.startswith("http://www.nasa.gov/press-release/nasa-television")
    assert entry.guid == entry.url
    assert entry.published == datetime(2019, 8, 1, 20, 15, tzinfo=UTC)
    assert entry.image is not None and entry.image.endswith(
        "47616261882_4bb534d293_k.jpg?itok=Djjjs81t"
    )
    assert entry.summary is not None and "Cygnus" in entry.summary
    assert feed.warnings == ()


def test_atom_fields_with_xml_base() -> None:
    feed = parse_feed(fixture("atom_diveintomark.xml"), URL)
    assert feed.format == "atom"
    assert feed.title == "dive into mark"
    [entry] = feed.entries
    assert entry.guid == "tag:example.org,2003:3.2397"
    assert entry.url == "http://example.org/2005/04/02/atom"
    assert entry.author == "Mark Pilgrim"
    assert entry.published == datetime(2003, 12, 13, 12, 29, 29, tzinfo=UTC)
    assert entry.updated == datetime(2005, 7, 31, 12, 29, 29, tzinfo=UTC)
    assert entry.summary is not None and "Atom draft is finished" in entry.summary


def test_rdf_is_reported_as_rdf() -> None:
    feed = parse_feed(fixture("rdf_example.xml"), URL)
    assert feed.format == "rdf"
    assert len(feed.entries) == 2


def test_json_feed_fixture() -> None:
    feed = parse_feed(fixture("jsonfeed_spec.json"), "https://jsonfeed.org/feed.json")
    assert feed.format == "json"
    assert feed.title == "JSON Feed"
    [entry] = feed.entries
    assert entry.url == "https://jsonfeed.org/2017/05/17/announcing_json_feed"
    assert entry.published == datetime(2017, 5, 17, 15, 2, 12, tzinfo=UTC)
    assert entry.author == "Brent Simmons and Manton Reece"


def test_windows_1251_titles_are_cyrillic() -> None:
    feed = parse_feed(fixture("rss2_windows1251_trimmed.xml"), URL)
    assert feed.description == "Новый цитатник Рунета"
    assert [e.title for e in feed.entries] == [
        "Цитата #17703",
        "Цитата #17705",
        "Цитата #17707",
    ]


def test_bbc_urdu_right_to_left_titles() -> None:
    feed = parse_feed(fixture("rss2_bbc_urdu_trimmed.xml"), URL)
    assert len(feed.entries) == 3
    assert feed.language == "ur"
    first = feed.entries[0]
    assert first.title is not None and first.title.startswith("امریکی عسکری امداد")
    assert first.image is not None and first.image.startswith("http://c.files.bbci.co.uk/")


def test_truncated_feed_is_refused_with_position() -> None:
    with pytest.raises(FeedParseError) as caught:
        parse_feed(fixture("invalid_truncated.xml"), URL)
    assert caught.value.url == URL
    assert caught.value.reason == "malformed XML at line 19, column 84: no element found"


def test_recoverable_bozo_feed_is_accepted_with_warning() -> None:
    body = rss("<item><title>خبر &nbsp; عاجل</title><link>https://news.example/1</link></item>")
    feed = parse_feed(body, URL)
    assert [e.url for e in feed.entries] == ["https://news.example/1"]
    assert len(feed.warnings) == 1
    assert "undefined entity" in feed.warnings[0]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty response"),
        (b"  \r\n\t ", "empty response"),
        (
            b"<!DOCTYPE html>\n<html lang='ar'><head><title>x</title></head></html>",
            "this is an HTML page, not a feed (found <html>)",
        ),
        (
            b"<!-- hi -->\n<HTML><body></body></HTML>",
            "this is an HTML page, not a feed (found <HTML>)",
        ),
        (b"Service Unavailable", "not a feed: the response is neither XML nor JSON"),
        (
            b'<?xml version="1.0"?><catalog><book/></catalog>',
            "not a feed: the root element is <catalog>, not RSS, Atom or RDF",
        ),
        (
            b'<?xml version="1.0"?>\n<rss version="2.0">\n<channel>\n  <title>x</foo>',
            "malformed XML at line 4, column 12: mismatched tag",
        ),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [}', "invalid JSON at line 1"),
        (b'{"title": "not a feed"}', "JSON document is not a JSON Feed"),
        (b"[1, 2]", "JSON document is not a JSON Feed (top level is not an object)"),
    ],
)
def test_not_a_feed(body: bytes, reason: str) -> None:
    with pytest.raises(FeedParseError) as caught:
        parse_feed(body, URL)
    assert caught.value.reason.startswith(reason)
    assert str(caught.value).startswith(URL)


def test_feed_without_guids_is_keyed_by_url() -> None:
    items = "".join(f"<item><title>خبر {n}</title><link>/news/{n}</link></item>" for n in range(3))
    feed = parse_feed(rss(items), "https://news.example/rss")
    assert [e.guid for e in feed.entries] == [None, None, None]
    assert [e.key for e in feed.entries] == [f"https://news.example/news/{n}" for n in range(3)]


def test_duplicate_guids_with_different_urls_fall_back_to_urls() -> None:
    items = (
        "<item><guid isPermaLink='false'>same</guid><link>https://news.example/a</link></item>"
        "<item><guid isPermaLink='false'>same</guid><link>https://news.example/b</link></item>"
        "<item><guid isPermaLink='false'>other</guid><link>https://news.example/c</link></item>"
    )
    feed = parse_feed(rss(items), URL)
    assert [e.key for e in feed.entries] == [
        "https://news.example/a",
        "https://news.example/b",
        "other",
    ]
    assert any("'same' is used by 2 different URLs" in w for w in feed.warnings)


def test_exact_duplicate_entries_keep_the_first() -> None:
    item = "<item><guid>g1</guid><title>{}</title><link>https://news.example/a</link></item>"
    feed = parse_feed(rss(item.format("أول") + item.format("ثان")), URL)
    assert [e.title for e in feed.entries] == ["أول"]
    assert feed.warnings == ("entry 'g1' appears 2 times; kept the first",)


def test_titles_lose_markup_and_summaries_keep_it() -> None:
    items = (
        "<item><title>&lt;b&gt;عاجل:&lt;/b&gt; قمة &amp;amp; بيان</title>"
        "<description>&lt;p&gt;نص &lt;a href='/x'&gt;رابط&lt;/a&gt;&lt;/p&gt;</description>"
        "<link>https://news.example/1</link></item>"
    )
    [entry] = parse_feed(rss(items), URL).entries
    assert entry.title == "عاجل: قمة & بيان"
    assert entry.summary is not None and "<a href=" in entry.summary


def test_relative_links_resolve_against_the_feed_url() -> None:
    items = (
        "<item><link>../2024/05/خبر</link><enclosure url='/img/1.jpg' type='image/jpeg'/></item>"
    )
    [entry] = parse_feed(rss(items), "https://news.example/ar/rss/feed.xml").entries
    assert entry.url == "https://news.example/ar/2024/05/خبر"
    assert entry.image == "https://news.example/img/1.jpg"


def test_entries_without_web_url_are_skipped_with_warning() -> None:
    items = "<item><title>بلا رابط</title></item><item><link>javascript:alert(1)</link></item>"
    feed = parse_feed(rss(items), URL)
    assert feed.entries == ()
    assert feed.warnings == ("2 entries had no web URL and were skipped",)


def test_dates_are_aware_utc() -> None:
    items = (
        "<item><link>https://news.example/1</link>"
        "<pubDate>Mon, 01 Jan 2024 10:00:00 +0300</pubDate></item>"
    )
    [entry] = parse_feed(rss(items), URL).entries
    assert entry.published == datetime(2024, 1, 1, 7, 0, tzinfo=UTC)
    assert entry.published is not None and entry.published.tzinfo is UTC
    assert entry.updated is None


def test_categories_author_and_media_thumbnail() -> None:
    channel = ""
    items = (
        "<item><link>https://news.example/1</link><category>سياسة</category>"
        "<category>مصر</category><category>سياسة</category>"
        "<author>desk@news.example (قسم الأخبار)</author>"
        "<media:thumbnail xmlns:media='http://search.yahoo.com/mrss/' url='https://cdn.example/t.jpg'/>"
        "</item>"
    )
    [entry] = parse_feed(rss(items, channel=channel), URL).entries
    assert entry.categories == ("سياسة", "مصر")
    assert entry.author == "قسم الأخبار"
    assert entry.image == "https://cdn.example/t.jpg"


def test_windows_1256_arabic_feed_declared_in_xml() -> None:
    items = "<item><title>الرئيس يستقبل الوفد</title><link>https://news.example/1</link></item>"
    feed = parse_feed(rss(items, encoding="windows-1256"), URL)
    assert feed.title == "الأخبار"
    assert feed.entries[0].title == "الرئيس يستقبل الوفد"


def test_http_charset_is_passed_to_the_parser() -> None:
    items = "<item><title>بيان رسمي</title><link>https://news.example/1</link></item>"
    body = rss(items, encoding="windows-1256").replace(b' encoding="windows-1256"', b"")
    without_header = parse_feed(body, URL)
    assert without_header.entries[0].title != "بيان رسمي"
    with_header = parse_feed(body, URL, content_type="application/rss+xml; charset=windows-1256")
    assert with_header.entries[0].title == "بيان رسمي"


def test_leading_whitespace_before_xml_declaration_is_tolerated() -> None:
    items = "<item><link>https://news.example/1</link></item>"
    feed = parse_feed(b"\n\n  " + rss(items), URL)
    assert len(feed.entries) == 1
    assert feed.warnings == ()


def test_parse_fetch_result_uses_final_url_and_header() -> None:
    items = "<item><title>خبر</title><link>/a</link></item>"
    body = rss(items, encoding="windows-1256").replace(b' encoding="windows-1256"', b"")
    result = FetchResult(
        url="http://news.example/old",
        final_url="https://news.example/ar/rss",
        status=200,
        headers={"content-type": "text/xml; charset=windows-1256"},
        body=body,
        text="",
        charset="windows-1256",
    )
    feed = parse_fetch_result(result)
    assert feed.url == "https://news.example/ar/rss"
    assert feed.entries[0].url == "https://news.example/a"
    assert feed.entries[0].title == "خبر"


def test_json_body_that_is_not_utf8_uses_the_fetchers_text() -> None:
    document = (
        '{"version": "https://jsonfeed.org/version/1", '
        '"items": [{"id": "1", "url": "https://n.example/1", "title": "خبر"}]}'
    )
    body = document.encode("utf-16")
    with pytest.raises(FeedParseError):
        parse_feed(body, URL)  # UTF-16 JSON without the fetcher's text: not a JSON Feed we read
    feed = parse_feed(document.encode("cp1256"), URL, text=document)
    assert feed.entries[0].title == "خبر"
