"""Entities and keywords in SQLite: per-article rows, entity records, trends and trending."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import date, datetime

from khabar.errors import NotFoundError
from khabar.storage.sqlite.convert import to_ts
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


def write_entities(
    conn: sqlite3.Connection, article_id: int, draft: ArticleDraft, sort_time: datetime
) -> None:
    """Replace the article's entity and keyword rows with the draft's."""
    conn.execute("DELETE FROM article_entities WHERE article_id = ?", (article_id,))
    conn.execute("DELETE FROM article_keywords WHERE article_id = ?", (article_id,))
    moment = to_ts(sort_time)
    conn.executemany(
        "INSERT OR IGNORE INTO entities (key, type, name) VALUES (?, ?, ?)",
        [(e.key, e.type, e.name) for e in draft.entities],
    )
    conn.executemany(
        """INSERT OR IGNORE INTO article_entities
           (article_id, entity_key, name, count, variants, sort_time, position)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        [
            (
                article_id,
                e.key,
                e.name,
                e.count,
                json.dumps(list(e.variants), ensure_ascii=False),
                moment,
                n,
            )
            for n, e in enumerate(draft.entities)
        ],
    )
    conn.executemany(
        """INSERT OR IGNORE INTO article_keywords (article_id, key, phrase, score)
           VALUES (?, ?, ?, ?)""",
        [(article_id, k.key, k.phrase, k.score) for k in draft.keywords],
    )


def article_entities(conn: sqlite3.Connection, article_id: int) -> list[EntityMention]:
    rows = conn.execute(
        """SELECT ae.entity_key, e.type, ae.name, ae.count FROM article_entities ae
           JOIN entities e ON e.key = ae.entity_key WHERE ae.article_id = ?
           ORDER BY ae.count DESC, ae.position""",
        (article_id,),
    )
    return [EntityMention(r[0], r[1], r[2], int(r[3])) for r in rows]


def article_keywords(conn: sqlite3.Connection, article_id: int) -> list[str]:
    rows = conn.execute(
        "SELECT phrase FROM article_keywords WHERE article_id = ? ORDER BY score DESC",
        (article_id,),
    )
    return [r[0] for r in rows]


def get_entity(conn: sqlite3.Connection, key: str) -> EntityInfo:
    row = conn.execute(
        """SELECT e.key, e.type, e.name, count(ae.article_id), min(ae.sort_time),
                  max(ae.sort_time)
           FROM entities e JOIN article_entities ae ON ae.entity_key = e.key
           WHERE e.key = ? GROUP BY e.key""",
        (key,),
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no entity {key!r}")
    return EntityInfo(
        row[0],
        row[1],
        row[2],
        int(row[3]),
        datetime.fromisoformat(row[4]),
        datetime.fromisoformat(row[5]),
    )


def entity_article_ids(
    conn: sqlite3.Connection, key: str, limit: int, before: tuple[datetime, int] | None
) -> list[int]:
    """Articles naming ``key``, newest first, one per copy group."""
    after = "" if before is None else "AND (ae.sort_time, ae.article_id) < (?, ?)"
    params: Sequence[object] = (key,) if before is None else (key, to_ts(before[0]), before[1])
    rows = conn.execute(
        f"""SELECT ae.article_id FROM article_entities ae JOIN articles a ON a.id = ae.article_id
            WHERE ae.entity_key = ? AND (a.group_id IS NULL OR a.group_id = a.id)
            AND a.hidden = 0 {after}
            ORDER BY ae.sort_time DESC, ae.article_id DESC LIMIT ?""",
        (*params, limit),
    )
    return [int(r[0]) for r in rows]


def entity_days(conn: sqlite3.Connection, key: str, since: datetime) -> list[tuple[date, int]]:
    """Articles naming ``key`` per UTC day since ``since``."""
    rows = conn.execute(
        """SELECT substr(sort_time, 1, 10), count(*) FROM article_entities
           WHERE entity_key = ? AND sort_time >= ? GROUP BY 1 ORDER BY 1""",
        (key, to_ts(since)),
    )
    return [(date.fromisoformat(r[0]), int(r[1])) for r in rows]


def entity_counts(
    conn: sqlite3.Connection, split: datetime, since: datetime, min_recent: int
) -> list[EntityCount]:
    """Per entity: articles naming it at or after ``split`` and between ``since`` and it."""
    rows = conn.execute(
        """SELECT ae.entity_key, e.type, e.name,
                  sum(ae.sort_time >= ?) AS recent, sum(ae.sort_time < ?) AS before
           FROM article_entities ae JOIN entities e ON e.key = ae.entity_key
           WHERE ae.sort_time >= ? GROUP BY ae.entity_key HAVING recent >= ?""",
        (to_ts(split), to_ts(split), to_ts(since), min_recent),
    )
    return [EntityCount(r[0], r[1], r[2], int(r[3]), int(r[4])) for r in rows]
