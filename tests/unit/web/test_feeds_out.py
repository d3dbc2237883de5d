"""Outgoing feed builders: every document is parsed back (feedparser; JSON Feed with json and
Khabar's own JSON Feed reader) and checked field by field."""

from __future__ import annotations

import json
import re
from calendar import timegm
from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import feedparser
import pytest

from khabar.feeds.jsonfeed import parse_json_feed
from khabar.types import Article
from khabar.web.feeds_out import FORMATS, FeedFormat, FeedMeta, build_feed, etag_of, not_modified
from khabar.web.feeds_out.model import EPOCH, feed_item
from khabar.web.feeds_out.tags import clean_tag, has_tag, tag_query
from khabar.web.feeds_routes import DEFAULT_LIMIT, MAX_LIMIT, parse_limit
from khabar.web.problems import WebError

SITE = "https://khabar.example/"
NOW = datetime(2024, 3, 5, 14, 7, 30, 123456, tzinfo=UTC)
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
RFC822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$")


def article(n: int, **fields: Any) -> Article:
    values: dict[str, Any] = {
        "id": n,
        "source_id": 1,
        "key": f"k{n}",
        "url": f"https://aljazeera.example/news/{n}",
        "title": f"غزة: خبر رقم {n}",
        "text": f"الفقرة الأولى من الخبر {n} عن غزة.\n\nالفقرة الثانية.",
        "html": "",
        "summary": None,
        "canonical_url": None,
        "guid": None,
        "author": "سارة أحمد",
        "published": NOW - timedelta(hours=n),
        "updated": None,
        "image": None,
        "language": "ar",
        "categories": ("غزة", "فلسطين"),
        "extraction_error": None,
        "fetched_at": NOW,
        "source_title": "الجزيرة",
        "section": "politics",
    }
    return Article(**(values | fields))


META = FeedMeta(
    title="خبر — بحث: غزة",
    feed_id=SITE + "feeds/search.atom?q=%D8%BA%D8%B2%D8%A9",
    self_url=SITE + "feeds/search.atom?q=%D8%BA%D8%B2%D8%A9&limit=2",
    html_url=SITE + "search?q=%D8%BA%D8%B2%D8%A9&sort=date",
    site_url=SITE,
    description="أحدث نتائج البحث عن «غزة»",
)
ARTICLES = [article(1), article(2, language="en", title="Gaza ceasefire talks", author=None)]


def parsed(fmt: FeedFormat, articles: list[Article] = ARTICLES) -> Any:
    result = feedparser.parse(build_feed(fmt, META, articles).body)
    assert not result.bozo, result.get("bozo_exception")
    return result


def epoch_of(moment: datetime) -> int:
    return int(moment.replace(microsecond=0).timestamp())


# --- Atom --------------------------------------------------------------------------------


def test_atom_feed_metadata() -> None:
    feed = parsed("atom")
    assert feed.version == "atom10"
    assert feed.feed.title == "خبر — بحث: غزة"
    assert feed.feed.language == "ar"
    assert feed.feed.id == META.feed_id
    assert feed.feed.subtitle == "أحدث نتائج البحث عن «غزة»"
    links = {link.rel: link.href for link in feed.feed.links}
    assert links == {"self": META.self_url, "alternate": META.html_url}
    newest = max(a.sort_time for a in ARTICLES)
    assert timegm(feed.feed.updated_parsed) == epoch_of(newest)


def test_atom_entries_carry_every_field() -> None:
    feed = parsed("atom")
    first, second = feed.entries
    assert first.id == SITE + "articles/1"
    assert first.title == "غزة: خبر رقم 1"
    assert first.title_detail.language == "ar"
    assert second.title_detail.language == "en"
    assert first.link == "https://aljazeera.example/news/1"  # alternate: the original
    related = [link.href for link in first.links if link.rel == "related"]
    assert related == [SITE + "articles/1"]
    assert timegm(first.published_parsed) == epoch_of(ARTICLES[0].sort_time)
    assert first.published.endswith("Z") and RFC3339.match(first.published)
    assert RFC3339.match(first.updated)
    assert first.author == "سارة أحمد"
    assert second.author == "الجزيرة"  # no byline: the outlet (Atom requires an author)
    terms = [(t.term, t.scheme) for t in first.tags]
    assert terms == [("سياسة", SITE + "sections"), ("غزة", None), ("فلسطين", None)]
    assert first.summary == "الفقرة الأولى من الخبر 1 عن غزة."
    assert "الفقرة الأولى من الخبر 1 عن غزة." in first.content[0].value


