"""One entry point for every feed document: RSS, Atom, RDF, JSON Feed and sitemaps.

The body is sniffed first (empty? HTML? JSON? a sitemap?) so that the common failures get a
clear message instead of a parser's complaint, then handed to the parser for its format.
"""

from __future__ import annotations

import re

from khabar.errors import FeedParseError
from khabar.feeds.jsonfeed import parse_json_feed
from khabar.feeds.sitemap import parse_sitemap
from khabar.feeds.sniff import gunzip_if_needed, sniff
from khabar.feeds.xmlfeed import parse_xml_feed
from khabar.types import FetchResult, ParsedFeed

__all__ = ["parse_feed", "parse_fetch_result"]

_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)


def parse_feed(
    body: bytes, url: str, *, content_type: str | None = None, text: str | None = None
) -> ParsedFeed:
    """Parse a feed or sitemap document fetched from ``url``.

    ``content_type`` is the HTTP header as received: its charset (if any) is passed on to
    the XML parser, which otherwise follows the document's own declaration. ``text`` is the
    body as the fetcher decoded it; it is used only when a JSON body is not valid UTF-8.
    Raises ``FeedParseError`` naming the problem when the document is not a feed.
    """
    body = gunzip_if_needed(body, url)
    document = sniff(body)
    if document.kind == "empty":
        raise FeedParseError(url, "empty response")
    if document.kind == "html":
        raise FeedParseError(url, f"this is an HTML page, not a feed (found <{document.root}>)")
    if document.kind == "text":
        raise FeedParseError(url, "not a feed: the response is neither XML nor JSON")
    if document.kind == "json":
        return parse_json_feed(_json_text(body, text, url), url)
    if document.kind == "sitemap":
        return parse_sitemap(body, url)
    return parse_xml_feed(body, url, charset=_charset(content_type), root=document.root or "?")


def parse_fetch_result(result: FetchResult) -> ParsedFeed:
    """Parse what the fetcher returned, relative to the final (post-redirect) URL."""
    return parse_feed(
        result.body,
        result.final_url,
        content_type=result.headers.get("content-type"),
        text=result.text,
    )


def _json_text(body: bytes, text: str | None, url: str) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if text is not None:
            return text
        raise FeedParseError(url, f"JSON body is not valid UTF-8: {error}") from error


def _charset(content_type: str | None) -> str | None:
    match = _CHARSET.search(content_type or "")
    return match[1] if match else None
