"""The write stage for many workers: one writer at a time for the whole database.

Dedupe compares an arriving article with what storage already holds, and story assignment
compares it with the active stories. Two workers writing copies of one wire story at the same
moment would each see the other's copy missing and both store an "original". So every write
(store → link copies → assign a story, :class:`~khabar.writer.ArticleWriter`) runs in **one
transaction holding a database-wide advisory lock** (``WRITE_LOCK``): writes from all workers
are serialized, and a worker killed mid-write leaves nothing behind (the transaction rolls
back, the lock goes with the connection, the job is retried and writes everything again).

Stories: the :class:`~khabar.stories.link.StoryLinker` keeps the active stories in memory.
Another worker's writes change them, so inside the lock each worker first brings its copy up
to date: every write appends a row to ``khabar_write_log`` (the story it touched and the
article change counter after it); a worker reloads just the stories logged since its last
look. ``khabar update``, ``run`` and ``import`` on PostgreSQL write through this class too
(:func:`khabar.writer.article_writer`). When the change counter moved without a logged write
(some process wrote without this writer, e.g. ``migrate-db`` or an older Khabar) or the log
was pruned past its view, it reloads every active story instead. A failed write drops the in-memory
copy (it may hold the rolled-back assignment); the next write reloads it.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from khabar.distributed.schema import ensure_coordination_tables
from khabar.settings import Settings
from khabar.storage import UpsertOutcome
from khabar.storage.postgres.storage import Connection, PostgresStorage
from khabar.storage.story_codec import decode_state
from khabar.stories.cluster import StoryState
from khabar.stories.link import StoryLinker, cluster_settings
from khabar.types import AnalyzedArticle, FeedEntry, Source
from khabar.writer import ArticleWriter

__all__ = ["WRITE_LOCK", "SerializedWriter", "WriteStats"]

WRITE_LOCK = (0x6B68, 10)  # (classid, objid) of the advisory lock every write holds
LOG_KEEP = 10_000  # log rows kept; a worker that fell further behind reloads every story
PRUNE_EVERY = 1_000  # writes between two prunings of the log
_HEAD = """SELECT coalesce((SELECT value FROM counters WHERE name = 'article_seq'), 0) AS current,
    (SELECT min(seq) FROM khabar_write_log) AS oldest"""


@dataclass(slots=True)
class WriteStats:
    """What the write stage cost this worker (seconds are wall time)."""

    writes: int = 0
    waited: float = 0.0
    """Waiting for the lock (other workers writing)."""
    held: float = 0.0
    """Holding it: syncing stories, storing, linking copies, assigning the story, commit."""
    full_reloads: int = 0
    refreshed: int = 0
    """Stories reloaded one by one because another worker changed them."""


@dataclass(frozen=True, slots=True)
class _View:
    """How far this worker's stories are up to date: a log position and the change counter."""

    log_seq: int
    article_seq: int


class _SyncedLinker(StoryLinker):
    def refresh(self, states: Iterable[StoryState]) -> None:
        """Replace the in-memory copies of these stories with their stored state."""
        for state in states:
            self._clusterer.restore(state)


@dataclass
class _LinkedWriter(ArticleWriter):
    """An ArticleWriter whose story linker is the one :class:`SerializedWriter` keeps in step."""

    linker: _SyncedLinker | None = None

    @property
    def stories(self) -> StoryLinker:
        if self.linker is None:
            raise RuntimeError("the story linker is loaded inside the write lock")
        return self.linker


@dataclass
class SerializedWriter:
    """Writes articles one at a time across all workers (see the module docstring)."""

    storage: PostgresStorage
    settings: Settings
    stats: WriteStats = field(default_factory=WriteStats)
    _writer: _LinkedWriter = field(init=False)
    _view: _View | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self._writer = _LinkedWriter(self.storage, self.settings)
        ensure_coordination_tables(self.storage.connection)  # the write log

    def write(self, source: Source, entry: FeedEntry, analyzed: AnalyzedArticle) -> UpsertOutcome:
        """Store one analyzed entry, link its copies and assign its story, atomically."""
        asked = time.perf_counter()
        try:
            with self.storage.one_transaction() as conn:
                conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", WRITE_LOCK)
                got = time.perf_counter()
                self._sync(conn)
                outcome = self._writer.write_linked(source, entry, analyzed)
                if outcome.created or outcome.changed:
                    self._log(conn, outcome)
        except BaseException:
            self._forget()
            raise
        done = time.perf_counter()
        self.stats.writes += 1
        self.stats.waited += got - asked
        self.stats.held += done - got
        return outcome

    def _forget(self) -> None:
        self._view = None
        self._writer.linker = None

    def _sync(self, conn: Connection) -> None:
        head = conn.execute(_HEAD).fetchone()  # one round trip: counter and oldest log row
        current = int(head["current"]) if head else 0
        oldest = head["oldest"] if head else None
        view = self._view
        if view is None or self._writer.linker is None:
            self._reload(conn, current)
            return
        rows = conn.execute(
            "SELECT seq, article_seq, story_id FROM khabar_write_log WHERE seq > %s ORDER BY seq",
            (view.log_seq,),
        ).fetchall()
        expected = int(rows[-1]["article_seq"]) if rows else view.article_seq
        pruned = oldest is not None and int(oldest) > view.log_seq + 1
        if expected != current or pruned:
            self._reload(conn, current)
            return
        changed = sorted({int(r["story_id"]) for r in rows if r["story_id"] is not None})
        if changed:
            states = conn.execute(
                "SELECT state FROM stories WHERE id = ANY(%s) ORDER BY id", (changed,)
            ).fetchall()
            self._writer.linker.refresh(decode_state(bytes(r["state"])) for r in states)
            self.stats.refreshed += len(changed)
        if rows:
            self._view = _View(int(rows[-1]["seq"]), expected)

    def _reload(self, conn: Connection, current: int) -> None:
        window = cluster_settings(self.settings.story_window_hours)
        self._writer.linker = _SyncedLinker(self.storage, window)
        row = conn.execute("SELECT coalesce(max(seq), 0) AS seq FROM khabar_write_log").fetchone()
        self._view = _View(int(row["seq"]) if row else 0, current)
        self.stats.full_reloads += 1

    def _log(self, conn: Connection, outcome: UpsertOutcome) -> None:
        row = conn.execute(  # the counter is read in the same statement
            """INSERT INTO khabar_write_log (article_seq, story_id)
               SELECT coalesce((SELECT value FROM counters WHERE name = 'article_seq'), 0), %s
               RETURNING seq, article_seq""",
            (outcome.article.story_id if outcome.created else None,),
        ).fetchone()
        assert row is not None  # INSERT … RETURNING gives one row
        seq = int(row["seq"])
        self._view = _View(seq, int(row["article_seq"]))
        if seq % PRUNE_EVERY == 0:
            conn.execute("DELETE FROM khabar_write_log WHERE seq <= %s", (seq - LOG_KEEP,))
