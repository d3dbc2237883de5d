"""PostgreSQL implementation of :class:`~khabar.storage.protocol.StorageType` (psycopg 3).

One connection per instance, in autocommit mode with explicit transactions; the session time
zone is UTC. Several instances (processes, machines) may share one database:

- ``upsert_article`` takes a transaction-level advisory lock on (source, key), so two
  writers of the same article store one row;
- change sequence numbers come from one counter row, locked until commit, so they are
  committed in the order they are handed out and ``changes_since`` never skips a late one.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg.rows import DictRow, dict_row

from khabar.dedupe.decide import Candidate, DedupeDecision, Known
from khabar.errors import NotFoundError, SourceExistsError, StorageError
from khabar.search.results import LEADS_ONLY
from khabar.storage.postgres import embeds, entities, links, tags
from khabar.storage.postgres.convert import (
    article_from_row,
    clean_text,
    source_from_row,
    utc,
    utc_or_none,
)
from khabar.storage.postgres.copies import copy_candidates, record_copy, write_fingerprint
from khabar.storage.postgres.related import related_ids, write_features
from khabar.storage.postgres.rules import PostgresRules
from khabar.storage.postgres.schema import migrate
from khabar.storage.postgres.search import PostgresSearch
from khabar.storage.postgres.stories import (
    active_states,
    entity_stories,
    get_story,
    list_stories,
    save_story,
)
from khabar.storage.protocol import ArticleFilter, UpsertOutcome
from khabar.storage.tags import TagReads
from khabar.storage.times import sort_time
from khabar.stories.cluster import StoryState
from khabar.types import (
    Article,
    ArticleDraft,
    Embed,
    EntityCount,
    EntityInfo,
    EntityMention,
    NewSource,
    PageLink,
    Source,
    SourceFetchState,
    Story,
)

__all__ = ["PostgresStorage", "describe_url"]

Connection = psycopg.Connection[DictRow]

_SOURCE_SELECT = """
    SELECT s.*, (SELECT count(*) FROM articles a WHERE a.source_id = s.id) AS article_count
    FROM sources s
"""
_ARTICLE_SELECT = """
    SELECT a.*, s.title AS source_title,
        (SELECT count(*) FROM articles c WHERE c.group_id = a.id AND c.id <> a.id) AS copies
    FROM articles a JOIN sources s ON s.id = a.source_id
"""


_T = TypeVar("_T")


def _sort_time(draft: ArticleDraft) -> datetime:
    return sort_time(draft.published, _now())


def _now() -> datetime:
    return datetime.now(UTC)


def _content_hash(draft: ArticleDraft) -> str:
    # The same digest as the SQLite backend, so a moved database keeps its change detection.
    blob = json.dumps(
        [draft.title, draft.text, draft.html, draft.summary, draft.section], ensure_ascii=False
    )
    return hashlib.blake2b(blob.encode("utf-8"), digest_size=16).hexdigest()


def describe_url(url: str) -> str:
    """``host:port/dbname`` of a database URL, without user or password (for messages)."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "postgresql://…"
    host = parts.get("host") or "localhost"
    return f"{host}:{parts.get('port') or 5432}/{parts.get('dbname') or ''}"


