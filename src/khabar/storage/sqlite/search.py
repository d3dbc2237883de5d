"""SQLite FTS5 implementation of :class:`~khabar.storage.protocol.SearchType`.

The FTS5 table holds the *analyzed* terms of each article (``khabar.search.analyze``), never
raw text, so Arabic spelling variants meet in the index. FTS5's own tokenizer only splits the
analyzer's space-separated terms. Queries are read by ``khabar.search.query.parse_query``;
the MATCH expression is built here from its analyzed terms, each one quoted, so no user text
ever becomes FTS5 syntax. Filters are plain SQL on the joined ``articles`` row. Snippets are
cut from the original text in Python.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

from khabar.errors import StorageError
from khabar.search import analyzer, results
from khabar.search.query import (
    InvalidQueryError,
    ParsedQuery,
    Phrase,
    QueryFilters,
    Sort,
    parse_query,
)
from khabar.search.results import Dialect, Filters, matching_sources, results_page
from khabar.search.results import filter_conditions as shared_conditions
from khabar.storage.sqlite.convert import to_ts
from khabar.types import Article, SearchPage

if TYPE_CHECKING:
    from khabar.storage.sqlite.storage import SqliteStorage

__all__ = ["SQLITE", "SqliteSearch", "filter_conditions", "fts5_match", "source_ids"]

TITLE_WEIGHT = 3.0
BODY_WEIGHT = 1.0
QUERY_TIME_LIMIT = 2.0  # seconds a user query may run before it is cut off


class SqliteSearch:
    """Search over one :class:`SqliteStorage`."""

    def __init__(self, storage: SqliteStorage) -> None:
        self._storage = storage

    @property
    def _conn(self) -> sqlite3.Connection:
        return self._storage.connection

    def _state(self, name: str) -> int:
        row = self._conn.execute("SELECT value FROM search_state WHERE name = ?", (name,))
        return int(row.fetchone()[0])

    # --- indexing ----------------------------------------------------------------------

    def update(self) -> int:
        """Index changed articles and drop deleted ones; returns how many rows changed.

        When the analyzer's version differs from the one the index was built with, the index
        is emptied first and every article is indexed again.
        """
        with self._storage.between_writes():
            return self._update()

    def _update(self) -> int:
        self._rebuild_if_analyzer_changed()
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

    def _rebuild_if_analyzer_changed(self) -> None:
        current = _analyzer_version()
        if self._state("analyzer_version") == current:
            return
        with self._storage.write("reset the search index for a new analyzer") as conn:
            conn.execute("DELETE FROM article_terms")
            conn.execute("UPDATE search_state SET value = 0 WHERE name = 'indexed_seq'")
            conn.execute(
                """UPDATE search_state SET value = (SELECT coalesce(max(seq), 0)
                   FROM deleted_articles) WHERE name = 'deleted_seq'"""
            )
            conn.execute(
                "UPDATE search_state SET value = ? WHERE name = 'analyzer_version'", (current,)
            )

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

    # --- searching ---------------------------------------------------------------------

    def search(
        self, query: str, *, limit: int = 20, offset: int = 0, sort: Sort | None = None
    ) -> SearchPage:
        parsed = parse_query(query, sort=sort)
        if parsed.is_empty:
            return SearchPage(query, (), 0, offset, limit)
        where, params = filter_conditions(self._conn, parsed.filters)
        if where is None:
            return SearchPage(query, (), 0, offset, limit)
        rows, total = self._run(_Plan(parsed, where, params), limit, offset)
        ranked = [(aid, -score) for aid, score in rows]  # bm25: lower is better
        return results_page(
            parsed, ranked, total, self._storage.get_articles, offset=offset, limit=limit
        )

    def _run(self, plan: _Plan, limit: int, offset: int) -> tuple[list[tuple[int, float]], int]:
        deadline = time.monotonic() + QUERY_TIME_LIMIT
        self._conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
        try:
            rows = self._conn.execute(
                f"SELECT a.id, {plan.score} AS score {plan.body} ORDER BY {plan.order} "
                "LIMIT ? OFFSET ?",
                (*plan.params, limit, offset),
            ).fetchall()
            total = self._conn.execute(  # counting stops past the cap
                f"SELECT count(*) FROM (SELECT 1 {plan.body} LIMIT ?)",
                (*plan.params, results.TOTAL_CAP + 1),
            ).fetchone()[0]
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise InvalidQueryError("too_slow") from exc
            raise StorageError(f"search for {plan.parsed.text!r} failed: {exc}") from exc
        finally:
            self._conn.set_progress_handler(None, 0)
        return [(int(r[0]), float(r[1])) for r in rows], int(total)


SQLITE: Final = Dialect(
    mark="?",
    visible="a.hidden = 0",
    like="LIKE",
    lists_as_arrays=False,
    day_start=lambda day: to_ts(datetime(day.year, day.month, day.day, tzinfo=UTC)),
)


def filter_conditions(conn: sqlite3.Connection, filters: QueryFilters) -> Filters:
    """SQL conditions on ``articles AS a`` (:func:`khabar.search.results.filter_conditions`)."""
    return shared_conditions(filters, source_ids(conn, filters.sources), SQLITE)


def source_ids(conn: sqlite3.Connection, fragments: Sequence[str]) -> list[int]:
    """Ids of the sources ``source:fragment`` selects (any of ``fragments``)."""
    if not fragments:
        return []
    rows = conn.execute("SELECT id, url, title, site_url FROM sources").fetchall()
    return matching_sources(fragments, [(int(r[0]), r[1], r[2], r[3]) for r in rows])


class _Plan:
    """The SQL of one search: FROM/WHERE body, score and order, with their parameters."""

    def __init__(self, parsed: ParsedQuery, where: list[str], params: list[object]) -> None:
        self.parsed = parsed
        match = fts5_match(parsed)
        excluded = _any_of(parsed.exclusions)
        if match is not None:
            # CROSS JOIN keeps the FTS5 table as the outer loop: with a plain JOIN and a
            # selective filter (source:) SQLite may walk the articles and run MATCH per row.
            self.body = (
                "FROM article_terms CROSS JOIN articles AS a ON a.id = article_terms.rowid "
                "WHERE article_terms MATCH ?"
            )
            self.score = f"bm25(article_terms, {TITLE_WEIGHT}, {BODY_WEIGHT})"
            self.params: list[object] = [match, *params]
        else:  # only filters (and maybe exclusions): a filtered listing, newest first
            self.body = "FROM articles AS a WHERE 1"
            self.score = "0.0"
            self.params = list(params)
            if excluded is not None:
                self.body += (
                    " AND a.id NOT IN (SELECT rowid FROM article_terms WHERE article_terms MATCH ?)"
                )
                self.params.insert(0, excluded)
        self.body += "".join(f" AND {w}" for w in where)
        by_date = "a.sort_time DESC, a.id DESC"
        relevant = match is not None and parsed.sort == "relevance"
        self.order = f"score, {by_date}" if relevant else by_date


# --- the MATCH expression ----------------------------------------------------------------


def fts5_match(parsed: ParsedQuery) -> str | None:
    """The FTS5 MATCH expression for ``parsed``; ``None`` when nothing must match.

    Every term is a quoted FTS5 string (``"`` doubled), so only the operators written here
    (AND, OR, NOT, ``+`` for phrases, ``*`` for prefixes) are ever FTS5 syntax.
    """
    required = [_quote(t) for t in parsed.terms]
    required += [_phrase(p) for p in (*parsed.phrases, *parsed.prefixes)]
    required += [f"({' OR '.join(_phrase(p) for p in group)})" for group in parsed.alternatives]
    if not required:
        return None
    match = " AND ".join(required)
    excluded = _any_of(parsed.exclusions)
    return f"({match}) NOT ({excluded})" if excluded else match


def _any_of(phrases: Sequence[Phrase]) -> str | None:
    return " OR ".join(_phrase(p) for p in phrases) if phrases else None


def _phrase(phrase: Phrase) -> str:
    text = " + ".join(_quote(t) for t in phrase.terms)
    return f"{text} *" if phrase.prefix else text


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


# --- helpers -----------------------------------------------------------------------------


def _analyzer_version() -> int:
    # The analyzer module gains ANALYZER_VERSION with the stemmer; version 1 until then.
    return int(getattr(analyzer, "ANALYZER_VERSION", 1))


def _index(conn: sqlite3.Connection, article: Article) -> None:
    conn.execute("DELETE FROM article_terms WHERE rowid = ?", (article.id,))
    conn.execute(
        "INSERT INTO article_terms (rowid, title, body) VALUES (?, ?, ?)",
        (article.id, _terms(article.title), _terms(article.text)),
    )


def _terms(text: str) -> str:
    # Looked up on the module at call time: the analyzer of the day (and tests) decide.
    return " ".join(analyzer.analyze(text))
