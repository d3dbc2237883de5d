"""JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) from :class:`FeedItem` values.

``url`` is the original at its outlet (what a reader opens), ``id`` the article in Khabar.
What JSON Feed has no field for goes in the ``_khabar`` extension object of each item (the
spec reserves keys starting with ``_`` for extensions): our page, the outlet, the section
key, how many other outlets carry the same text and where it first appeared.
"""

from __future__ import annotations

import json
from typing import Any, Final

from khabar.web.feeds_out.model import FeedItem, FeedMeta, rfc3339

__all__ = ["JSON_FEED_VERSION", "build_json_feed"]

JSON_FEED_VERSION: Final = "https://jsonfeed.org/version/1.1"


def build_json_feed(meta: FeedMeta, items: list[FeedItem]) -> bytes:
    """The JSON Feed document of ``items`` (newest first, as given), UTF-8, not ASCII-escaped."""
    document: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": meta.title,
        "home_page_url": meta.html_url,
        "feed_url": meta.self_url,
        "language": meta.language,
        "items": [_item(item) for item in items],
    }
    if meta.description:
        document["description"] = meta.description
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", errors="replace")


def _item(item: FeedItem) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": item.id,
        "url": item.url,
        "title": item.title,
        "content_html": item.content_html,
        "summary": item.summary,
        "date_published": rfc3339(item.published),
        "date_modified": rfc3339(item.updated),
        "authors": [{"name": item.author}],
        "tags": [c.term for c in item.categories],
        "language": item.language,
        "_khabar": _extension(item),
    }
    if item.image:
        out["image"] = item.image
    return out


def _extension(item: FeedItem) -> dict[str, Any]:
    return {
        "page_url": item.page_url,
        "outlet": item.outlet,
        "section": item.section,
        "copies": item.copies,
        "original_outlet": item.original_outlet,
    }
