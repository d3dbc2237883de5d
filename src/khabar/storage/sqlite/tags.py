"""Tags in SQLite: articles carrying an outlet tag (``categories``) and their count per day.

Tags live in the article's ``categories`` JSON array; triggers keep ``article_tags`` (tag,
time, article) in step with it (migration 9), so a tag page walks that index newest first
whether the tag is rare or common.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date, datetime

from khabar.search.results import LEADS_ONLY
from khabar.storage.sqlite.convert import to_ts
from khabar.storage.tags import TagQueries

__all__ = ["QUERIES", "tag_article_ids", "tag_days"]


_TAGGED = "FROM article_tags t JOIN articles a ON a.id = t.article_id WHERE t.tag = ?"


def tag_article_ids(
    conn: sqlite3.Connection, tag: str, limit: int, before: tuple[datetime, int] | None
) -> list[int]:
    """Articles carrying ``tag``, newest first, one per copy group, hidden ones left out."""
    after = "" if before is None else "AND (t.sort_time, t.article_id) < (?, ?)"
    params: Sequence[object] = (tag,) if before is None else (tag, to_ts(before[0]), before[1])
    rows = conn.execute(
        f"""SELECT a.id {_TAGGED} AND {LEADS_ONLY} AND a.hidden = 0
            {after} ORDER BY t.sort_time DESC, t.article_id DESC LIMIT ?""",
        (*params, limit),
    )
    return [int(r[0]) for r in rows]


def tag_days(conn: sqlite3.Connection, tag: str, since: datetime) -> list[tuple[date, int]]:
    """Articles carrying ``tag`` per UTC day since ``since`` (every copy counts)."""
    rows = conn.execute(
        """SELECT substr(t.sort_time, 1, 10), count(*) FROM article_tags t
           WHERE t.tag = ? AND t.sort_time >= ?
             AND t.article_id NOT IN (SELECT id FROM articles WHERE hidden = 1)
           GROUP BY 1 ORDER BY 1""",
        (tag, to_ts(since)),
    )
    return [(date.fromisoformat(r[0]), int(r[1])) for r in rows]


QUERIES = TagQueries(article_ids=tag_article_ids, days=tag_days)
