"""Outgoing feeds: Atom 1.0, RSS 2.0 and JSON Feed 1.1 documents from stored articles.

Pure builders: a list of :class:`~khabar.types.Article` (newest first) and a
:class:`FeedMeta` in, bytes out. The routes that serve them are in ``khabar.web.feeds_routes``;
the URL scheme is documented in ``docs/feeds.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from khabar.types import Article
from khabar.web.feeds_out.atom import build_atom
from khabar.web.feeds_out.caching import CACHE_CONTROL, etag_of, not_modified
from khabar.web.feeds_out.jsonfeed import build_json_feed
from khabar.web.feeds_out.model import (
    FORMATS,
    MEDIA_TYPES,
    FeedFormat,
    FeedItem,
    FeedMeta,
    feed_item,
    feed_updated,
    rfc822,
)
from khabar.web.feeds_out.rss import build_rss

__all__ = [
    "CACHE_CONTROL",
    "FORMATS",
    "MEDIA_TYPES",
    "FeedDocument",
    "FeedFormat",
    "FeedItem",
    "FeedMeta",
    "build_feed",
    "etag_of",
    "feed_item",
    "feed_updated",
    "not_modified",
    "rfc822",
]

_WRITERS: Final[dict[FeedFormat, Callable[[FeedMeta, list[FeedItem]], bytes]]] = {
    "atom": build_atom,
    "rss": build_rss,
    "json": build_json_feed,
}


@dataclass(frozen=True, slots=True)
class FeedDocument:
    """A feed ready to serve: its bytes, media type and HTTP validators."""

    body: bytes
    media_type: str
    etag: str
    updated: datetime


def build_feed(fmt: FeedFormat, meta: FeedMeta, articles: Sequence[Article]) -> FeedDocument:
    """The feed of ``articles`` in ``fmt``; item order is kept."""
    items = [feed_item(article, meta.site_url) for article in articles]
    body = _WRITERS[fmt](meta, items)
    return FeedDocument(body, MEDIA_TYPES[fmt], etag_of(body), feed_updated(items))
