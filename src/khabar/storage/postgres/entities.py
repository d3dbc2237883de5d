"""Entities and keywords in PostgreSQL: the same rows and reads as
``khabar.storage.sqlite.entities``."""

from __future__ import annotations

from datetime import date, datetime

import psycopg
from psycopg.rows import DictRow
from psycopg.types.json import Jsonb

from khabar.errors import NotFoundError
from khabar.storage.postgres.convert import clean_text, utc
from khabar.types import ArticleDraft, EntityCount, EntityInfo, EntityMention

__all__ = [
    "article_entities",
    "article_keywords",
    "entity_article_ids",
    "entity_counts",
    "entity_days",
    "get_entity",
    "write_entities",
]

Connection = psycopg.Connection[DictRow]


def write_entities(
    conn: Connection, article_id: int, draft: ArticleDraft, sort_time: datetime
) -> None:
    """Replace the article's entity and keyword rows with the draft's (batched statements)."""
    conn.execute("DELETE FROM article_entities WHERE article_id = %s", (article_id,))
    conn.execute("DELETE FROM article_keywords WHERE article_id = %s", (article_id,))
    moment = utc(sort_time)
    named = [(clean_text(e.key), clean_text(e.name), e) for e in draft.entities]
    with conn.cursor() as cur:
        if named:
            cur.executemany(
                "INSERT INTO entities (key, type, name) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING",
                [(key, e.type, name) for key, name, e in named],
            )
            cur.executemany(
                """INSERT INTO article_entities
                   (article_id, entity_key, name, count, variants, sort_time, position)
                   VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING""",
                [
                    (article_id, key, name, e.count, Jsonb(list(e.variants)), moment, n)
                    for n, (key, name, e) in enumerate(named)
                ],
            )
        if draft.keywords:
            cur.executemany(
                """INSERT INTO article_keywords (article_id, key, phrase, score)
                   VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING""",
                [
                    (article_id, clean_text(k.key), clean_text(k.phrase), k.score)
                    for k in draft.keywords
                ],
            )


def article_entities(conn: Connection, article_id: int) -> list[EntityMention]:
    rows = conn.execute(
        """SELECT ae.entity_key, e.type, ae.name, ae.count FROM article_entities ae
           JOIN entities e ON e.key = ae.entity_key WHERE ae.article_id = %s
           ORDER BY ae.count DESC, ae.position""",
        (article_id,),
    ).fetchall()
    return [EntityMention(r["entity_key"], r["type"], r["name"], int(r["count"])) for r in rows]


def article_keywords(conn: Connection, article_id: int) -> list[str]:
    rows = conn.execute(
        "SELECT phrase FROM article_keywords WHERE article_id = %s ORDER BY score DESC",
        (article_id,),
    ).fetchall()
    return [str(r["phrase"]) for r in rows]


def get_entity(conn: Connection, key: str) -> EntityInfo:
    row = conn.execute(
        """SELECT e.key, e.type, e.name, count(ae.article_id) AS n,
                  min(ae.sort_time) AS first, max(ae.sort_time) AS last
           FROM entities e JOIN article_entities ae ON ae.entity_key = e.key
           WHERE e.key = %s GROUP BY e.key""",
        (key,),
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no entity {key!r}")
    return EntityInfo(
        row["key"], row["type"], row["name"], int(row["n"]), utc(row["first"]), utc(row["last"])
    )


def entity_article_ids(
    conn: Connection, key: str, limit: int, before: tuple[datetime, int] | None
) -> list[int]:
    after = "" if before is None else "AND (ae.sort_time, ae.article_id) < (%s, %s)"
    params: tuple[object, ...] = (key,) if before is None else (key, utc(before[0]), before[1])
    rows = conn.execute(
        f"""SELECT ae.article_id FROM article_entities ae JOIN articles a ON a.id = ae.article_id
            WHERE ae.entity_key = %s AND (a.group_id IS NULL OR a.group_id = a.id)
            AND NOT a.hidden {after}
            ORDER BY ae.sort_time DESC, ae.article_id DESC LIMIT %s""",
        (*params, limit),
    ).fetchall()
    return [int(r["article_id"]) for r in rows]


def entity_days(conn: Connection, key: str, since: datetime) -> list[tuple[date, int]]:
    rows = conn.execute(
        """SELECT (sort_time AT TIME ZONE 'UTC')::date AS day, count(*) AS n
           FROM article_entities WHERE entity_key = %s AND sort_time >= %s
           GROUP BY 1 ORDER BY 1""",
        (key, utc(since)),
    ).fetchall()
    return [(r["day"], int(r["n"])) for r in rows]


def entity_counts(
    conn: Connection, split: datetime, since: datetime, min_recent: int
) -> list[EntityCount]:
    rows = conn.execute(
        """SELECT ae.entity_key, e.type, e.name,
                  count(*) FILTER (WHERE ae.sort_time >= %s) AS recent,
                  count(*) FILTER (WHERE ae.sort_time < %s) AS before
           FROM article_entities ae JOIN entities e ON e.key = ae.entity_key
           WHERE ae.sort_time >= %s GROUP BY ae.entity_key, e.type, e.name
           HAVING count(*) FILTER (WHERE ae.sort_time >= %s) >= %s""",
        (utc(split), utc(split), utc(since), utc(split), min_recent),
    ).fetchall()
    return [
        EntityCount(r["entity_key"], r["type"], r["name"], int(r["recent"]), int(r["before"]))
        for r in rows
    ]
