"""The social posts and media an article's page embedded, in SQLite (page order)."""

from __future__ import annotations

import sqlite3
from datetime import date

from khabar.types import ArticleDraft, Embed

__all__ = ["article_embeds", "write_embeds"]


def write_embeds(conn: sqlite3.Connection, article_id: int, draft: ArticleDraft) -> None:
    """Replace the article's embeds with the draft's."""
    conn.execute("DELETE FROM article_embeds WHERE article_id = ?", (article_id,))
    conn.executemany(
        """INSERT INTO article_embeds
           (article_id, position, kind, url, text, author, published, language)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            (article_id, n, e.kind, e.url, e.text, e.author, _day(e.published), e.language)
            for n, e in enumerate(draft.embeds)
        ],
    )


def article_embeds(conn: sqlite3.Connection, article_id: int) -> list[Embed]:
    rows = conn.execute(
        """SELECT kind, url, text, author, published, language FROM article_embeds
           WHERE article_id = ? ORDER BY position""",
        (article_id,),
    )
    return [
        Embed(
            kind=r["kind"],
            url=r["url"],
            text=r["text"],
            author=r["author"],
            published=date.fromisoformat(r["published"]) if r["published"] else None,
            language=r["language"],
        )
        for r in rows
    ]


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None
