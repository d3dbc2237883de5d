"""The links an article's page showed (read-also boxes, related lists), in PostgreSQL.

A link is stored with its address keyed as dedupe keys article addresses
(:func:`khabar.dedupe.urls.canonical_url`), so reading it finds our own copy of the linked
article whatever tracking parameters, ``http``/``https`` or mobile host the link used.
"""

from __future__ import annotations

import psycopg
from psycopg.rows import DictRow

from khabar.dedupe.urls import canonical_url
from khabar.storage.postgres.convert import clean_text
from khabar.types import ArticleDraft, LinkKind, PageLink

__all__ = ["article_links", "write_links"]

Connection = psycopg.Connection[DictRow]


def write_links(conn: Connection, article_id: int, draft: ArticleDraft) -> None:
    """Replace the article's links with the draft's."""
    conn.execute("DELETE FROM article_links WHERE article_id = %s", (article_id,))
    rows = [
        (
            article_id,
            n,
            link.kind,
            clean_text(link.title),
            clean_text(link.url),
            clean_text(canonical_url(link.url)),
        )
        for n, link in enumerate(draft.links)
    ]
    if rows:
        with conn.cursor() as cur:
            cur.executemany(
                """INSERT INTO article_links (article_id, position, kind, title, url, url_key)
                   VALUES (%s, %s, %s, %s, %s, %s)""",
                rows,
            )


def article_links(conn: Connection, article_id: int) -> list[PageLink]:
    """The article's links in page order, each with our copy of its target when we hold one
    that no rule hid (the first stored, never the article itself)."""
    rows = conn.execute(
        """SELECT l.kind, l.title, l.url, (
               SELECT min(a.id) FROM articles a
               WHERE (a.url_key = l.url_key OR a.canonical_key = l.url_key)
               AND a.id <> l.article_id AND NOT a.hidden) AS target
           FROM article_links l WHERE l.article_id = %s ORDER BY l.position""",
        (article_id,),
    )
    return [_link(r["kind"], r["title"], r["url"], r["target"]) for r in rows]


def _link(kind: LinkKind, title: str, url: str, target: int | None) -> PageLink:
    return PageLink(kind, title, url, None if target is None else int(target))
