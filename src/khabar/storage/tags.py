"""The tag reads of :class:`~khabar.storage.protocol.StorageType`, shared by both backends.

A tag is an outlet's own label (an entry of ``categories``). Each backend answers two
questions in its own SQL (``storage/sqlite/tags.py``, ``storage/postgres/tags.py``): which
articles carry a tag, newest first, and how many per day. :class:`TagReads` turns those
into the storage methods, the same on both.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar, Protocol, TypeVar

from khabar.types import Article

__all__ = ["TagQueries", "TagReads"]

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class TagQueries:
    """One backend's SQL for tags; each takes its connection first."""

    article_ids: Callable[[Any, str, int, tuple[datetime, int] | None], list[int]]
    """Ids of the articles carrying a tag, newest first, one per copy group, no hidden ones."""
    days: Callable[[Any, str, datetime], list[tuple[date, int]]]
    """Articles carrying a tag per UTC day since a moment (every copy counts)."""


class _Host(Protocol):
    tag_queries: ClassVar[TagQueries]

    def _guarded(self, what: str, read: Callable[..., _T], *args: Any) -> _T: ...
    def get_articles(self, ids: Sequence[int]) -> dict[int, Article]: ...


class TagReads:
    """Mixed into a storage that sets ``tag_queries``."""

    def tag_articles(
        self: _Host, tag: str, *, limit: int = 50, before: tuple[datetime, int] | None = None
    ) -> list[Article]:
        queries = self.tag_queries
        ids = self._guarded(
            f"list articles tagged {tag!r}", queries.article_ids, tag, limit, before
        )
        found = self.get_articles(ids)
        return [found[i] for i in ids if i in found]

    def tag_days(self: _Host, tag: str, since: datetime) -> list[tuple[date, int]]:
        return self._guarded(f"count days of tag {tag!r}", self.tag_queries.days, tag, since)
