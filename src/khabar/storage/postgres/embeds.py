"""The social posts and media an article's page embedded, in PostgreSQL (page order)."""

from __future__ import annotations

import psycopg
from psycopg.rows import DictRow

from khabar.storage.postgres.convert import clean_text
from khabar.types import ArticleDraft, Embed

__all__ = ["article_embeds", "write_embeds"]

Connection = psycopg.Connection[DictRow]


def write_embeds(conn: Connection, article_id: int, draft: ArticleDraft) -> None:
    """Replace the article's embeds with the draft's."""
    conn.execute("DELETE FROM article_embeds WHERE article_id = %s", (article_id,))
    rows = [
        (
            article_id,
            n,
            e.kind,
            _clean(e.url),
            clean_text(e.text),
            _clean(e.author),
            e.published,
            _clean(e.language),
        )
        for n, e in enumerate(draft.embeds)
    ]
    if rows:
        with conn.cursor() as cur:
            cur.executemany(
                """INSERT INTO article_embeds
                   (article_id, position, kind, url, text, author, published, language)
                   VALUES (%s, %s, %s, %s, %s, %s, %s, %s)""",
                rows,
            )


def article_embeds(conn: Connection, article_id: int) -> list[Embed]:
    rows = conn.execute(
        """SELECT kind, url, text, author, published, language FROM article_embeds
           WHERE article_id = %s ORDER BY position""",
        (article_id,),
    )
    return [Embed(**r) for r in rows]


def _clean(value: str | None) -> str | None:
    return None if value is None else clean_text(value)
