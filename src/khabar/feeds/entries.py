"""Turn feedparser's loosely typed entries into ``FeedEntry`` values.

feedparser results are dictionaries of anything; every read here checks the type it gets.
Plain ``dict`` access is used on purpose: ``FeedParserDict`` maps missing keys to others
(``updated_parsed`` → ``published_parsed``) with a deprecation warning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from khabar.feeds.text import (
    clean_text,
    flatten_deep_markup,
    html_to_text,
    parse_loose_date,
    struct_time_to_utc,
)
from khabar.types import FeedEntry

__all__ = ["entry_from_feedparser", "resolve_url", "text_of"]

_WEB_SCHEMES = frozenset({"http", "https"})
_EMAIL = re.compile(r"[^\s()@<>]+@[^\s()@<>]+")
_AUTHOR_PATTERNS = (
    re.compile(rf"<?{_EMAIL.pattern}>?\s*\((?P<name>[^()]*)\)"),
    re.compile(rf"(?P<name>[^()]*?)\s*\(<?{_EMAIL.pattern}>?\)"),
)
_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif")


def entry_from_feedparser(
    raw: Mapping[str, Any], base_url: str, *, dated_is_published: bool = False
) -> FeedEntry | None:
    """Map one feedparser entry (as a plain ``dict``); ``None`` when it has no usable web URL.

    ``dated_is_published``: for RSS/RDF, feedparser files ``dc:date`` under *updated*; there
    it is the publication date, so it fills ``published`` when no ``pubDate`` is given.
    """
    guid = clean_text(_str(raw, "id"))
    url = _entry_url(raw, guid, base_url)
    if url is None:
        return None
    published = _date(raw, "published")
    updated = _date(raw, "updated")
    return FeedEntry(
        url=url,
        guid=guid,
        title=text_of(raw, "title"),
        summary=_summary(raw),
        published=published or (updated if dated_is_published else None),
        updated=updated,
        author=_author(raw),
        categories=_categories(raw.get("tags")),
        image=resolve_url(base_url, _image(raw)),
        language=_str(_mapping(raw.get("title_detail")), "language"),
    )


def resolve_url(base_url: str, link: str | None) -> str | None:
    """Resolve ``link`` against ``base_url``; only http(s) results are kept."""
    if link is None or not link.strip():
        return None
    resolved = urljoin(base_url, link.strip())
    return resolved if urlsplit(resolved).scheme in _WEB_SCHEMES else None


def text_of(raw: Mapping[str, Any], key: str) -> str | None:
    """A text construct (title, subtitle) as plain text, stripping markup when it is HTML."""
    value = _str(raw, key)
    if value is None:
        return None
    detail = _mapping(raw.get(f"{key}_detail"))
    if "html" in (_str(detail, "type") or ""):
        return html_to_text(value) or None
    return clean_text(value)


def _date(raw: Mapping[str, Any], key: str) -> datetime | None:
    """feedparser's parsed date, else our lenient reading of the raw string."""
    parsed = struct_time_to_utc(raw.get(f"{key}_parsed"))
    return parsed or parse_loose_date(_str(raw, key))


def _entry_url(raw: Mapping[str, Any], guid: str | None, base_url: str) -> str | None:
    """The first candidate that is a web URL: ``link`` (which feedparser may set to a
    ``urn:`` GUID), alternate links, self/related links, then the GUID itself."""
    links = [item for item in _mappings(raw.get("links")) if _str(item, "href")]
    candidates = [_str(raw, "link")]
    for rels in (("alternate", None), ("self", "related")):
        candidates += [_str(item, "href") for item in links if _str(item, "rel") in rels]
    candidates.append(guid)
    return next(filter(None, (resolve_url(base_url, c) for c in candidates)), None)


def _summary(raw: Mapping[str, Any]) -> str | None:
    summary = _str(raw, "summary")
    if summary and summary.strip():
        return flatten_deep_markup(summary.strip())
    for content in _mappings(raw.get("content")):
        value = _str(content, "value")
        if value and value.strip():
            return flatten_deep_markup(value.strip())
    return None


def _author(raw: Mapping[str, Any]) -> str | None:
    """The author's name from feedparser's ``author`` string.

    feedparser's own name/email split truncates long TLDs (``desk@news.example`` → name
    ``ple``), so the string is split here: ``email (Name)`` and ``Name (email)`` give the
    name; a bare e-mail address gives nothing.
    """
    value = _str(raw, "author")
    text = html_to_text(value) if value else ""
    for pattern in _AUTHOR_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return match["name"].strip() or None
    return None if _EMAIL.fullmatch(text) else text or None


def _categories(tags: object) -> tuple[str, ...]:
    names: list[str] = []
    for tag in _mappings(tags):
        term = _str(tag, "term") or _str(tag, "label")
        name = html_to_text(term) if term else ""
        if name and name not in names:
            names.append(name)
    return tuple(names)


def _image(raw: Mapping[str, Any]) -> str | None:
    for media in _mappings(raw.get("media_content")):
        if _is_image(media, "url"):
            return _str(media, "url")
    for thumbnail in _mappings(raw.get("media_thumbnail")):
        if _str(thumbnail, "url"):
            return _str(thumbnail, "url")
    for enclosure in _mappings(raw.get("links")):
        if _str(enclosure, "rel") == "enclosure" and _is_image(enclosure, "href"):
            return _str(enclosure, "href")
    return _str(_mapping(raw.get("image")), "href")


def _is_image(item: Mapping[str, Any], url_key: str) -> bool:
    url = _str(item, url_key)
    if not url:
        return False
    medium = _str(item, "medium")
    mime = _str(item, "type")
    if medium or mime:
        return medium == "image" or (mime or "").startswith("image/")
    return urlsplit(url).path.lower().endswith(_IMAGE_SUFFIXES)


def _str(raw: Mapping[str, Any], key: str) -> str | None:
    value = raw.get(key)
    return value if isinstance(value, str) else None


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _mappings(value: object) -> Iterable[Mapping[str, Any]]:
    if isinstance(value, list):
        yield from (item for item in value if isinstance(item, Mapping))
