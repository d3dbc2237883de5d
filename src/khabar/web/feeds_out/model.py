"""What every outgoing feed format writes: the feed's metadata and one item per article.

:func:`feed_item` is the one place that decides an item's fields (id, links, dates, author,
categories, content); the Atom, RSS and JSON Feed writers only serialize :class:`FeedItem`.
Everything here is pure: the caller passes the site's base URL, nothing reads the request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Final, Literal, get_args

from khabar.analyze.section_keys import OTHER, SECTION_NAMES
from khabar.types import Article
from khabar.web.feeds_out.content import LEAD_LIMIT, content_html
from khabar.web.format import lead_text, safe_url

__all__ = [
    "EPOCH",
    "FORMATS",
    "GENERATOR",
    "MEDIA_TYPES",
    "Category",
    "FeedFormat",
    "FeedItem",
    "FeedMeta",
    "feed_item",
    "feed_updated",
    "rfc822",
    "rfc3339",
]

FeedFormat = Literal["atom", "rss", "json"]
FORMATS: Final[tuple[FeedFormat, ...]] = get_args(FeedFormat)
MEDIA_TYPES: Final[dict[FeedFormat, str]] = {
    "atom": "application/atom+xml; charset=utf-8",
    "rss": "application/rss+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
GENERATOR: Final = "Khabar"
EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
"""The ``updated`` time of a feed with no items (deterministic, so its ETag is stable)."""

SECTIONS_SCHEME: Final = "sections"  # relative to the site URL


@dataclass(frozen=True, slots=True)
class FeedMeta:
    """A feed as a whole. URLs are absolute; ``site_url`` ends with ``/``.

    ``feed_id`` is the stable identity of the feed (its canonical URL, without paging or
    ``limit``); ``self_url`` is the URL this document was served at; ``html_url`` the reader
    page that shows the same list.
    """

    title: str
    feed_id: str
    self_url: str
    html_url: str
    site_url: str
    description: str = ""
    language: str = "ar"


@dataclass(frozen=True, slots=True)
class Category:
    """A section (``scheme`` set, ``key`` its stable key) or a tag of the outlet."""

    term: str
    scheme: str | None = None
    key: str | None = None


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One article as every format sees it."""

    id: str
    title: str
    url: str
    """The article at its outlet (the original): what a reader opens."""
    page_url: str
    """The article in this Khabar."""
    published: datetime
    updated: datetime
    author: str
    outlet: str
    summary: str
    content_html: str
    categories: tuple[Category, ...]
    language: str
    image: str | None
    copies: int
    original_outlet: str | None
    section: str | None


def feed_item(article: Article, site_url: str) -> FeedItem:
    """The item of ``article``; its id is our article URL, stable across feeds and formats."""
    page_url = f"{site_url}articles/{article.id}"
    original = safe_url(article.url)
    url = original if original != "#" else page_url
    outlet = article.source_title or "مصدر"
    published = article.sort_time
    updated = max(article.updated or published, published)
    image = safe_url(article.image)
    return FeedItem(
        id=page_url,
        title=article.title.strip() or "(بلا عنوان)",
        url=url,
        page_url=page_url,
        published=published,
        updated=updated,
        author=(article.author or "").strip() or outlet,
        outlet=outlet,
        summary=lead_text(article, LEAD_LIMIT),
        content_html=content_html(article, url=url, page_url=page_url, outlet=outlet),
        categories=_categories(article, site_url),
        language=article.language or "ar",
        image=image if image != "#" else None,
        copies=article.copies,
        original_outlet=article.original_outlet,
        section=article.section,
    )


def _categories(article: Article, site_url: str) -> tuple[Category, ...]:
    found: list[Category] = []
    if article.section and article.section != OTHER and article.section in SECTION_NAMES:
        scheme = site_url + SECTIONS_SCHEME
        found.append(Category(SECTION_NAMES[article.section], scheme, article.section))
    seen = {c.term for c in found}
    for tag in article.categories:
        term = " ".join(tag.split())
        if term and term not in seen:
            seen.add(term)
            found.append(Category(term))
    return tuple(found)


def feed_updated(items: list[FeedItem]) -> datetime:
    """When the feed last changed: its newest item's time (``EPOCH`` when it is empty)."""
    return max((item.updated for item in items), default=EPOCH)


def rfc3339(moment: datetime) -> str:
    """``2024-03-05T14:07:00Z`` (Atom, JSON Feed): UTC, whole seconds."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def rfc822(moment: datetime) -> str:
    """``Tue, 05 Mar 2024 14:07:00 GMT`` (RSS 2.0 dates, HTTP ``Last-Modified``)."""
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True)
