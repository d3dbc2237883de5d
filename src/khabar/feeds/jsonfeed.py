"""JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/), parsed with ``json``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from khabar.errors import FeedParseError
from khabar.feeds.duplicates import dedupe_entries
from khabar.feeds.entries import resolve_url
from khabar.feeds.limits import MAX_ENTRIES, too_many_entries
from khabar.feeds.text import clean_text, flatten_deep_markup, html_to_text, parse_w3c_datetime
from khabar.types import FeedEntry, ParsedFeed

__all__ = ["JSON_FEED_VERSION_PREFIX", "parse_json_feed"]

JSON_FEED_VERSION_PREFIX = "https://jsonfeed.org/version/"


def parse_json_feed(document: str, url: str) -> ParsedFeed:
    """Parse a JSON Feed document (already decoded to text)."""
    try:
        data = json.loads(document)
    except json.JSONDecodeError as error:
        raise FeedParseError(
            url, f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from error
    except RecursionError:
        raise FeedParseError(url, "JSON nested too deeply to read; refused") from None
    feed = _require_feed(data, url)
    warnings: list[str] = []
    items: list[Any] = feed["items"]
    if len(items) > MAX_ENTRIES:
        warnings.append(too_many_entries(len(items)))
        items = items[:MAX_ENTRIES]
    entries: list[FeedEntry] = []
    for index, item in enumerate(items):
        entry = _entry(item, url, feed) if isinstance(item, Mapping) else None
        if entry is None:
            warnings.append(f"item {index} has no usable URL and was skipped")
        else:
            entries.append(entry)
    unique, duplicate_warnings = dedupe_entries(entries)
    return ParsedFeed(
        url=url,
        format="json",
        title=_text(feed, "title"),
        site_url=resolve_url(url, _str(feed, "home_page_url")),
        description=clean_text(_str(feed, "description")),
        language=clean_text(_str(feed, "language")),
        entries=unique,
        warnings=(*warnings, *duplicate_warnings),
    )


def _require_feed(data: object, url: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise FeedParseError(url, "JSON document is not a JSON Feed (top level is not an object)")
    version = data.get("version")
    if not isinstance(version, str) or not version.startswith(JSON_FEED_VERSION_PREFIX):
        raise FeedParseError(
            url,
            f"JSON document is not a JSON Feed (no 'version' starting {JSON_FEED_VERSION_PREFIX})",
        )
    if not isinstance(data.get("items"), list):
        raise FeedParseError(url, "JSON Feed has no 'items' list")
    return data


def _entry(item: Mapping[str, Any], url: str, feed: Mapping[str, Any]) -> FeedEntry | None:
    guid = _id(item)
    link = _str(item, "url") or _str(item, "external_url")
    if link is None and guid is not None and guid.startswith(("http://", "https://")):
        link = guid
    resolved = resolve_url(url, link)
    if resolved is None:
        return None
    return FeedEntry(
        url=resolved,
        guid=guid,
        title=_text(item, "title"),
        summary=_summary(item),
        published=parse_w3c_datetime(_str(item, "date_published")),
        updated=parse_w3c_datetime(_str(item, "date_modified")),
        author=_author(item) or _author(feed),
        categories=tuple(tag.strip() for tag in _list(item, "tags") if isinstance(tag, str)),
        image=resolve_url(url, _str(item, "image") or _str(item, "banner_image")),
        language=clean_text(_str(item, "language")),
    )


def _id(item: Mapping[str, Any]) -> str | None:
    value = item.get("id")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # the spec says string; some publishers send numbers
    return clean_text(value) if isinstance(value, str) else None


def _summary(item: Mapping[str, Any]) -> str | None:
    for key in ("summary", "content_html", "content_text"):
        value = _str(item, key)
        if value and value.strip():
            return flatten_deep_markup(value.strip())
    return None


def _author(holder: Mapping[str, Any]) -> str | None:
    authors = [a for a in _list(holder, "authors") if isinstance(a, Mapping)]
    single = holder.get("author")
    if isinstance(single, Mapping):
        authors.append(single)
    names = [_text(author, "name") for author in authors]
    joined = ", ".join(name for name in names if name)
    return joined or None


def _text(holder: Mapping[str, Any], key: str) -> str | None:
    value = _str(holder, key)
    if value is None:
        return None
    return html_to_text(value) or None


def _str(holder: Mapping[str, Any], key: str) -> str | None:
    value = holder.get(key)
    return value if isinstance(value, str) else None


def _list(holder: Mapping[str, Any], key: str) -> list[Any]:
    value = holder.get(key)
    return value if isinstance(value, list) else []
