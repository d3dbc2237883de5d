"""Tags in PostgreSQL: the same reads as ``khabar.storage.sqlite.tags`` over the
``categories`` text array. The tests are written ``categories @> ARRAY[tag]`` so that the GIN
index on ``categories`` (migration 9) serves them."""

from __future__ import annotations

from datetime import date, datetime

import psycopg
from psycopg.rows import DictRow

from khabar.search.results import LEADS_ONLY
from khabar.storage.postgres.convert import utc
from khabar.storage.tags import TagQueries

__all__ = ["QUERIES", "tag_article_ids", "tag_days"]

Connection = psycopg.Connection[DictRow]


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


QUERIES = TagQueries(article_ids=tag_article_ids, days=tag_days)