class PostgresStorage(TagReads):
    """Sources and articles in one PostgreSQL database (see ``StorageType`` for the contract)."""

    tag_queries = tags.QUERIES

    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        self.where = describe_url(url)
        try:
            self._conn: Connection = psycopg.connect(
                url,
                autocommit=True,
                row_factory=dict_row,
                connect_timeout=max(1, int(timeout)),
                application_name="khabar",
            )
        except psycopg.Error as exc:
            raise StorageError(f"cannot open database {self.where}: {exc}") from exc
        try:
            self._conn.execute("SET TIME ZONE 'UTC'")
            migrate(self._conn)
        except psycopg.Error as exc:
            self._conn.close()
            raise StorageError(f"cannot migrate database {self.where}: {exc}") from exc
        self._search = PostgresSearch(self)
        self._rules = PostgresRules(self)
        self._joined_by: int | None = None  # the thread inside one_transaction

    # --- plumbing ----------------------------------------------------------------------

    @property
    def connection(self) -> Connection:
        return self._conn

    @property
    def search(self) -> PostgresSearch:
        return self._search

    @property
    def rules(self) -> PostgresRules:
        return self._rules

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def write(self, what: str) -> Iterator[Connection]:
        """One transaction; failures become StorageError naming ``what``.

        A unique violation propagates as it is (the caller knows what it means). Inside
        :meth:`one_transaction` no savepoint is made: the write joins the outer transaction.
        """
        try:
            if self._joined_by == threading.get_ident():
                yield self._conn
                return
            with self._conn.transaction():
                yield self._conn
        except psycopg.errors.UniqueViolation:
            raise
        except psycopg.Error as exc:
            raise StorageError(f"{what}: {exc}") from exc

    @contextmanager
    def one_transaction(self) -> Iterator[Connection]:
        """One transaction that every :meth:`write` inside joins, all or nothing.

        Nested writes would otherwise each make a savepoint (two more round trips apiece:
        12 of the ~30 statements of one article write). Any failure inside rolls back all
        of it, so use it only where that is what a failure should do (the write stage).
        Only writes from the calling thread join; another thread's keep their savepoint.
        """
        if self._joined_by is not None:
            raise RuntimeError("one_transaction is not reentrant")
        with self._conn.transaction():
            self._joined_by = threading.get_ident()
            try:
                yield self._conn
            finally:
                self._joined_by = None

    def read(self, sql: str, params: Sequence[object] = ()) -> list[DictRow]:
        try:
            return self._conn.execute(sql, params).fetchall()
        except psycopg.Error as exc:
            raise StorageError(f"query failed: {exc}") from exc

    # --- sources -----------------------------------------------------------------------

    def add_source(self, source: NewSource) -> Source:
        try:
            with self.write(f"add source {source.url}") as conn:
                row = conn.execute(
                    """INSERT INTO sources (url, kind, title, site_url, category, country,
                       language, created_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
                       RETURNING id""",
                    (
                        clean_text(source.url),
                        source.kind,
                        clean_text(source.title),
                        clean_text(source.site_url),
                        clean_text(source.category),
                        clean_text(source.country),
                        clean_text(source.language),
                        _now(),
                    ),
                ).fetchone()
        except psycopg.errors.UniqueViolation as exc:
            raise SourceExistsError(source.url, "already followed") from exc
        assert row is not None  # INSERT … RETURNING gives one row
        return self.get_source(int(row["id"]))

    def get_source(self, source_id: int) -> Source:
        rows = self.read(_SOURCE_SELECT + " WHERE s.id = %s", (source_id,))
        if not rows:
            raise NotFoundError(f"no source with id {source_id}")
        return source_from_row(rows[0])

    def find_source(self, url: str) -> Source | None:
        rows = self.read(_SOURCE_SELECT + " WHERE s.url = %s", (clean_text(url),))
        return source_from_row(rows[0]) if rows else None

    def list_sources(self) -> list[Source]:
        return [source_from_row(r) for r in self.read(_SOURCE_SELECT + " ORDER BY s.id")]

    def set_source_paused(self, source_id: int, paused: bool) -> Source:
        with self.write(f"pause source {source_id}") as conn:
            cur = conn.execute("UPDATE sources SET paused = %s WHERE id = %s", (paused, source_id))
        if cur.rowcount == 0:
            raise NotFoundError(f"no source with id {source_id}")
        return self.get_source(source_id)

    def set_section_priors(self, source_id: int, priors: Mapping[str, float] | None) -> None:
        shares = json.dumps(dict(priors)) if priors else None
        with self.write(f"set the section shares of source {source_id}") as conn:
            cur = conn.execute(
                "UPDATE sources SET section_priors = %s::jsonb WHERE id = %s", (shares, source_id)
            )
        if cur.rowcount == 0:
            raise NotFoundError(f"no source with id {source_id}")

    def delete_source(self, source_id: int) -> None:
        with self.write(f"delete source {source_id}") as conn:
            cur = conn.execute("DELETE FROM sources WHERE id = %s", (source_id,))
        if cur.rowcount == 0:
            raise NotFoundError(f"no source with id {source_id}")

    def record_fetch(self, source_id: int, state: SourceFetchState) -> Source:
        with self.write(f"record fetch of source {source_id}") as conn:
            conn.execute(
                """UPDATE sources SET last_fetched_at = %s, next_fetch_at = %s,
                   error_count = %s, last_error = %s, etag = coalesce(%s, etag),
                   last_modified = coalesce(%s, last_modified),
                   title = coalesce(title, %s), site_url = coalesce(site_url, %s),
                   last_new_at = coalesce(%s, last_new_at)
                   WHERE id = %s""",
                (
                    utc(state.fetched_at),
                    utc_or_none(state.next_fetch_at),
                    state.error_count,
                    clean_text(state.last_error),
                    clean_text(state.etag),
                    clean_text(state.last_modified),
                    clean_text(state.title),
                    clean_text(state.site_url),
                    utc_or_none(state.last_new_at),
                    source_id,
                ),
            )
        return self.get_source(source_id)

    # --- articles ----------------------------------------------------------------------

    def upsert_article(self, draft: ArticleDraft) -> UpsertOutcome:
        digest = _content_hash(draft)
        key = clean_text(draft.key) or ""
        with self.write(f"store article {draft.url}") as conn:
            conn.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                (f"article {draft.source_id} {key}",),
            )
            row = conn.execute(
                "SELECT id, content_hash FROM articles WHERE source_id = %s AND key = %s",
                (draft.source_id, key),
            ).fetchone()
            if row is not None and row["content_hash"] == digest:
                article_id, created, changed = int(row["id"]), False, False
            else:
                seq = self._next_seq(conn)
                existing = None if row is None else int(row["id"])
                article_id = self._write_article(conn, draft, digest, seq, existing)
                write_fingerprint(conn, article_id, draft)
                write_features(conn, article_id, draft.features)
                entities.write_entities(conn, article_id, draft, _sort_time(draft))
                links.write_links(conn, article_id, draft)
                embeds.write_embeds(conn, article_id, draft)
                created, changed = row is None, row is not None
        return UpsertOutcome(self.get_article(article_id), created, changed)

    def save_analysis(self, article_id: int, draft: ArticleDraft) -> Article:
        with self.write(f"save the analysis of article {article_id}") as conn:
            found = conn.execute(
                "SELECT sort_time FROM articles WHERE id = %s FOR UPDATE", (article_id,)
            ).fetchone()
            if found is None:
                raise NotFoundError(f"no article with id {article_id}")
            conn.execute(
                """UPDATE articles SET section = %s, section_confidence = %s,
                   section_decided_by = %s, seq = %s WHERE id = %s""",
                (
                    draft.section,
                    draft.section_confidence,
                    draft.section_decided_by,
                    self._next_seq(conn),
                    article_id,
                ),
            )
            write_fingerprint(conn, article_id, draft)
            write_features(conn, article_id, draft.features)
            entities.write_entities(conn, article_id, draft, found["sort_time"])
        return self.get_article(article_id)

    @staticmethod
    def _next_seq(conn: Connection) -> int:
        row = conn.execute(
            "UPDATE counters SET value = value + 1 WHERE name = 'article_seq' RETURNING value"
        ).fetchone()
        assert row is not None  # the counter row is created by migration 1
        return int(row["value"])

    @staticmethod
    def _write_article(
        conn: Connection, d: ArticleDraft, digest: str, seq: int, existing: int | None
    ) -> int:
        now = _now()
        values = _article_values(d, now, digest, seq)
        if existing is not None:
            conn.execute(
                """UPDATE articles SET url=%s, title=%s, text=%s, html=%s, summary=%s,
                   canonical_url=%s, guid=%s, author=%s, published=%s, updated=%s, image=%s,
                   language=%s, categories=%s, extraction_error=%s, sort_time=%s,
                   section=%s, section_confidence=%s, section_decided_by=%s,
                   content_hash=%s, seq=%s WHERE id = %s""",
                (*values, existing),
            )
            return existing
        row = conn.execute(
            """INSERT INTO articles (url, title, text, html, summary, canonical_url, guid,
               author, published, updated, image, language, categories, extraction_error,
               sort_time, section, section_confidence, section_decided_by,
               content_hash, seq, source_id, key, fetched_at)
               VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,
               %s, %s, %s, %s, %s, %s) RETURNING id""",
            (*values, d.source_id, clean_text(d.key), now),
        ).fetchone()
        assert row is not None  # INSERT … RETURNING gives one row
        return int(row["id"])

    def known_keys(self, source_id: int, keys: Sequence[str]) -> set[str]:
        if not keys:
            return set()
        rows = self.read(
            "SELECT key FROM articles WHERE source_id = %s AND key = ANY(%s)",
            (source_id, [clean_text(k) for k in keys]),
        )
        stored = {r["key"] for r in rows}
        # A key is stored without NUL characters; it still answers for the key as given.
        return {k for k in keys if clean_text(k) in stored}

    def known_urls(self, source_id: int, urls: Sequence[str]) -> set[str]:
        if not urls:
            return set()
        rows = self.read(
            "SELECT url FROM articles WHERE source_id = %s AND url = ANY(%s)",
            (source_id, [clean_text(u) for u in urls]),
        )
        stored = {r["url"] for r in rows}
        return {u for u in urls if clean_text(u) in stored}

    def get_article(self, article_id: int) -> Article:
        rows = self.read(_ARTICLE_SELECT + " WHERE a.id = %s", (article_id,))
        if not rows:
            raise NotFoundError(f"no article with id {article_id}")
        return article_from_row(rows[0])

    def get_articles(self, ids: Sequence[int]) -> dict[int, Article]:
        if not ids:
            return {}
        rows = self.read(_ARTICLE_SELECT + " WHERE a.id = ANY(%s)", (list(ids),))
        return {int(r["id"]): article_from_row(r) for r in rows}

    def list_articles(self, flt: ArticleFilter) -> list[Article]:
        where: list[str] = []
        params: list[object] = []
        if flt.source_id is not None:
            where.append("a.source_id = %s")
            params.append(flt.source_id)
        if flt.language is not None:
            where.append("a.language = %s")
            params.append(flt.language)
        if flt.section is not None:
            where.append("a.section = %s")
            params.append(flt.section)
        if flt.fold_copies and flt.source_id is None:
            where.append(LEADS_ONLY)
        if not flt.include_hidden:
            where.append("NOT a.hidden")
        if flt.before is not None:
            where.append("(a.sort_time, a.id) < (%s, %s)")
            params.extend([utc(flt.before[0]), flt.before[1]])
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        sql = _ARTICLE_SELECT + clause + " ORDER BY a.sort_time DESC, a.id DESC LIMIT %s"
        return [article_from_row(r) for r in self.read(sql, (*params, flt.limit))]

    def recent_publish_times(self, source_id: int, limit: int = 20) -> list[datetime]:
        rows = self.read(
            """SELECT sort_time FROM articles WHERE source_id = %s
               ORDER BY sort_time DESC LIMIT %s""",
            (source_id, limit),
        )
        return [utc(r["sort_time"]) for r in rows]

    def count_articles(self) -> int:
        return int(self.read("SELECT count(*) AS n FROM articles")[0]["n"])

    # --- dedupe ------------------------------------------------------------------------

    def copy_candidates(self, article_id: int, window: timedelta) -> tuple[Candidate, list[Known]]:
        try:
            return copy_candidates(self._conn, article_id, window)
        except psycopg.Error as exc:
            raise StorageError(f"find copies of article {article_id}: {exc}") from exc

    def record_copy(self, article_id: int, decision: DedupeDecision) -> Article:
        with self.write(f"record copies of article {article_id}") as conn:
            record_copy(conn, article_id, decision)
        return self.get_article(article_id)

    def copies_of(self, article_id: int) -> list[Article]:
        article = self.get_article(article_id)
        group = article.group_id or article.id
        rows = self.read(
            _ARTICLE_SELECT + " WHERE a.group_id = %s AND a.id <> %s ORDER BY a.sort_time, a.id",
            (group, article_id),
        )
        return [article_from_row(r) for r in rows]

    # --- stories -----------------------------------------------------------------------

    # --- entities and keywords -------------------------------------------------------

    def article_entities(self, article_id: int) -> list[EntityMention]:
        return self._guarded("read entities", entities.article_entities, article_id)

    def article_keywords(self, article_id: int) -> list[str]:
        return self._guarded("read keywords", entities.article_keywords, article_id)

    def article_links(self, article_id: int) -> list[PageLink]:
        return self._guarded("read links", links.article_links, article_id)

    def article_embeds(self, article_id: int) -> list[Embed]:
        return self._guarded("read embeds", embeds.article_embeds, article_id)

    def get_entity(self, key: str) -> EntityInfo:
        return self._guarded(f"read entity {key!r}", entities.get_entity, key)

    def entity_articles(
        self, key: str, *, limit: int = 50, before: tuple[datetime, int] | None = None
    ) -> list[Article]:
        ids = self._guarded(
            f"list articles of {key!r}", entities.entity_article_ids, key, limit, before
        )
        found = self.get_articles(ids)
        return [found[i] for i in ids if i in found]

    def entity_days(self, key: str, since: datetime) -> list[tuple[date, int]]:
        return self._guarded(f"count days of {key!r}", entities.entity_days, key, since)

    def entity_counts(
        self, split: datetime, since: datetime, min_recent: int = 1
    ) -> list[EntityCount]:
        return self._guarded("count entities", entities.entity_counts, split, since, min_recent)

    def entity_stories(
        self, key: str, *, min_size: int = 2, limit: int = 5, scan: int = 1000
    ) -> list[Story]:
        what = f"list stories of {key!r}"
        return self._guarded(what, entity_stories, key, min_size, limit, scan)

    def _guarded(self, what: str, read: Callable[..., _T], *args: Any) -> _T:
        try:
            return read(self._conn, *args)
        except psycopg.Error as exc:
            raise StorageError(f"{what}: {exc}") from exc

    def related_articles(self, article_id: int, limit: int = 5) -> list[Article]:
        try:
            ids = related_ids(self._conn, article_id, limit)
        except psycopg.Error as exc:
            raise StorageError(f"related articles of {article_id}: {exc}") from exc
        found = self.get_articles(ids)
        return [found[i] for i in ids if i in found]

    def save_story(self, state: StoryState, article_id: int) -> Story:
        with self.write(f"save story {state.story_id}") as conn:
            save_story(conn, state, article_id)
        return self.get_story(int(state.story_id))

    def active_stories(self, since: datetime) -> list[StoryState]:
        try:
            return active_states(self._conn, since)
        except psycopg.Error as exc:
            raise StorageError(f"read active stories: {exc}") from exc

    def get_story(self, story_id: int) -> Story:
        try:
            return get_story(self._conn, story_id)
        except psycopg.Error as exc:
            raise StorageError(f"read story {story_id}: {exc}") from exc

    def list_stories(
        self, *, since: datetime | None = None, min_size: int = 1, limit: int = 50
    ) -> list[Story]:
        try:
            return list_stories(self._conn, since, min_size, limit)
        except psycopg.Error as exc:
            raise StorageError(f"list stories: {exc}") from exc

    def story_articles(self, story_id: int) -> list[Article]:
        rows = self.read(
            _ARTICLE_SELECT + " WHERE a.story_id = %s AND NOT a.hidden ORDER BY a.sort_time, a.id",
            (story_id,),
        )
        return [article_from_row(r) for r in rows]

    # --- change tracking ---------------------------------------------------------------

    def changes_since(self, seq: int, limit: int = 500) -> list[tuple[int, Article]]:
        rows = self.read(
            _ARTICLE_SELECT + " WHERE a.seq > %s ORDER BY a.seq LIMIT %s", (seq, limit)
        )
        return [(int(r["seq"]), article_from_row(r)) for r in rows]

    def deleted_since(self, seq: int) -> list[tuple[int, int]]:
        rows = self.read(
            "SELECT seq, article_id FROM deleted_articles WHERE seq > %s ORDER BY seq", (seq,)
        )
        return [(int(r["seq"]), int(r["article_id"])) for r in rows]


def _article_values(d: ArticleDraft, now: datetime, digest: str, seq: int) -> tuple[Any, ...]:
    """The columns both INSERT and UPDATE write, in their order."""
    return (
        clean_text(d.url),
        clean_text(d.title),
        clean_text(d.text),
        clean_text(d.html),
        clean_text(d.summary),
        clean_text(d.canonical_url),
        clean_text(d.guid),
        clean_text(d.author),
        utc_or_none(d.published),
        utc_or_none(d.updated),
        clean_text(d.image),
        clean_text(d.language),
        [clean_text(c) for c in d.categories],
        clean_text(d.extraction_error),
        utc(sort_time(d.published, now)),
        d.section,
        d.section_confidence,
        d.section_decided_by,
        digest,
        seq,
    )
