"""Tell what kind of document a response body is, before choosing a parser.

Only the first few kilobytes are looked at; nothing is parsed fully here.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from typing import Literal

from khabar.errors import FeedParseError

__all__ = ["MAX_DECOMPRESSED_BYTES", "Sniffed", "gunzip_if_needed", "sniff"]

DocumentKind = Literal["empty", "json", "html", "sitemap", "xml", "text"]

MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024
"""A gzipped sitemap may not inflate past this (sitemaps are capped at 50 MB by the protocol)."""

_HEAD_BYTES = 8192
_GZIP_MAGIC = b"\x1f\x8b"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Markup that may precede the root element: XML declaration / processing instructions,
# comments, and a DOCTYPE (possibly with an internal subset in brackets).
_PROLOG_ITEM = re.compile(
    r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]*\[.*?\])?[^>]*>)", re.DOTALL | re.IGNORECASE
)
_ROOT = re.compile(r"\s*<([A-Za-z_][A-Za-z0-9_.:-]*)")
_UNFINISHED_DOCTYPE = re.compile(r"\s*<!DOCTYPE\s+[A-Za-z_][^\[>]*\[", re.IGNORECASE)
_HTML_DOCTYPE = re.compile(r"<!DOCTYPE\s+html", re.IGNORECASE)
_HTML_ROOTS = frozenset({"html", "head", "body"})
_SITEMAP_ROOTS = frozenset({"urlset", "sitemapindex"})


@dataclass(frozen=True, slots=True)
class Sniffed:
    """What a body looks like: its kind and, for markup, the root element's name as written."""

    kind: DocumentKind
    root: str | None = None


def sniff(body: bytes) -> Sniffed:
    """Classify ``body`` as empty, JSON, HTML, sitemap, other XML, or plain text."""
    head = _decode_head(body[:_HEAD_BYTES])
    stripped = head.lstrip("\ufeff \t\r\n")
    if not stripped:
        return Sniffed("empty")
    if stripped[0] in "{[":
        return Sniffed("json")
    prolog_end = _skip_prolog(stripped)
    root_match = _ROOT.match(stripped, prolog_end)
    if _HTML_DOCTYPE.search(stripped, 0, prolog_end):
        return Sniffed("html", root_match[1] if root_match else "!DOCTYPE html")
    if root_match is None:
        if _UNFINISHED_DOCTYPE.match(stripped, prolog_end):
            # A DTD longer than the sniffed head: XML, and the XML parser will say what is wrong.
            return Sniffed("xml", "!DOCTYPE")
        return Sniffed("text")
    root = root_match[1]
    local = root.rsplit(":", 1)[-1].lower()
    if local in _HTML_ROOTS:
        return Sniffed("html", root)
    if local in _SITEMAP_ROOTS:
        return Sniffed("sitemap", root)
    return Sniffed("xml", root)


def gunzip_if_needed(body: bytes, url: str) -> bytes:
    """Inflate a gzip body (``sitemap.xml.gz``), refusing to grow past the cap."""
    if not body.startswith(_GZIP_MAGIC):
        return body
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, MAX_DECOMPRESSED_BYTES + 1)
    except zlib.error as error:
        raise FeedParseError(url, f"corrupt gzip data: {error}") from error
    if len(data) > MAX_DECOMPRESSED_BYTES or inflater.unconsumed_tail:
        raise FeedParseError(
            url, f"gzip body inflates past {MAX_DECOMPRESSED_BYTES // (1024 * 1024)} MiB"
        )
    if not inflater.eof:
        raise FeedParseError(url, "corrupt gzip data: the stream is truncated")
    return data


def _decode_head(head: bytes) -> str:
    if head.startswith(_UTF16_BOMS):
        return head.decode("utf-16", errors="replace")
    # Markup names are ASCII: latin-1 never fails and keeps them intact for any ASCII superset.
    return head.decode("latin-1")


def _skip_prolog(text: str) -> int:
    position = 0
    while match := _PROLOG_ITEM.match(text, position):
        if match.end() == position:
            break
        position = match.end()
    return position