def test_atom_is_right_to_left_arabic_in_the_document_itself() -> None:
    body = build_feed("atom", META, ARTICLES).body.decode("utf-8")
    assert body.startswith('<?xml version="1.0" encoding="utf-8"?>\n<feed ')
    assert '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">' in body
    assert '<entry xml:lang="en">' in body
    assert "غزة: خبر رقم 1" in body  # UTF-8, not character references
    assert '&lt;p lang="ar" dir="auto"&gt;' in body


# --- RSS 2.0 -----------------------------------------------------------------------------


def test_rss_channel_and_items() -> None:
    feed = parsed("rss")
    assert feed.version == "rss20"
    assert feed.feed.title == "خبر — بحث: غزة"
    assert feed.feed.language == "ar"
    assert feed.feed.link == META.html_url
    self_links = [link.href for link in feed.feed.links if link.rel == "self"]
    assert self_links == [META.self_url]
    first, second = feed.entries
    assert first.link == "https://aljazeera.example/news/1"
    assert first.id == SITE + "articles/1" and first.guidislink is False
    assert RFC822.match(first.published), first.published
    assert timegm(first.published_parsed) == epoch_of(ARTICLES[0].sort_time)
    assert RFC822.match(feed.feed.updated)
    assert first.author == "سارة أحمد" and second.author == "الجزيرة"
    assert first.language == "ar" and second.language == "en"
    assert [t.term for t in first.tags] == ["سياسة", "غزة", "فلسطين"]
    assert first.tags[0].scheme == SITE + "sections"
    assert "الفقرة الأولى من الخبر 1 عن غزة." in first.summary
    assert "اقرأ الخبر في" in first.content[0].value


def test_rss_guid_is_the_article_page_permalink() -> None:
    body = build_feed("rss", META, ARTICLES).body.decode("utf-8")
    assert f'<guid isPermaLink="true">{SITE}articles/1</guid>' in body


# --- JSON Feed 1.1 -----------------------------------------------------------------------


def test_json_feed_structure() -> None:
    document = json.loads(build_feed("json", META, ARTICLES).body)
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["title"] == "خبر — بحث: غزة" and document["language"] == "ar"
    assert document["feed_url"] == META.self_url
    assert document["home_page_url"] == META.html_url
    first, second = document["items"]
    assert first["id"] == SITE + "articles/1"
    assert first["url"] == "https://aljazeera.example/news/1"
    assert first["language"] == "ar" and second["language"] == "en"
    assert RFC3339.match(first["date_published"]) and RFC3339.match(first["date_modified"])
    assert first["authors"] == [{"name": "سارة أحمد"}]
    assert first["tags"] == ["سياسة", "غزة", "فلسطين"]
    assert first["summary"] == "الفقرة الأولى من الخبر 1 عن غزة."
    assert first["_khabar"]["page_url"] == SITE + "articles/1"
    assert first["_khabar"]["section"] == "politics"


def test_json_feed_reads_back_with_khabars_own_reader() -> None:
    body = build_feed("json", META, ARTICLES).body.decode("utf-8")
    feed = parse_json_feed(body, META.self_url)
    assert feed.title == "خبر — بحث: غزة" and feed.language == "ar"
    first = feed.entries[0]
    assert first.url == "https://aljazeera.example/news/1"
    assert first.title == "غزة: خبر رقم 1"
    assert first.author == "سارة أحمد"
    assert first.published == ARTICLES[0].sort_time.replace(microsecond=0)
    assert first.categories == ("سياسة", "غزة", "فلسطين")


