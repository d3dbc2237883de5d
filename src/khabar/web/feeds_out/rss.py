"""RSS 2.0 from :class:`FeedItem` values.

RSS 2.0's ``<author>`` must be an e-mail address, so the byline goes in ``dc:creator``; the
item's language in ``dc:language``; the HTML body in ``content:encoded``. ``<description>``
is the lead as HTML (escaped once as HTML, then as XML), since readers treat it as HTML.
``<link>`` is the original at its outlet; ``<guid isPermaLink="true">`` the article in Khabar.
The channel links itself with ``atom:link rel="self"`` as feed validators ask.
"""

from __future__ import annotations

from html import escape
from typing import Final
from xml.etree.ElementTree import Element

from khabar.web.feeds_out.model import GENERATOR, FeedItem, FeedMeta, feed_updated, rfc822
from khabar.web.feeds_out.xmltext import serialize, sub

__all__ = ["NAMESPACES", "build_rss"]

NAMESPACES: Final = {
    "xmlns:atom": "http://www.w3.org/2005/Atom",
    "xmlns:dc": "http://purl.org/dc/elements/1.1/",
    "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
}


def build_rss(meta: FeedMeta, items: list[FeedItem]) -> bytes:
    """The RSS 2.0 document of ``items`` (newest first, as given)."""
    rss = Element("rss", {"version": "2.0", **NAMESPACES})
    channel = sub(rss, "channel")
    sub(channel, "title", meta.title)
    sub(channel, "link", meta.html_url)
    sub(channel, "description", meta.description or meta.title)
    sub(channel, "language", meta.language)
    sub(channel, "lastBuildDate", rfc822(feed_updated(items)))
    sub(channel, "generator", GENERATOR)
    sub(channel, "atom:link", rel="self", type="application/rss+xml", href=meta.self_url)
    for item in items:
        _item(channel, item)
    return serialize(rss)


def _item(channel: Element, item: FeedItem) -> None:
    node = sub(channel, "item")
    sub(node, "title", item.title)
    sub(node, "link", item.url)
    sub(node, "guid", item.id, isPermaLink="true" if item.id == item.page_url else "false")
    sub(node, "pubDate", rfc822(item.published))
    sub(node, "dc:creator", item.author)
    sub(node, "dc:language", item.language)
    for category in item.categories:
        if category.scheme:
            sub(node, "category", category.term, domain=category.scheme)
        else:
            sub(node, "category", category.term)
    sub(node, "description", escape(item.summary or item.title))
    sub(node, "content:encoded", item.content_html)
