"""RSS 0.9x/1.0/2.0 and Atom documents, parsed by feedparser.

Importing this module defuses the standard library's XML parsers (``defusedxml.defuse_stdlib``):
feedparser parses with ``xml.sax``, and the defused parser refuses entity declarations and
external references outright. feedparser itself also strips nested entity declarations before
parsing (``replace_doctype``), so billion-laughs and XXE payloads are refused twice.
"""

from __future__ import annotations

import io
import re
import warnings
import xml.sax
from collections.abc import Mapping
from typing import Any

import defusedxml
import feedparser
from feedparser.exceptions import CharacterEncodingOverride

from khabar.errors import FeedParseError
from khabar.feeds.duplicates import dedupe_entries
from khabar.feeds.entries import entry_from_feedparser, resolve_url, text_of
from khabar.feeds.limits import trim_xml_feed
from khabar.feeds.text import clean_text
from khabar.types import FeedEntry, FeedFormat, ParsedFeed

__all__ = ["parse_xml_feed"]

with warnings.catch_warnings():
    # defuse_stdlib imports its deprecated cElementTree shim; the warning is not ours to fix.
    warnings.simplefilter("ignore", DeprecationWarning)
    defusedxml.defuse_stdlib()

# feedparser guesses an undeclared encoding with chardet whenever chardet happens to be
# importable (readability-lxml, a benchmark dependency, pulls it in), and then names
# ISO-8859-1 where it otherwise tries utf-8 then windows-1252. Khabar's decoding must not
# depend on what else is installed, so the guess is always feedparser's own fixed order.
feedparser.encodings.lazy_chardet_encoding = None

# feedparser's version codes → our format names; RSS 0.90 and 1.0 are RDF documents.
_FORMAT_BY_VERSION_PREFIX: tuple[tuple[str, FeedFormat], ...] = (
    ("rss090", "rdf"),
    ("rss10", "rdf"),
    ("rss", "rss"),
    ("atom", "atom"),
)


def parse_xml_feed(body: bytes, url: str, *, charset: str | None, root: str) -> ParsedFeed:
    """Parse an RSS/Atom/RDF body; ``root`` is the sniffed root element (for messages)."""
    trimmed = trim_xml_feed(_strip_leading_space(body), url)
    result = _run_feedparser(trimmed.body, url, charset)
    version = str(result.get("version") or "")
    problem = _bozo_problem(result)
    raw_entries = [dict(raw) for raw in result.get("entries", [])]
    if not version:
        if problem is not None and problem.startswith("malformed XML"):
            raise FeedParseError(url, problem)
        raise FeedParseError(url, f"not a feed: the root element is <{root}>, not RSS, Atom or RDF")
    warnings = [*trimmed.warnings, *([f"{problem}; parsed leniently"] if problem else [])]
    feed_format = _format(version)
    entries = _map_entries(raw_entries, url, warnings, dated_is_published=feed_format != "atom")
    if problem is not None and not entries and problem.startswith("malformed XML"):
        # Broken XML that yields no usable entry is an error, not an empty feed.
        raise FeedParseError(url, problem)
    unique, duplicate_warnings = dedupe_entries(entries)
    feed: Mapping[str, Any] = dict(result.get("feed", {}))
    link = feed.get("link")
    return ParsedFeed(
        url=url,
        format=feed_format,
        title=text_of(feed, "title"),
        site_url=resolve_url(url, link if isinstance(link, str) else None),
        description=text_of(feed, "subtitle"),
        language=clean_text(
            feed.get("language") if isinstance(feed.get("language"), str) else None
        ),
        entries=unique,
        warnings=(*warnings, *duplicate_warnings),
    )


def _run_feedparser(body: bytes, url: str, charset: str | None) -> Mapping[str, Any]:
    content_type = f"application/xml; charset={charset}" if charset else "application/xml"
    # No content-location: feedparser would resolve permalink GUIDs against it ("42" →
    # "https://site/rss/42"), and GUIDs must stay verbatim to stay stable across redirects.
    # Entry links are resolved against ``url`` in ``entries.resolve_url`` instead.
    headers = {"content-type": content_type}
    try:
        # A BytesIO, never the bytes: feedparser treats a bytes/str argument as a file name
        # or URL to open when it can.
        result: Mapping[str, Any] = feedparser.parse(
            io.BytesIO(_valid_charrefs(body)),
            response_headers=headers,
            sanitize_html=False,
            resolve_relative_uris=True,
        )
    except defusedxml.DefusedXmlException as error:
        raise FeedParseError(url, _refusal(error)) from error
    return result


_CHARREF = re.compile(rb"&#([xX][0-9a-fA-F]+|[0-9]+);")
_REPLACEMENT_REF = b"&#xFFFD;"


def _valid_charrefs(body: bytes) -> bytes:
    """``body`` with every character reference to no character (past U+10FFFF, a surrogate,
    or too many digits) made U+FFFD: feedparser's fallback parser raised ``ValueError`` on
    them, and the whole feed was lost (found by tests/faults/test_fuzz.py)."""
    if b"&#" not in body:
        return body
    return _CHARREF.sub(_checked_charref, body)


def _checked_charref(match: re.Match[bytes]) -> bytes:
    ref = match[1].lstrip(b"xX0") if match[1][:1] in b"xX" else match[1].lstrip(b"0")
    if len(ref) > 8:
        return _REPLACEMENT_REF
    value = int(ref or b"0", 16 if match[1][:1] in b"xX" else 10)
    return _REPLACEMENT_REF if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF else match[0]


def _strip_leading_space(body: bytes) -> bytes:
    """Whitespace before ``<?xml`` is a fatal XML error that real feeds commit."""
    stripped = body.lstrip(b" \t\r\n")
    return stripped if stripped.startswith(b"<?xml") else body


def _bozo_problem(result: Mapping[str, Any]) -> str | None:
    if not result.get("bozo"):
        return None
    error = result.get("bozo_exception")
    if isinstance(error, xml.sax.SAXParseException):
        return (
            f"malformed XML at line {error.getLineNumber()}, "
            f"column {error.getColumnNumber()}: {error.getMessage()}"
        )
    if isinstance(error, CharacterEncodingOverride):
        return f"character encoding problem: {error}"
    return f"{type(error).__name__}: {error}" if error is not None else "feed is not well-formed"


def _refusal(error: Exception) -> str:
    name = getattr(error, "name", None)
    if isinstance(error, defusedxml.EntitiesForbidden):
        return f"refused: the document declares the XML entity {name!r} (entities are not allowed)"
    if isinstance(error, defusedxml.ExternalReferenceForbidden):
        return "refused: the document references an external XML resource"
    return f"refused unsafe XML: {type(error).__name__}"


def _map_entries(
    raw_entries: list[dict[str, Any]], url: str, warnings: list[str], *, dated_is_published: bool
) -> list[FeedEntry]:
    entries = [
        entry_from_feedparser(raw, url, dated_is_published=dated_is_published)
        for raw in raw_entries
    ]
    kept = [entry for entry in entries if entry is not None]
    if len(kept) < len(entries):
        warnings.append(f"{len(entries) - len(kept)} entries had no web URL and were skipped")
    return kept


def _format(version: str) -> FeedFormat:
    for prefix, name in _FORMAT_BY_VERSION_PREFIX:
        if version.startswith(prefix):
            return name
    return "unknown"
