"""One entry point for every feed document: RSS, Atom, RDF, JSON Feed and sitemaps.

The body is sniffed first (empty? HTML? JSON? a sitemap?) so that the common failures get a
clear message instead of a parser's complaint, then handed to the parser for its format.
"""

from __future__ import annotations

import codecs
import re

from khabar.errors import FeedParseError
from khabar.feeds.jsonfeed import parse_json_feed
from khabar.feeds.sitemap import parse_sitemap
from khabar.feeds.sniff import gunzip_if_needed, sniff
from khabar.feeds.xmlfeed import parse_xml_feed
from khabar.types import FetchResult, ParsedFeed

__all__ = ["parse_feed", "parse_fetch_result"]

_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""")
_UTF8_LABELS = frozenset({"utf-8", "utf8"})
_CHECK_PIECE = 1024 * 1024
_XML_DECLARED_ENCODING = re.compile(r"""^(\s*<\?xml\s[^>]*?encoding\s*=\s*)(["'])[^"']*\2""")


def parse_feed(
    body: bytes, url: str, *, content_type: str | None = None, text: str | None = None
) -> ParsedFeed:
    """Parse a feed or sitemap document fetched from ``url``.

    ``content_type`` is the HTTP header as received: its charset (if any) is passed on to
    the XML parser, which otherwise follows the document's own declaration. ``text`` is the
    body as the fetcher decoded it: XML documents are parsed from it (see ``_xml_body``), and
    a JSON body that is not valid UTF-8 is read from it.
    Raises ``FeedParseError`` naming the problem when the document is not a feed.
    """
    inflated = gunzip_if_needed(body, url)
    if inflated is not body:
        text = None  # the fetcher decoded the compressed bytes: its text means nothing
    body = inflated
    document = sniff(body)
    if document.kind == "empty":
        raise FeedParseError(url, "empty response")
    if document.kind == "html":
        raise FeedParseError(url, f"this is an HTML page, not a feed (found <{document.root}>)")
    if document.kind == "text":
        raise FeedParseError(url, "not a feed: the response is neither XML nor JSON")
    if document.kind == "json":
        return parse_json_feed(_json_text(body, text, url), url)
    body, charset = _xml_body(body, _charset(content_type), text)
    if document.kind == "sitemap":
        return parse_sitemap(body, url)
    return parse_xml_feed(body, url, charset=charset, root=document.root or "?")


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


def _xml_body(body: bytes, charset: str | None, text: str | None) -> tuple[bytes, str | None]:
    """The bytes the XML parsers should read, and the charset to tell them.

    Left to themselves, XML parsers decode by the header charset, else the XML declaration,
    else UTF-8, and then fall back to windows-1252: undeclared windows-1256, windows-1256
    declared as UTF-8 (by the header or the XML declaration) and mixed windows-1256/UTF-8 all
    came out as mojibake. The fetcher's reading (``text``: the same declarations, then UTF-8,
    a mixed-body repair and detection that prefers Arabic codecs) is what they get instead,
    re-encoded as UTF-8 with the XML declaration saying so.
    """
    if not text:
        return body, charset
    declared = charset or _first_group(_XML_ENCODING, body[:1024]) or "utf-8"
    if declared.strip().lower() in _UTF8_LABELS and _is_utf8(body):
        return body, charset  # the parsers will read it as the fetcher did: no copy needed
    head, tail = text[:1024].lstrip("\ufeff"), text[1024:]
    head = _XML_DECLARED_ENCODING.sub(r'\1"utf-8"', head, count=1)
    return head.encode() + tail.encode(), "utf-8"


def _is_utf8(body: bytes) -> bool:
    """Whether ``body`` is valid UTF-8, checked a piece at a time (no full-size copy)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(body), _CHECK_PIECE):
            decoder.decode(body[start : start + _CHECK_PIECE])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _first_group(pattern: re.Pattern[bytes], data: bytes) -> str | None:
    match = pattern.search(data)
    return match[1].decode("ascii") if match else None


def _charset(content_type: str | None) -> str | None:
    match = _CHARSET.search(content_type or "")
    return match[1] if match else None
