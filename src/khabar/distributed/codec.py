"""Job arguments as JSON: what a page job needs to know about its feed entry.

procrastinate stores a job's arguments as ``jsonb``; a :class:`~khabar.types.FeedEntry` goes
in as a plain dict (datetimes as ISO text with their offset) and comes back equal.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from khabar.errors import InvalidInputError
from khabar.types import FeedEntry

__all__ = ["entry_from_json", "entry_to_json", "page_lock"]

_TEXT_FIELDS = ("guid", "title", "summary", "author", "image", "language")


def entry_to_json(entry: FeedEntry) -> dict[str, Any]:
    data: dict[str, Any] = {"url": entry.url}
    for name in _TEXT_FIELDS:
        value = getattr(entry, name)
        if value is not None:
            data[name] = value
    for name in ("published", "updated"):
        moment: datetime | None = getattr(entry, name)
        if moment is not None:
            data[name] = moment.isoformat()
    if entry.categories:
        data["categories"] = list(entry.categories)
    return data


def entry_from_json(data: dict[str, Any]) -> FeedEntry:
    url = data.get("url")
    if not isinstance(url, str) or not url:
        raise InvalidInputError(f"a page job without a URL: {data!r}")
    return FeedEntry(
        url=url,
        **{name: _text(data, name) for name in _TEXT_FIELDS},
        published=_when(data.get("published")),
        updated=_when(data.get("updated")),
        categories=tuple(str(c) for c in data.get("categories", ())),
    )


def page_lock(source_id: int, key: str) -> str:
    """The procrastinate lock of one entry's page job (keys can be long: hashed)."""
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=12).hexdigest()
    return f"page:{source_id}:{digest}"


def _text(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    return value if isinstance(value, str) else None


def _when(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None
