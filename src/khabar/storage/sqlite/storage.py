"""SQLite implementation of :class:`~khabar.storage.protocol.StorageType`.

WAL mode, foreign keys on, numbered migrations, one writer (``BEGIN IMMEDIATE``, retried up to
a busy timeout), timezone-aware UTC datetimes stored as fixed-width ISO text.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from khabar.dedupe.decide import Candidate, DedupeDecision, Known
from khabar.errors import (
    DatabaseBusyError,
    DatabaseFullError,
    DatabaseReadOnlyError,
    NotFoundError,
    SourceExistsError,
    StorageError,
)
from khabar.search.engines import DEFAULT_SEARCH_ENGINE, sqlite_search
from khabar.search.results import LEADS_ONLY
from khabar.storage.protocol import ArticleFilter, SearchType, UpsertOutcome
from khabar.storage.sqlite import embeds, entities, links, tags
from khabar.storage.sqlite.connections import ThreadConnections
from khabar.storage.sqlite.convert import article_from_row, from_ts, source_from_row, to_ts
from khabar.storage.sqlite.copies import copy_candidates, record_copy, write_fingerprint
from khabar.storage.sqlite.related import related_ids, write_features
from khabar.storage.sqlite.rules import SqliteRules
from khabar.storage.sqlite.schema import migrate
from khabar.storage.sqlite.stories import (
    active_states,
    entity_stories,
    get_story,
    list_stories,
    save_story,
)
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

__all__ = ["READ_ONLY_SUFFIX", "SqliteStorage", "storage_error"]

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
    blob = json.dumps(
        [draft.title, draft.text, draft.html, draft.summary, draft.section], ensure_ascii=False
    )
    return hashlib.blake2b(blob.encode("utf-8"), digest_size=16).hexdigest()


BUSY_SLICE = 0.05
"""Seconds SQLite waits for another process's lock in one try (it holds the connection
meanwhile); longer waits are tries ``BUSY_POLL`` apart, up to the storage's ``timeout``."""
BUSY_POLL = 0.05
READ_ONLY_SUFFIX = "?mode=ro"
"""Appended to a database path (``sqlite:///PATH?mode=ro``): open it for reading only."""

# SQLite's primary result codes that a user can fix, each with the error it becomes and the
# words that name it (Arabic first: ``source.last_error`` is shown in the reader).
_SQLITE_FAULTS: dict[int, tuple[type[StorageError], str]] = {
    sqlite3.SQLITE_BUSY: (DatabaseBusyError, "database busy or unwritable"),
    sqlite3.SQLITE_LOCKED: (DatabaseBusyError, "database busy or unwritable"),
    sqlite3.SQLITE_READONLY: (
        DatabaseReadOnlyError,
        "قاعدة البيانات للقراءة فقط / database is read-only",
    ),
    sqlite3.SQLITE_FULL: (DatabaseFullError, "قاعدة البيانات ممتلئة / database or disk is full"),
}


