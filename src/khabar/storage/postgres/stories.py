"""Stories in PostgreSQL: one row per story (record + resumable state), ``story_id`` per article.

The same rules as ``khabar.storage.sqlite.stories``; the state is the backend-neutral blob of
``khabar.storage.story_codec``. Every function runs on a connection inside the caller's
transaction (or autocommit for reads).
"""

from __future__ import annotations

from datetime import datetime

import psycopg
from psycopg.rows import DictRow

from khabar.errors import NotFoundError
from khabar.storage.postgres.convert import clean_text, utc
from khabar.storage.story_codec import decode_state, encode_state
from khabar.stories.cluster import StoryState
from khabar.types import Story

__all__ = [
    "active_states",
    "entity_stories",
    "get_story",
    "list_stories",
    "save_story",
    "story_from_row",
]

Connection = psycopg.Connection[DictRow]

_COLUMNS = "id, title, title_article_id, first_seen, last_seen, size, outlets"


def save_story(conn: Connection, state: StoryState, article_id: int) -> None:
    """Write the story's record and state, and put article ``article_id`` in it."""
    story_id = int(state.story_id)
    conn.execute(
        """INSERT INTO stories (id, title, title_article_id, first_seen, last_seen, size,
               outlets, state) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
           ON CONFLICT (id) DO UPDATE SET title = excluded.title,
               title_article_id = excluded.title_article_id,
               first_seen = excluded.first_seen, last_seen = excluded.last_seen,
               size = excluded.size, outlets = excluded.outlets, state = excluded.state""",
        (
            story_id,
            clean_text(state.title),
            int(state.title_article_id),
            utc(state.first_seen),
            utc(state.last_seen),
            state.size,
            [clean_text(o) for o in state.outlets],
            encode_state(state),
        ),
    )
    cur = conn.execute("UPDATE articles SET story_id = %s WHERE id = %s", (story_id, article_id))
    if cur.rowcount == 0:
        raise NotFoundError(f"no article with id {article_id}")


def active_states(conn: Connection, since: datetime) -> list[StoryState]:
    rows = conn.execute(
        "SELECT state FROM stories WHERE last_seen >= %s ORDER BY id", (utc(since),)
    )
    return [decode_state(bytes(r["state"])) for r in rows]


def get_story(conn: Connection, story_id: int) -> Story:
    row = conn.execute(f"SELECT {_COLUMNS} FROM stories WHERE id = %s", (story_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no story with id {story_id}")
    return story_from_row(row)


def list_stories(
    conn: Connection, since: datetime | None, min_size: int, limit: int
) -> list[Story]:
    start = utc(since) if since else None
    rows = conn.execute(
        f"""SELECT {_COLUMNS} FROM stories
            WHERE (%s::timestamptz IS NULL OR last_seen >= %s) AND size >= %s
            ORDER BY last_seen DESC, id DESC LIMIT %s""",
        (start, start, min_size, limit),
    )
    return [story_from_row(r) for r in rows]


def entity_stories(conn: Connection, key: str, min_size: int, limit: int, scan: int) -> list[Story]:
    """Stories of at least ``min_size`` articles holding one of the ``scan`` newest articles
    that name ``key``, the most recently active first (hidden articles do not count)."""
    rows = conn.execute(
        f"""SELECT {_COLUMNS} FROM stories WHERE size >= %s AND id IN (
                SELECT a.story_id FROM (
                    SELECT article_id FROM article_entities WHERE entity_key = %s
                    ORDER BY sort_time DESC LIMIT %s) m
                JOIN articles a ON a.id = m.article_id
                WHERE a.story_id IS NOT NULL AND NOT a.hidden)
            ORDER BY last_seen DESC, id DESC LIMIT %s""",
        (min_size, key, scan, limit),
    )
    return [story_from_row(r) for r in rows]


def story_from_row(row: DictRow) -> Story:
    return Story(
        id=int(row["id"]),
        title=row["title"],
        title_article_id=row["title_article_id"],
        first_seen=utc(row["first_seen"]),
        last_seen=utc(row["last_seen"]),
        size=int(row["size"]),
        outlets=tuple(row["outlets"]),
    )
