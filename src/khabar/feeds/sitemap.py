"""XML sitemaps (``<urlset>``, ``<sitemapindex>``) and Google News sitemaps.

Elements are matched by local name so that sitemaps with a wrong or missing namespace still
read. A ``<sitemapindex>`` gives one entry per child sitemap, marked with
``CHILD_SITEMAP_CATEGORY`` (see ``is_child_sitemap``): they are documents to fetch, not articles.
"""

from __future__ import annotations

from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET

from khabar.errors import FeedParseError
from khabar.feeds.duplicates import dedupe_entries
from khabar.feeds.entries import resolve_url
from khabar.feeds.limits import MAX_ENTRIES, too_many_entries
from khabar.feeds.text import clean_text, html_to_text, parse_w3c_datetime
from khabar.types import FeedEntry, ParsedFeed

__all__ = ["CHILD_SITEMAP_CATEGORY", "is_child_sitemap", "parse_sitemap"]

CHILD_SITEMAP_CATEGORY = "khabar:child-sitemap"
"""The category carried by entries of a sitemap index: each one is another sitemap."""


def is_child_sitemap(entry: FeedEntry) -> bool:
    """True when ``entry`` came from a ``<sitemapindex>`` and points at another sitemap."""
    return CHILD_SITEMAP_CATEGORY in entry.categories


def parse_sitemap(body: bytes, url: str) -> ParsedFeed:
    """Parse a sitemap or sitemap index into a ``ParsedFeed(format="sitemap")``."""
    root = _parse_xml(body, url)
    is_index = _local(root.tag) == "sitemapindex"
    wanted = "sitemap" if is_index else "url"
    elements = [child for child in root if _local(child.tag) == wanted]
    warnings = []
    if len(elements) > MAX_ENTRIES:
        warnings.append(too_many_entries(len(elements)) + ", the most recently dated")
        elements = _newest(elements)
    entries: list[FeedEntry] = []
    for element in elements:
        entry = _child_sitemap(element, url) if is_index else _url_entry(element, url)
        if entry is not None:
            entries.append(entry)
    if len(entries) < len(elements):
        warnings.append(f"{len(elements) - len(entries)} <{wanted}> elements had no usable <loc>")
    unique, duplicate_warnings = dedupe_entries(entries)
    publication = _find(root, "url", "news", "publication")
    return ParsedFeed(
        url=url,
        format="sitemap",
        title=_text(publication, "name"),
        language=_text(publication, "language"),
        entries=unique,
        warnings=(*warnings, *duplicate_warnings),
    )


def _parse_xml(body: bytes, url: str) -> Element:
    try:
        root: Element = SafeET.fromstring(body, forbid_dtd=True)
    except ParseError as error:
        line, column = error.position
        reason = str(error).split(":", 1)[0]
        raise FeedParseError(
            url, f"malformed XML at line {line}, column {column}: {reason}"
        ) from error
    except defusedxml.DefusedXmlException as error:
        raise FeedParseError(url, f"refused: sitemap has a DTD or entities ({error})") from error
    return root


def _url_entry(element: Element, base_url: str) -> FeedEntry | None:
    url = resolve_url(base_url, _text(element, "loc"))
    if url is None:
        return None
    news = _find(element, "news")
    keywords = _text(news, "keywords") or ""
    return FeedEntry(
        url=url,
        title=_text(news, "title"),
        published=parse_w3c_datetime(_text(news, "publication_date")),
        updated=parse_w3c_datetime(_text(element, "lastmod")),
        categories=tuple(k.strip() for k in keywords.split(",") if k.strip()),
        image=resolve_url(base_url, _text(_find(element, "image"), "loc")),
        language=_text(_find(news, "publication"), "language"),
    )


def _child_sitemap(element: Element, base_url: str) -> FeedEntry | None:
    url = resolve_url(base_url, _text(element, "loc"))
    if url is None:
        return None
    return FeedEntry(
        url=url,
        updated=parse_w3c_datetime(_text(element, "lastmod")),
        categories=(CHILD_SITEMAP_CATEGORY,),
    )


def _newest(elements: list[Element]) -> list[Element]:
    """The ``MAX_ENTRIES`` elements with the latest dates (W3C dates compare as text well
    enough to choose; undated ones count as oldest), in that order."""

    def date_text(element: Element) -> str:
        dated = _text(element, "lastmod") or _text(_find(element, "news"), "publication_date")
        return dated or ""

    return sorted(elements, key=date_text, reverse=True)[:MAX_ENTRIES]


def _find(element: Element | None, *path: str) -> Element | None:
    """Follow child elements by local name."""
    for name in path:
        if element is None:
            return None
        element = next((child for child in element if _local(child.tag) == name), None)
    return element


def _text(element: Element | None, name: str) -> str | None:
    child = _find(element, name)
    if child is None or child.text is None:
        return None
    return clean_text(html_to_text(child.text)) if name == "title" else clean_text(child.text)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()