def storage_error(what: str, exc: sqlite3.Error) -> StorageError:
    """The Khabar error for a SQLite failure while doing ``what``: busy, read-only and full
    databases get their own class and a message naming the problem."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    kind, why = _SQLITE_FAULTS.get(code, (StorageError, ""))
    detail = str(exc)
    message = f"{why}: {detail}" if why and detail not in why else why or detail
    return kind(f"{what}: {message}")


def _split_mode(path: str) -> tuple[str, bool]:
    if path.endswith(READ_ONLY_SUFFIX):
        return path.removesuffix(READ_ONLY_SUFFIX), True
    return path, False


def _connect(path: str, timeout: float, *, read_only: bool) -> sqlite3.Connection:
    """Open ``path``: WAL, foreign keys on; a read-only database is opened as is."""
    if read_only:
        target, uri = Path(path).resolve().as_uri() + READ_ONLY_SUFFIX, True
    else:
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        target, uri = path, False
    conn = sqlite3.connect(
        target, timeout=timeout, isolation_level=None, check_same_thread=False, uri=uri
    )
    conn.row_factory = sqlite3.Row
    if not read_only:
        conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")
    return conn


class SqliteStorage(TagReads):
    """Sources and articles in one SQLite file (see ``StorageType`` for the contract)."""

    tag_queries = tags.QUERIES

    def __init__(
        self,
        path: str | Path,
        *,
        timeout: float = 10.0,
        search_engine: str = DEFAULT_SEARCH_ENGINE,
    ) -> None:
        self.path, self.read_only = _split_mode(str(path))
        self._timeout = timeout
        self._write_lock = threading.RLock()
        self._joined = False  # inside one_transaction: writes (of its thread) join it
        try:
            first = _connect(self.path, timeout, read_only=self.read_only)
            migrate(first)
            first.execute(f"PRAGMA busy_timeout = {int(BUSY_SLICE * 1000)}")
        except sqlite3.Error as exc:
            raise storage_error(f"cannot open database {self.path}", exc) from exc
        in_memory = self.path == ":memory:" or "mode=memory" in self.path
        self._conns = ThreadConnections(first, None if in_memory else self._open_another)
        self._search = sqlite_search(self, search_engine)
        self._rules = SqliteRules(self)

    # --- plumbing ----------------------------------------------------------------------

    def _open_another(self) -> sqlite3.Connection:
        try:
            conn = _connect(self.path, self._timeout, read_only=self.read_only)
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_SLICE * 1000)}")
        except sqlite3.Error as exc:
            raise storage_error(f"cannot open database {self.path}", exc) from exc
        return conn

    @property
    def _conn(self) -> sqlite3.Connection:
        """The calling thread's connection (:mod:`khabar.storage.sqlite.connections`)."""
        return self._conns.get()

    @property
    def connection(self) -> sqlite3.Connection:
        return self._conns.get()

    @property
    def search(self) -> SearchType:
        return self._search

    @property
    def rules(self) -> SqliteRules:
        return self._rules

    def close(self) -> None:
        self._conns.close()

    @contextmanager
    def write(self, what: str) -> Iterator[sqlite3.Connection]:
        """One write transaction; failures become StorageError naming ``what``.

        Transactions of different threads take turns (the connection is shared); waiting
        for another process's lock is :meth:`_begin`'s job. Inside :meth:`one_transaction`
        the write joins the open transaction (only that thread holds the lock then)."""
        with self._write_lock:
            if self._joined:
                with self._joined_write(what):
                    yield self._conn
                return
            self._begin(what)
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except sqlite3.IntegrityError:
                self._rollback()
                raise
            except sqlite3.Error as exc:
                self._rollback()
                raise storage_error(what, exc) from exc
            except BaseException:
                self._rollback()
                raise

    @contextmanager
    def one_transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction that every :meth:`write` inside it joins: all or nothing.

        The write stage stores an article, links its copies and puts it in a story in here,
        so a crash in between leaves no article that later updates would skip unlinked."""
        with self.write("store an article with its copies and story") as conn:
            if self._joined:
                raise RuntimeError("one_transaction is not reentrant")
            self._joined = True
            try:
                yield conn
            finally:
                self._joined = False

    @contextmanager
    def between_writes(self) -> Iterator[None]:
        """Hold this process's writes back: reads in here never see another thread's
        transaction half done (the connection is shared), e.g. an article stored but not yet
        linked, which a rollback could still take back. Writes inside are allowed."""
        with self._write_lock:
            yield

    @contextmanager
    def _joined_write(self, what: str) -> Iterator[None]:
        """A write inside :meth:`one_transaction`: errors are named, the outer one undoes."""
        try:
            yield
        except sqlite3.IntegrityError:
            raise
        except sqlite3.Error as exc:
            raise storage_error(what, exc) from exc

    def _begin(self, what: str) -> None:
        """Take the write lock, retrying while another process holds it, for up to the busy
        timeout; then a clear DatabaseBusyError. SQLite itself only waits ``BUSY_SLICE`` per
        try, so between tries the connection is free for readers in other threads."""
        deadline = time.monotonic() + self._timeout
        while True:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.Error as exc:
                error = storage_error(what, exc)
                if not isinstance(error, DatabaseBusyError) or time.monotonic() >= deadline:
                    raise error from exc
            time.sleep(min(BUSY_POLL, max(0.0, deadline - time.monotonic())))

    def _rollback(self) -> None:
        """Undo the open transaction (SQLite may already have undone it, e.g. on a full
        disk: then there is nothing left to undo)."""
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise storage_error("query failed", exc) from exc

    # --- sources -----------------------------------------------------------------------

    def add_source(self, source: NewSource) -> Source:
        try:
            with self.write(f"add source {source.url}") as conn:
                cur = conn.execute(
                    """INSERT INTO sources (url, kind, title, site_url, category, country,
                       language, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                    (
                        source.url,
                        source.kind,
                        source.title,
                        source.site_url,
                        source.category,
                        source.country,
                        source.language,
                        to_ts(_now()),
                    ),
                )
                new_id = int(cur.lastrowid or 0)
        except sqlite3.IntegrityError as exc:
            raise SourceExistsError(source.url, "already followed") from exc
        return self.get_source(new_id)

    def get_source(self, source_id: int) -> Source:
        rows = self._read(_SOURCE_SELECT + " WHERE s.id = ?", (source_id,))
        if not rows:
            raise NotFoundError(f"no source with id {source_id}")
        return source_from_row(rows[0])

    def find_source(self, url: str) -> Source | None:
        rows = self._read(_SOURCE_SELECT + " WHERE s.url = ?", (url,))
        return source_from_row(rows[0]) if rows else None

    def list_sources(self) -> list[Source]:
        return [source_from_row(r) for r in self._read(_SOURCE_SELECT + " ORDER BY s.id")]

    def set_source_paused(self, source_id: int, paused: bool) -> Source:
        with self.write(f"pause source {source_id}") as conn:
            cur = conn.execute("UPDATE sources SET paused = ? WHERE id = ?", (paused, source_id))
        if cur.rowcount == 0:
            raise NotFoundError(f"no source with id {source_id}")
        return self.get_source(source_id)

    def set_section_priors(self, source_id: int, priors: Mapping[str, float] | None) -> None:
        shares = json.dumps(dict(priors)) if priors else None
        with self.write(f"set the section shares of source {source_id}") as conn:
            cur = conn.execute(
                "UPDATE sources SET section_priors = ? WHERE id = ?", (shares, source_id)
            )
        if cur.rowcount == 0:
            raise NotFoundError(f"no source with id {source_id}")

    def delete_source(self, source_id: int) -> None:
        with self.write(f"delete source {source_id}") as conn:
            cur = conn.execute("DELETE FROM sources WHERE id = ?", (source_id,))
        if cur.rowcount == 0:
            raise NotFoundError(f"no source with id {source_id}")

    def record_fetch(self, source_id: int, state: SourceFetchState) -> Source:
        with self.write(f"record fetch of source {source_id}") as conn:
            conn.execute(
                """UPDATE sources SET last_fetched_at = ?, next_fetch_at = ?, error_count = ?,
                   last_error = ?, etag = coalesce(?, etag),
                   last_modified = coalesce(?, last_modified),
                   title = coalesce(title, ?), site_url = coalesce(site_url, ?),
                   last_new_at = coalesce(?, last_new_at)
                   WHERE id = ?""",
                (
                    to_ts(state.fetched_at),
                    to_ts(state.next_fetch_at),
                    state.error_count,
                    state.last_error,
                    state.etag,
                    state.last_modified,
                    state.title,
                    state.site_url,
                    to_ts(state.last_new_at),
                    source_id,
                ),
            )
        return self.get_source(source_id)

    # --- articles ----------------------------------------------------------------------

    def upsert_article(self, draft: ArticleDraft) -> UpsertOutcome:
        digest = _content_hash(draft)
        with self.write(f"store article {draft.url}") as conn:
            row = conn.execute(
                "SELECT id, content_hash FROM articles WHERE source_id = ? AND key = ?",
                (draft.source_id, draft.key),
            ).fetchone()
            if row is not None and row["content_hash"] == digest:
                article_id, created, changed = int(row["id"]), False, False
            else:
                seq = self._next_seq(conn)
                article_id = self._write_article(conn, draft, digest, seq, row)
                write_fingerprint(conn, article_id, draft)
                write_features(conn, article_id, draft.features)
                entities.write_entities(conn, article_id, draft, _sort_time(draft))
                links.write_links(conn, article_id, draft)
                embeds.write_embeds(conn, article_id, draft)
                created, changed = row is None, row is not None
        return UpsertOutcome(self.get_article(article_id), created, changed)

    def save_analysis(self, article_id: int, draft: ArticleDraft) -> Article:
        with self.write(f"save the analysis of article {article_id}") as conn:
            query = "SELECT sort_time FROM articles WHERE id = ?"
            found = conn.execute(query, (article_id,)).fetchone()
            if found is None:
                raise NotFoundError(f"no article with id {article_id}")
            conn.execute(
                """UPDATE articles SET section = ?, section_confidence = ?,
                   section_decided_by = ?, seq = ? WHERE id = ?""",
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
            moment = from_ts(found["sort_time"]) or _now()
            entities.write_entities(conn, article_id, draft, moment)
        return self.get_article(article_id)

    @staticmethod
    def _next_seq(conn: sqlite3.Connection) -> int:
        row = conn.execute(
            "UPDATE counters SET value = value + 1 WHERE name = 'article_seq' RETURNING value"
        ).fetchone()
        return int(row[0])

    @staticmethod
    def _write_article(
        conn: sqlite3.Connection,
        d: ArticleDraft,
        digest: str,
        seq: int,
        existing: sqlite3.Row | None,
    ) -> int:
        now = _now()
        values = (
            d.url,
            d.title,
            d.text,
            d.html,
            d.summary,
            d.canonical_url,
            d.guid,
            d.author,
            to_ts(d.published),
            to_ts(d.updated),
            d.image,
            d.language,
            json.dumps(list(d.categories), ensure_ascii=False),
            d.extraction_error,
            to_ts(sort_time(d.published, now)),
            d.section,
            d.section_confidence,
            d.section_decided_by,
            digest,
            seq,
        )
        if existing is not None:
            conn.execute(
                """UPDATE articles SET url=?, title=?, text=?, html=?, summary=?,
                   canonical_url=?, guid=?, author=?, published=?, updated=?, image=?,
                   language=?, categories=?, extraction_error=?, sort_time=?,
                   section=?, section_confidence=?, section_decided_by=?,
                   content_hash=?, seq=? WHERE id = ?""",
                (*values, existing["id"]),
            )
            return int(existing["id"])
        cur = conn.execute(
            """INSERT INTO articles (url, title, text, html, summary, canonical_url, guid,
               author, published, updated, image, language, categories, extraction_error,
               sort_time, section, section_confidence, section_decided_by,
               content_hash, seq, source_id, key, fetched_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (*values, d.source_id, d.key, to_ts(now)),
        )
        return int(cur.lastrowid or 0)

    def known_keys(self, source_id: int, keys: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(keys), 500):
            chunk = list(keys[i : i + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._read(
                f"SELECT key FROM articles WHERE source_id = ? AND key IN ({marks})",
                (source_id, *chunk),
            )
            found.update(r["key"] for r in rows)
        return found

    def known_urls(self, source_id: int, urls: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(urls), 500):
            chunk = list(urls[i : i + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._read(
                f"SELECT url FROM articles WHERE source_id = ? AND url IN ({marks})",
                (source_id, *chunk),
            )
            found.update(r["url"] for r in rows)
        return found

    def get_article(self, article_id: int) -> Article:
        rows = self._read(_ARTICLE_SELECT + " WHERE a.id = ?", (article_id,))
        if not rows:
            raise NotFoundError(f"no article with id {article_id}")
        return article_from_row(rows[0])

    def get_articles(self, ids: Sequence[int]) -> dict[int, Article]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._read(_ARTICLE_SELECT + f" WHERE a.id IN ({marks})", tuple(ids))
        return {r["id"]: article_from_row(r) for r in rows}

    def list_articles(self, flt: ArticleFilter) -> list[Article]:
        where: list[str] = []
        params: list[object] = []
        if flt.source_id is not None:
            where.append("a.source_id = ?")
            params.append(flt.source_id)
        if flt.language is not None:
            where.append("a.language = ?")
            params.append(flt.language)
        if flt.section is not None:
            where.append("a.section = ?")
            params.append(flt.section)
        if flt.fold_copies and flt.source_id is None:
            where.append(LEADS_ONLY)
        if not flt.include_hidden:
            where.append("a.hidden = 0")
        if flt.before is not None:
            where.append("(a.sort_time, a.id) < (?, ?)")
            params.extend([to_ts(flt.before[0]), flt.before[1]])
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        sql = _ARTICLE_SELECT + clause + " ORDER BY a.sort_time DESC, a.id DESC LIMIT ?"
        return [article_from_row(r) for r in self._read(sql, (*params, flt.limit))]

    def recent_publish_times(self, source_id: int, limit: int = 20) -> list[datetime]:
        rows = self._read(
            """SELECT sort_time FROM articles WHERE source_id = ?
               ORDER BY sort_time DESC LIMIT ?""",
            (source_id, limit),
        )
        return [datetime.fromisoformat(r["sort_time"]) for r in rows]

    def count_articles(self) -> int:
        return int(self._read("SELECT count(*) FROM articles")[0][0])

    # --- dedupe ------------------------------------------------------------------------

    def copy_candidates(self, article_id: int, window: timedelta) -> tuple[Candidate, list[Known]]:
        try:
            return copy_candidates(self._conn, article_id, window)
        except sqlite3.Error as exc:
            raise storage_error(f"find copies of article {article_id}", exc) from exc

    def record_copy(self, article_id: int, decision: DedupeDecision) -> Article:
        with self.write(f"record copies of article {article_id}") as conn:
            record_copy(conn, article_id, decision)
        return self.get_article(article_id)

    def copies_of(self, article_id: int) -> list[Article]:
        article = self.get_article(article_id)
        group = article.group_id or article.id
        rows = self._read(
            _ARTICLE_SELECT + " WHERE a.group_id = ? AND a.id <> ? ORDER BY a.sort_time, a.id",
            (group, article_id),
        )
        return [article_from_row(r) for r in rows]

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
        except sqlite3.Error as exc:
            raise storage_error(what, exc) from exc

    def related_articles(self, article_id: int, limit: int = 5) -> list[Article]:
        try:
            ids = related_ids(self._conn, article_id, limit)
        except sqlite3.Error as exc:
            raise storage_error(f"related articles of {article_id}", exc) from exc
        found = self.get_articles(ids)
        return [found[i] for i in ids if i in found]

    # --- stories -----------------------------------------------------------------------

    def save_story(self, state: StoryState, article_id: int) -> Story:
        with self.write(f"save story {state.story_id}") as conn:
            save_story(conn, state, article_id)
        return self.get_story(int(state.story_id))

    def active_stories(self, since: datetime) -> list[StoryState]:
        try:
            return active_states(self._conn, since)
        except sqlite3.Error as exc:
            raise storage_error("read active stories", exc) from exc

    def get_story(self, story_id: int) -> Story:
        try:
            return get_story(self._conn, story_id)
        except sqlite3.Error as exc:
            raise storage_error(f"read story {story_id}", exc) from exc

    def list_stories(
        self, *, since: datetime | None = None, min_size: int = 1, limit: int = 50
    ) -> list[Story]:
        try:
            return list_stories(self._conn, since, min_size, limit)
        except sqlite3.Error as exc:
            raise storage_error("list stories", exc) from exc

    def story_articles(self, story_id: int) -> list[Article]:
        rows = self._read(
            _ARTICLE_SELECT + " WHERE a.story_id = ? AND a.hidden = 0 ORDER BY a.sort_time, a.id",
            (story_id,),
        )
        return [article_from_row(r) for r in rows]

    # --- change tracking ---------------------------------------------------------------

    def changes_since(self, seq: int, limit: int = 500) -> list[tuple[int, Article]]:
        rows = self._read(_ARTICLE_SELECT + " WHERE a.seq > ? ORDER BY a.seq LIMIT ?", (seq, limit))
        return [(int(r["seq"]), article_from_row(r)) for r in rows]

    def deleted_since(self, seq: int) -> list[tuple[int, int]]:
        rows = self._read(
            "SELECT seq, article_id FROM deleted_articles WHERE seq > ? ORDER BY seq", (seq,)
        )
        return [(int(r["seq"]), int(r["article_id"])) for r in rows]
