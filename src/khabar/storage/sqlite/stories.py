"""Stories in SQLite: one row per story (record + resumable state), ``story_id`` per article."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

from khabar.errors import NotFoundError
from khabar.storage.sqlite.convert import to_ts
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

_COLUMNS = "id, title, title_article_id, first_seen, last_seen, size, outlets"


def save_story(conn: sqlite3.Connection, state: StoryState, article_id: int) -> None:
    """Write the story's record and state, and put article ``article_id`` in it."""
    story_id = int(state.story_id)
    conn.execute(
        """INSERT INTO stories (id, title, title_article_id, first_seen, last_seen, size,
               outlets, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET title = excluded.title,
               title_article_id = excluded.title_article_id,
               first_seen = excluded.first_seen, last_seen = excluded.last_seen,
               size = excluded.size, outlets = excluded.outlets, state = excluded.state""",
        (
            story_id,
            state.title,
            int(state.title_article_id),
            to_ts(state.first_seen),
            to_ts(state.last_seen),
            state.size,
            json.dumps(list(state.outlets), ensure_ascii=False),
            encode_state(state),
        ),
    )
    cur = conn.execute("UPDATE articles SET story_id = ? WHERE id = ?", (story_id, article_id))
    if cur.rowcount == 0:
        raise NotFoundError(f"no article with id {article_id}")


def active_states(conn: sqlite3.Connection, since: datetime) -> list[StoryState]:
    rows = conn.execute(
        "SELECT state FROM stories WHERE last_seen >= ? ORDER BY id", (to_ts(since),)
    )
    return [decode_state(r[0]) for r in rows]


def get_story(conn: sqlite3.Connection, story_id: int) -> Story:
    row = conn.execute(f"SELECT {_COLUMNS} FROM stories WHERE id = ?", (story_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no story with id {story_id}")
    return story_from_row(row)


def list_stories(
    conn: sqlite3.Connection, since: datetime | None, min_size: int, limit: int
) -> list[Story]:
    rows = conn.execute(
        f"""SELECT {_COLUMNS} FROM stories WHERE last_seen >= ? AND size >= ?
            ORDER BY last_seen DESC, id DESC LIMIT ?""",
        (to_ts(since) if since else "", min_size, limit),
    )
    return [story_from_row(r) for r in rows]


def entity_stories(
    conn: sqlite3.Connection, key: str, min_size: int, limit: int, scan: int
) -> list[Story]:
    """Stories of at least ``min_size`` articles holding one of the ``scan`` newest articles
    that name ``key``, the most recently active first (hidden articles do not count)."""
    rows = conn.execute(
        f"""SELECT {_COLUMNS} FROM stories WHERE size >= ? AND id IN (
                SELECT a.story_id FROM (
                    SELECT article_id FROM article_entities WHERE entity_key = ?
                    ORDER BY sort_time DESC LIMIT ?) m
                JOIN articles a ON a.id = m.article_id
                WHERE a.story_id IS NOT NULL AND a.hidden = 0)
            ORDER BY last_seen DESC, id DESC LIMIT ?""",
        (min_size, key, scan, limit),
    )
    return [story_from_row(r) for r in rows]


def story_from_row(row: sqlite3.Row) -> Story:
    return Story(
        id=int(row["id"]),
        title=row["title"],
        title_article_id=row["title_article_id"],
        first_seen=datetime.fromisoformat(row["first_seen"]),
        last_seen=datetime.fromisoformat(row["last_seen"]),
        size=int(row["size"]),
        outlets=tuple(json.loads(row["outlets"])),
    )
