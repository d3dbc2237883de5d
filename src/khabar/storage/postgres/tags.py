"""Tags in PostgreSQL: the same reads as ``khabar.storage.sqlite.tags`` over the
``categories`` text array. The tests are written ``categories @> ARRAY[tag]`` so that a GIN
index on ``categories`` serves them once a migration adds one (none yet: a rare tag scans)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, Protocol, TypeVar

import psycopg
from psycopg.rows import DictRow

from khabar.storage.postgres.convert import utc
from khabar.storage.postgres.search import LEADS_ONLY
from khabar.types import Article

__all__ = ["PostgresTags", "tag_article_ids", "tag_days"]

Connection = psycopg.Connection[DictRow]
_T = TypeVar("_T")


class _Host(Protocol):
    def _guarded(self, what: str, read: Callable[..., _T], *args: Any) -> _T: ...
    def get_articles(self, ids: Sequence[int]) -> dict[int, Article]: ...


def tag_article_ids(
    conn: Connection, tag: str, limit: int, before: tuple[datetime, int] | None
) -> list[int]:
    after = "" if before is None else "AND (a.sort_time, a.id) < (%s, %s)"
    params: tuple[object, ...] = (tag,) if before is None else (tag, utc(before[0]), before[1])
    rows = conn.execute(
        f"""SELECT a.id FROM articles a WHERE a.categories @> ARRAY[%s]::text[] AND {LEADS_ONLY}
            AND NOT a.hidden {after} ORDER BY a.sort_time DESC, a.id DESC LIMIT %s""",
        (*params, limit),
    ).fetchall()
    return [int(r["id"]) for r in rows]


def tag_days(conn: Connection, tag: str, since: datetime) -> list[tuple[date, int]]:
    rows = conn.execute(
        """SELECT (a.sort_time AT TIME ZONE 'UTC')::date AS day, count(*) AS n FROM articles a
           WHERE a.categories @> ARRAY[%s]::text[] AND NOT a.hidden AND a.sort_time >= %s
           GROUP BY 1 ORDER BY 1""",
        (tag, utc(since)),
    ).fetchall()
    return [(r["day"], int(r["n"])) for r in rows]


class PostgresTags:
    """The tag part of :class:`~khabar.storage.protocol.StorageType`, mixed into the storage."""

    def tag_articles(
        self: _Host, tag: str, *, limit: int = 50, before: tuple[datetime, int] | None = None
    ) -> list[Article]:
        ids = self._guarded(f"list articles tagged {tag!r}", tag_article_ids, tag, limit, before)
        found = self.get_articles(ids)
        return [found[i] for i in ids if i in found]

    def tag_days(self: _Host, tag: str, since: datetime) -> list[tuple[date, int]]:
        return self._guarded(f"count days of tag {tag!r}", tag_days, tag, since)
