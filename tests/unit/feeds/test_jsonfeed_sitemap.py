"""JSON Feed 1.0/1.1 and (Google News) sitemaps."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from khabar.errors import FeedParseError
from khabar.feeds import CHILD_SITEMAP_CATEGORY, is_child_sitemap, parse_feed

FIXTURES = Path(__file__).parents[2] / "fixtures" / "feeds"


def json_feed(items: list[object], **extra: object) -> bytes:
    document: dict[str, object] = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "أخبار",
        "items": items,
    }
    document.update(extra)
    return json.dumps(document, ensure_ascii=False).encode()


def test_json_feed_1_1_item_fields() -> None:
    body = json_feed(
        [
            {
                "id": 1234,
                "url": "/ar/news/1234",
                "title": "وزير الخارجية يلتقي نظيره",
                "content_html": "<p>نص</p>",
                "summary": "ملخص",
                "date_published": "2024-03-10T09:30:00+03:00",
                "date_modified": "2024-03-10T10:00:00Z",
                "authors": [{"name": "مراسلنا"}],
                "tags": ["سياسة", "الأردن"],
                "image": "https://cdn.example/1.jpg",
                "language": "ar",
            }
        ],
        home_page_url="https://news.example/",
        language="ar",
    )
    feed = parse_feed(body, "https://news.example/feed.json")
    assert (feed.format, feed.title, feed.site_url, feed.language) == (
        "json",
        "أخبار",
        "https://news.example/",
        "ar",
    )
    [entry] = feed.entries
    assert entry.guid == "1234"
    assert entry.url == "https://news.example/ar/news/1234"
    assert entry.summary == "ملخص"
    assert entry.published == datetime(2024, 3, 10, 6, 30, tzinfo=UTC)
    assert entry.updated == datetime(2024, 3, 10, 10, 0, tzinfo=UTC)
    assert entry.author == "مراسلنا"
    assert entry.categories == ("سياسة", "الأردن")
    assert entry.image == "https://cdn.example/1.jpg"
    assert entry.language == "ar"


def test_json_feed_1_0_author_external_url_and_bad_items() -> None:
    body = json_feed(
        [
            {"id": "a", "external_url": "https://other.example/a", "content_text": "نص"},
            {"id": "b"},
            "not an item",
            {"id": "c", "url": "https://news.example/c", "date_published": "yesterday"},
        ],
        version="https://jsonfeed.org/version/1",
        author={"name": "التحرير"},
    )
    feed = parse_feed(body, "https://news.example/feed.json")
    assert [e.url for e in feed.entries] == ["https://other.example/a", "https://news.example/c"]
    assert feed.entries[0].author == "التحرير"
    assert feed.entries[0].summary == "نص"
    assert feed.entries[1].published is None
    assert feed.warnings == (
        "item 1 has no usable URL and was skipped",
        "item 2 has no usable URL and was skipped",
    )


def test_json_feed_without_items_is_refused() -> None:
    with pytest.raises(FeedParseError, match="no 'items' list"):
        parse_feed(b'{"version": "https://jsonfeed.org/version/1.1"}', "https://x.example/f")


NEWS_SITEMAP = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <loc>https://news.example/ar/2024/05/01/قمة-عربية</loc>
    <lastmod>2024-05-01T12:00:00+03:00</lastmod>
    <news:news>
      <news:publication>
        <news:name>أخبار المثال</news:name><news:language>ar</news:language>
      </news:publication>
      <news:publication_date>2024-05-01T10:00:00+03:00</news:publication_date>
      <news:title>القمة العربية تختتم أعمالها</news:title>
      <news:keywords>قمة, الجامعة العربية</news:keywords>
    </news:news>
    <image:image><image:loc>https://cdn.example/summit.jpg</image:loc></image:image>
  </url>
  <url><loc>/ar/2024/05/01/second</loc><lastmod>2024-05</lastmod></url>
  <url><lastmod>2024-05-01</lastmod></url>
</urlset>""".encode()


def test_google_news_sitemap() -> None:
    feed = parse_feed(NEWS_SITEMAP, "https://news.example/news-sitemap.xml")
    assert (feed.format, feed.title, feed.language) == ("sitemap", "أخبار المثال", "ar")
    first, second = feed.entries
    assert first.url == "https://news.example/ar/2024/05/01/قمة-عربية"
    assert first.title == "القمة العربية تختتم أعمالها"
    assert first.published == datetime(2024, 5, 1, 7, 0, tzinfo=UTC)
    assert first.updated == datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
    assert first.language == "ar"
    assert first.categories == ("قمة", "الجامعة العربية")
    assert first.image == "https://cdn.example/summit.jpg"
    assert second.url == "https://news.example/ar/2024/05/01/second"
    assert second.updated == datetime(2024, 5, 1, tzinfo=UTC)
    assert not is_child_sitemap(first)
    assert feed.warnings == ("1 <url> elements had no usable <loc>",)


def test_sitemap_index_entries_are_marked_child_sitemaps() -> None:
    body = (FIXTURES / "sitemap_index.xml").read_bytes()
    feed = parse_feed(body, "http://www.example.com/sitemap.xml")
    assert feed.format == "sitemap"
    assert [e.url for e in feed.entries] == [
        "http://www.example.com/sitemap1.xml.gz",
        "http://www.example.com/sitemap2.xml.gz",
    ]
    assert all(is_child_sitemap(e) for e in feed.entries)
    assert feed.entries[0].categories == (CHILD_SITEMAP_CATEGORY,)
    assert feed.entries[0].updated == datetime(2004, 10, 1, 18, 23, 17, tzinfo=UTC)


def test_gzipped_sitemap() -> None:
    feed = parse_feed((FIXTURES / "sitemap.xml.gz").read_bytes(), "https://www.sitemaps.org/s.gz")
    assert feed.format == "sitemap"
    assert len(feed.entries) == 84
    assert feed.entries[0].url == "https://www.sitemaps.org/"


def test_malformed_sitemap_names_the_position() -> None:
    body = b'<?xml version="1.0"?>\n<urlset>\n  <url><loc>x</url>\n</urlset>'
    with pytest.raises(
        FeedParseError, match=r"malformed XML at line 3, column \d+: mismatched tag"
    ):
        parse_feed(body, "https://x.example/sitemap.xml")