# --- content, escaping, copies -----------------------------------------------------------

HOSTILE = article(
    3,
    title='<script>alert("x")</script> & شركة "ب"',
    text="<img src=x onerror=alert(1)> نص الخبر",
    author="<b>كاتب</b>",
    categories=("<i>وسم</i>",),
)


@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_markup_in_article_fields_is_text_never_markup(fmt: FeedFormat) -> None:
    body = build_feed(fmt, META, [HOSTILE]).body.decode("utf-8")
    assert "<script" not in body and "<img" not in body and "<b>" not in body
    entry = parsed(fmt, [HOSTILE]).entries[0]
    assert entry.title == '<script>alert("x")</script> & شركة "ب"'
    content = entry.content[0].value
    assert "&lt;img src=x onerror=alert(1)&gt; نص الخبر" in content
    assert "<img" not in content


def test_json_feed_content_html_is_escaped() -> None:
    item = json.loads(build_feed("json", META, [HOSTILE]).body)["items"][0]
    assert item["title"] == HOSTILE.title  # a title is plain text in JSON Feed
    assert "<img" not in item["content_html"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in item["content_html"]


def test_characters_xml_cannot_hold_are_dropped_not_fatal() -> None:
    broken = article(4, title="عنوان\x0b فيه\x00 محارف تحكم\ufffe", text="نص\x1b الخبر")
    for fmt in ("atom", "rss"):
        entry = parsed(fmt, [broken]).entries[0]
        assert entry.title == "عنوان فيه محارف تحكم"


def test_copies_credit_the_original_outlet() -> None:
    lead = article(5, copies=3, original_outlet="واس", original_id=9)
    for fmt in ("atom", "rss"):
        content = parsed(fmt, [lead]).entries[0].content[0].value
        assert "نُشر أولاً في" in content and "واس" in content
        assert "+٣ مصادر" in content
    item = json.loads(build_feed("json", META, [lead]).body)["items"][0]
    assert "نُشر أولاً في <bdi>واس</bdi>" in item["content_html"]
    assert item["_khabar"]["copies"] == 3 and item["_khabar"]["original_outlet"] == "واس"


def test_no_credit_line_when_nothing_is_known_about_copies() -> None:
    item = feed_item(article(6), SITE)
    assert "نُشر أولاً" not in item.content_html and "مصادر أخرى" not in item.content_html


def test_unsafe_original_url_falls_back_to_our_page() -> None:
    item = feed_item(article(7, url="javascript:alert(1)"), SITE)
    assert item.url == SITE + "articles/7"
    assert "javascript:" not in item.content_html


def test_section_other_is_not_a_category_and_tags_are_deduplicated() -> None:
    item = feed_item(article(8, section="other", categories=("غزة", " غزة ", "")), SITE)
    assert [c.term for c in item.categories] == ["غزة"]


# --- dates, ids, determinism -------------------------------------------------------------


def test_dates_are_converted_to_utc() -> None:
    riyadh = timezone(timedelta(hours=3))
    local = article(9, published=datetime(2024, 3, 5, 17, 0, tzinfo=riyadh))
    atom = parsed("atom", [local]).entries[0]
    rss = parsed("rss", [local]).entries[0]
    assert atom.published == "2024-03-05T14:00:00Z"
    assert rss.published == "Tue, 05 Mar 2024 14:00:00 GMT"


def test_updated_is_never_before_published_and_missing_dates_use_fetch_time() -> None:
    stale = article(10, updated=NOW - timedelta(days=30))
    assert feed_item(stale, SITE).updated == stale.sort_time
    undated = article(11, published=None)
    assert feed_item(undated, SITE).published == NOW
    later = article(12, updated=NOW + timedelta(hours=1))
    entry = parsed("atom", [later]).entries[0]
    assert timegm(entry.updated_parsed) == epoch_of(NOW + timedelta(hours=1))


def test_ids_are_stable_across_builds_formats_and_feeds() -> None:
    other = replace(META, title="خبر — الأحدث", feed_id=SITE + "feeds/latest.atom")
    ids = {
        parsed("atom").entries[0].id,
        parsed("rss").entries[0].id,
        json.loads(build_feed("json", other, ARTICLES).body)["items"][0]["id"],
        feedparser.parse(build_feed("atom", other, ARTICLES).body).entries[0].id,
    }
    assert ids == {SITE + "articles/1"}


def test_documents_are_deterministic() -> None:
    for fmt in FORMATS:
        one = build_feed(fmt, META, ARTICLES)
        two = build_feed(fmt, META, ARTICLES)
        assert one.body == two.body and one.etag == two.etag
    changed = build_feed("atom", META, [replace(ARTICLES[0], title="عنوان آخر")])
    assert changed.etag != build_feed("atom", META, ARTICLES[:1]).etag


def test_empty_feed_is_valid_and_dated_at_the_epoch() -> None:
    for fmt in ("atom", "rss"):
        document = build_feed(fmt, META, [])
        assert document.updated == EPOCH
        result = feedparser.parse(document.body)
        assert not result.bozo and result.entries == []
    assert json.loads(build_feed("json", META, []).body)["items"] == []


def test_media_types() -> None:
    assert build_feed("atom", META, []).media_type == "application/atom+xml; charset=utf-8"
    assert build_feed("rss", META, []).media_type == "application/rss+xml; charset=utf-8"
    assert build_feed("json", META, []).media_type == "application/feed+json; charset=utf-8"


# --- conditional GET ---------------------------------------------------------------------

ETAG = etag_of(b"feed")
MODIFIED = datetime(2024, 3, 5, 14, 7, 30, 500000, tzinfo=UTC)


@pytest.mark.parametrize(
    ("if_none_match", "if_modified_since", "expected"),
    [
        (ETAG, None, True),
        (f"W/{ETAG}", None, True),
        (f'"other", {ETAG}', None, True),
        ("*", None, True),
        ('"other"', None, False),
        ('"other"', "Tue, 05 Mar 2024 14:07:30 GMT", False),  # If-None-Match wins
        (None, "Tue, 05 Mar 2024 14:07:30 GMT", True),
        (None, "Wed, 06 Mar 2024 00:00:00 GMT", True),
        (None, "Tue, 05 Mar 2024 14:07:29 GMT", False),
        (None, "yesterday", False),
        (None, None, False),
    ],
)
def test_not_modified(
    if_none_match: str | None, if_modified_since: str | None, expected: bool
) -> None:
    assert not_modified(ETAG, MODIFIED, if_none_match, if_modified_since) is expected


def test_etag_is_a_quoted_strong_validator() -> None:
    assert re.fullmatch(r'"[0-9a-f]{32}"', ETAG)
    assert etag_of(b"feed") == ETAG and etag_of(b"feed2") != ETAG


# --- tags and limits ---------------------------------------------------------------------


def test_tag_matching_is_normalized_and_whole_tag() -> None:
    tagged = article(13, categories=("قطاع غزة", "غزّة"))
    assert has_tag(tagged, "غزه") and has_tag(tagged, "قطاع  غزة")
    assert not has_tag(tagged, "قطاع") and not has_tag(tagged, "")
    assert not has_tag(article(14, categories=()), "غزة")


def test_tag_query_is_one_phrase() -> None:
    assert clean_tag('  "قطاع   غزة" ') == "قطاع غزة"
    assert tag_query('قطاع "غزة"') == '"قطاع غزة"'


@pytest.mark.parametrize(
    ("text", "expected"),
    [(None, DEFAULT_LIMIT), ("", DEFAULT_LIMIT), ("7", 7), ("0", 1), ("9999", MAX_LIMIT)],
)
def test_limit_is_bounded(text: str | None, expected: int) -> None:
    assert parse_limit(text) == expected


@pytest.mark.parametrize("text", ["-1", "ten", "1.5", "٣"])
def test_limit_that_is_not_a_number_is_refused(text: str) -> None:
    with pytest.raises(WebError) as caught:
        parse_limit(text)
    assert caught.value.problem.status == 400 and caught.value.problem.code == "invalid_limit"
