"""Atom 1.0 (RFC 4287) from :class:`FeedItem` values.

Per entry: ``xml:lang`` of the article, ``alternate`` link to the original at its outlet,
``related`` link to the article in Khabar, the author (the outlet when the byline is
unknown: Atom requires one), categories (the section with Khabar's scheme, then the outlet's
tags), a plain-text summary and an HTML content (escaped as text, ``type="html"``).
"""

from __future__ import annotations

from typing import Final
from xml.etree.ElementTree import Element

from khabar.web.feeds_out.model import GENERATOR, FeedItem, FeedMeta, feed_updated, rfc3339
from khabar.web.feeds_out.xmltext import XML_LANG, clean, serialize, sub

__all__ = ["ATOM_NS", "build_atom"]

ATOM_NS: Final = "http://www.w3.org/2005/Atom"


def build_atom(meta: FeedMeta, items: list[FeedItem]) -> bytes:
    """The Atom document of ``items`` (newest first, as given)."""
    feed = Element("feed", {"xmlns": ATOM_NS, XML_LANG: clean(meta.language)})
    sub(feed, "title", meta.title, type="text")
    if meta.description:
        sub(feed, "subtitle", meta.description, type="text")
    sub(feed, "id", meta.feed_id)
    sub(feed, "updated", rfc3339(feed_updated(items)))
    sub(feed, "link", rel="self", type="application/atom+xml", href=meta.self_url)
    sub(feed, "link", rel="alternate", type="text/html", href=meta.html_url)
    sub(feed, "generator", GENERATOR, uri=meta.site_url)
    for item in items:
        _entry(feed, item)
    return serialize(feed)


def _entry(feed: Element, item: FeedItem) -> None:
    entry = sub(feed, "entry", xml_lang=item.language)
    sub(entry, "id", item.id)
    sub(entry, "title", item.title, type="text")
    sub(entry, "link", rel="alternate", type="text/html", href=item.url)
    if item.page_url != item.url:
        sub(entry, "link", rel="related", type="text/html", href=item.page_url, title="خبر")
    sub(entry, "published", rfc3339(item.published))
    sub(entry, "updated", rfc3339(item.updated))
    author = sub(entry, "author")
    sub(author, "name", item.author)
    for category in item.categories:
        attrs = {"term": category.term, "label": category.term}
        if category.scheme:
            attrs["scheme"] = category.scheme
        sub(entry, "category", **attrs)
    if item.summary:
        sub(entry, "summary", item.summary, type="text")
    sub(entry, "content", item.content_html, type="html")
