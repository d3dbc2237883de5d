"""Fuzzing the entry points that read outlet documents (issue 8): the feed parser, feed
discovery, OPML import, the article extractor and the HTML sanitizer.

Each takes arbitrary bytes or text from the network. The promise: a result, or Khabar's own
clear error (a ``KhabarError``) — never any other exception, which would end an update.
Inputs mix raw noise with documents built from feed-shaped pieces (tags, entities, CDATA,
Arabic, control characters, odd encodings), so the parsers get past their first byte.
The time is bounded: 150 examples per entry point (``KHABAR_TEST_FUZZ_EXAMPLES`` for a longer
hunt), no deadline per example.
A crash found here is fixed and its input kept as a regression case below (``REGRESSIONS``).
"""

from __future__ import annotations

import contextlib
import json
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khabar.errors import KhabarError
from khabar.extract import extract_article, sanitize_html
from khabar.feeds import find_feed_links, parse_feed, parse_opml
from khabar.types import ExtractedArticle, ParsedFeed

FUZZ = settings(
    max_examples=int(os.environ.get("KHABAR_TEST_FUZZ_EXAMPLES", "150")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
URL = "http://feeds.example/feed.xml"
LIVE_ATTRIBUTE = re.compile(r"<[^>]*(\bon[a-z]+\s*=|=\s*[\"']?\s*javascript:)")

PIECES = [
    "<",
    ">",
    "</",
    "/>",
    "&",
    "&amp;",
    "&#0;",
    "&#x110000;",
    "&lt;",
    "&nbsp;",
    "<![CDATA[",
    "]]>",
    "<!--",
    "-->",
    "<?xml version='1.0'?>",
    "<!DOCTYPE x>",
    '<rss version="2.0">',
    "<channel>",
    "<item>",
    "</item>",
    "<title>",
    "</title>",
    "<link>",
    "</link>",
    "<guid>",
    "<pubDate>",
    "<description>",
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    "<entry>",
    '<link href="',
    '"/>',
    '<content type="xhtml">',
    '<div xmlns="http://www.w3.org/1999/xhtml">',
    "<urlset>",
    "<url><loc>",
    "<html>",
    "<body>",
    "<article>",
    "<p>",
    "<script>",
    "<svg onload=x>",
    "<img src=x onerror=y>",
    "javascript:",
    '<a href="',
    '<link rel="alternate" type="application/rss+xml" href="',
    "<opml>",
    '<outline xmlUrl="',
    "http://",
    "https://a.example/",
    "/",
    "?",
    "#",
    "خبر",
    "العاجل",
    "\u200f",
    "\u0640",
    "\ufeff",
    "\x00",
    "\x1b",
    "\ud7ff",
    "Mon, 31 Dec 9999 23:59:59 +1400",
    "0001-01-01T00:00:00Z",
    " ",
    "\n",
    '"',
    "'",
]

documents = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=60).map(
    "".join
)
encodings = st.sampled_from(["utf-8", "utf-16", "windows-1256", "latin-1"])


@st.composite
def document_bytes(draw: st.DrawFn) -> bytes:
    if draw(st.booleans()):
        return draw(st.binary(max_size=400))
    text = draw(documents)
    return text.encode(draw(encodings), errors="ignore")


@st.composite
def json_feeds(draw: st.DrawFn) -> bytes:
    values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | documents,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(documents, inner, max_size=4),
        max_leaves=20,
    )
    item = st.dictionaries(
        st.sampled_from(["id", "url", "title", "content_html", "date_published", "summary"]),
        values,
        max_size=6,
    )
    feed = {
        "version": draw(st.sampled_from(["https://jsonfeed.org/version/1.1", "", None])),
        "title": draw(values),
        "items": draw(st.lists(item, max_size=5) | values),
    }
    return json.dumps(feed, allow_nan=True).encode()


CONTENT_TYPES = st.sampled_from(
    [
        None,
        "application/rss+xml",
        "application/xml; charset=windows-1256",
        "application/feed+json",
        "text/html; charset=utf-8",
        "text/xml; charset=bogus",
    ]
)


def _parse(body: bytes, content_type: str | None, text: str | None) -> None:
    try:
        feed = parse_feed(body, URL, content_type=content_type, text=text)
    except KhabarError:
        return
    assert isinstance(feed, ParsedFeed)
    for entry in feed.entries:
        assert entry.url and entry.key


@FUZZ
@given(body=document_bytes(), content_type=CONTENT_TYPES)
def test_feed_parser_never_crashes_on_bytes(body: bytes, content_type: str | None) -> None:
    _parse(body, content_type, None)


@FUZZ
@given(text=documents, content_type=CONTENT_TYPES)
def test_feed_parser_never_crashes_on_decoded_text(text: str, content_type: str | None) -> None:
    _parse(text.encode("utf-8", errors="surrogatepass"), content_type, text)


@FUZZ
@given(body=json_feeds())
def test_json_feed_parser_never_crashes(body: bytes) -> None:
    _parse(body, "application/feed+json", None)


@FUZZ
@given(html=documents)
def test_extractor_never_crashes(html: str) -> None:
    article = extract_article(html, "http://news.example/a/1.html")
    assert isinstance(article, ExtractedArticle)


@FUZZ
@given(html=documents)
def test_sanitizer_never_lets_markup_live(html: str) -> None:
    clean = sanitize_html(html, "http://news.example/a/1.html").lower()
    assert "<script" not in clean and "<svg" not in clean, clean
    assert not LIVE_ATTRIBUTE.search(clean), clean


@FUZZ
@given(html=documents)
def test_feed_discovery_never_crashes(html: str) -> None:
    for link in find_feed_links(html, "http://news.example/"):
        assert isinstance(link, str)


@FUZZ
@given(body=document_bytes())
def test_opml_reader_never_crashes(body: bytes) -> None:
    with contextlib.suppress(KhabarError):
        parse_opml(body, "fuzz.opml")


# Inputs that crashed an entry point once (found by the tests above); each stays a case.
# Character references to no character in a feed that is not well-formed: feedparser's
# fallback parser raised ValueError / UnicodeEncodeError / OverflowError and the feed was lost.
_LOOSE = (
    b'<rss version="2.0"><channel><title>t</title><item><title>a%s</title>'
    b"<link>http://a.example/1</link></item></channel>"
)
REGRESSIONS: list[tuple[str, bytes]] = [
    ("char ref past U+10FFFF (hex)", _LOOSE % b"&#x110000;"),
    ("char ref past U+10FFFF (decimal)", _LOOSE % b"&#1114112;"),
    ("char ref to a surrogate", _LOOSE % b"&#xD800;"),
    ("char ref with 20 digits", _LOOSE % b"&#99999999999999999999;"),
]


@pytest.mark.parametrize(("what", "body"), REGRESSIONS, ids=[w for w, _ in REGRESSIONS])
def test_fuzz_regressions(what: str, body: bytes) -> None:
    feed = parse_feed(body, URL)
    assert [e.title for e in feed.entries] == ["a\ufffd"], what
    assert isinstance(
        extract_article(body.decode(), "http://news.example/a/1.html"), ExtractedArticle
    )
