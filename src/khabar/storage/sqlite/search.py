"""SQLite FTS5 implementation of :class:`~khabar.storage.protocol.SearchType`.

The FTS5 table holds the *analyzed* terms of each article (``khabar.search.analyze``), never
raw text, so Arabic spelling variants meet in the index. FTS5's own tokenizer only splits the
analyzer's space-separated terms. Snippets are cut from the original text in Python.
"""

from __future__ import annotations

import sqlite3
import time
from typing import TYPE_CHECKING

from khabar.errors import StorageError
from khabar.search import analyze, make_snippet, query_terms
from khabar.types import Article, SearchHit, SearchPage

if TYPE_CHECKING:
    from khabar.storage.sqlite.storage import SqliteStorage

__all__ = ["SqliteSearch"]

TITLE_WEIGHT = 3.0
BODY_WEIGHT = 1.0
QUERY_TIME_LIMIT = 2.0  # seconds a user query may run before it is cut off
MAX_QUERY_TERMS = 32


class SqliteSearch:
    def __init__(self, storage: SqliteStorage) -> None:
        self._storage = storage

    @property
    def _conn(self) -> sqlite3.Connection:
        return self._storage.connection

    def _state(self, name: str) -> int:
        row = self._conn.execute("SELECT value FROM search_state WHERE name = ?", (name,))
        return int(row.fetchone()[0])

    def update(self) -> int:
        """Index changed articles and drop deleted ones; returns how many rows changed."""
        done = self._drop_deleted()
        while True:
            changes = self._storage.changes_since(self._state("indexed_seq"))
            if not changes:
                return done
            with self._storage.write("update search index") as conn:
                for _, article in changes:
                    _index(conn, article)
                conn.execute(
                    "UPDATE search_state SET value = ? WHERE name = 'indexed_seq'",
                    (changes[-1][0],),
                )
            done += len(changes)

    def _drop_deleted(self) -> int:
        deleted = self._storage.deleted_since(self._state("deleted_seq"))
        if not deleted:
            return 0
        with self._storage.write("remove deleted articles from the search index") as conn:
            conn.executemany(
                "DELETE FROM article_terms WHERE rowid = ?", [(aid,) for _, aid in deleted]
            )
            conn.execute(
                "UPDATE search_state SET value = ? WHERE name = 'deleted_seq'", (deleted[-1][0],)
            )
        return len(deleted)

    def search(self, query: str, *, limit: int = 20, offset: int = 0) -> SearchPage:
        terms = query_terms(query)[:MAX_QUERY_TERMS]
        if not terms:
            return SearchPage(query, (), 0, offset, limit)
        match = " ".join(f'"{t}"' for t in terms)
        rows, total = self._run(match, limit, offset)
        articles = self._storage.get_articles([r[0] for r in rows])
        wanted = set(terms)
        hits = tuple(
            SearchHit(articles[aid], -score, _snippet(articles[aid], wanted))
            for aid, score in rows
            if aid in articles
        )
        return SearchPage(query, hits, total, offset, limit)

    def _run(self, match: str, limit: int, offset: int) -> tuple[list[tuple[int, float]], int]:
        deadline = time.monotonic() + QUERY_TIME_LIMIT
        self._conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        try:
            rows = self._conn.execute(
                f"""SELECT rowid, bm25(article_terms, {TITLE_WEIGHT}, {BODY_WEIGHT}) AS score
                    FROM article_terms WHERE article_terms MATCH ?
                    ORDER BY score LIMIT ? OFFSET ?""",
                (match, limit, offset),
            ).fetchall()
            total = self._conn.execute(
                "SELECT count(*) FROM article_terms WHERE article_terms MATCH ?", (match,)
            ).fetchone()[0]
        except sqlite3.OperationalError as exc:
            raise StorageError(f"search for {match!r} failed: {exc}") from exc
        finally:
            self._conn.set_progress_handler(None, 0)
        return [(int(r[0]), float(r[1])) for r in rows], int(total)


def _index(conn: sqlite3.Connection, article: Article) -> None:
    conn.execute("DELETE FROM article_terms WHERE rowid = ?", (article.id,))
    conn.execute(
        "INSERT INTO article_terms (rowid, title, body) VALUES (?, ?, ?)",
        (article.id, " ".join(analyze(article.title)), " ".join(analyze(article.text))),
    )


def _snippet(article: Article, terms: set[str]) -> str:
    source = article.text or article.summary or article.title
    return make_snippet(source, terms)
