"""tantivy implementation of :class:`~khabar.storage.protocol.SearchType` over SQLite storage.

Chosen with the setting ``search_engine = "tantivy"``. The index lives in a directory beside
the SQLite file (``<db>.tantivy/``; an in-memory database gets an in-memory index) and is kept
in sync exactly like the FTS5 one: ``update`` reads ``changes_since``/``deleted_since`` and
remembers the sequences it reached (``state.json`` beside the index, written after each
commit; replaying a batch is harmless because an article is deleted by id before it is added).

What is indexed: the analyzer's terms (``khabar.search.analyze``), space-joined and split the
way FTS5's ``unicode61`` splits them (:func:`fts5_tokens`), under a whitespace tokenizer, so
both engines see the same tokens. Queries are built programmatically from a
:class:`ParsedQuery` (:mod:`khabar.search.tantivy_query`); user text never reaches tantivy's
query parser. Filters that only change with a new article version (source, language, section,
date) run inside tantivy; the hidden flag and copy-group leadership change without one, so the
candidates are checked in SQL with exactly the conditions FTS5 uses (over-fetching until the
page is full). Totals are counted in tantivy up to :data:`TOTAL_CAP` with the hidden/copy
state as of indexing; the hits themselves are always as fresh as the database.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

import tantivy

from khabar.errors import StorageError
from khabar.search import analyzer
from khabar.search.query import ParsedQuery, Sort, parse_query
from khabar.search.results import filter_conditions, results_page
from khabar.search.tantivy_query import (
    SCHEMA_VERSION,
    TOKENIZER,
    IndexedFields,
    build_query,
    epoch_micros,
    flagged_query,
    make_document,
    make_schema,
)
from khabar.storage.sqlite.convert import from_ts
from khabar.storage.sqlite.search import SQLITE, source_ids
from khabar.types import Article, SearchPage

if TYPE_CHECKING:
    from khabar.storage.sqlite.storage import SqliteStorage

__all__ = ["TantivySearch", "index_dir"]

WRITER_HEAP: Final = 64_000_000  # bytes tantivy buffers before it writes a segment
COMMIT_EVERY: Final = 50_000  # articles between two commits of one long update
GROWTH: Final = 4  # over-fetch factor when SQL drops candidates


def index_dir(db_path: str) -> Path | None:
    """Where the index of the SQLite database at ``db_path`` lives (None: in memory)."""
    if db_path == ":memory:" or db_path.startswith("file::memory:"):
        return None
    return Path(db_path + ".tantivy")


@dataclass(slots=True)
class _State:
    """How far the index got, and which database and layout it belongs to."""

    indexed_seq: int = 0
    deleted_seq: int = 0
    analyzer_version: int = 0
    schema_version: int = SCHEMA_VERSION
    database_id: int = 0

    def fits(self, database_id: int) -> bool:
        return self.schema_version == SCHEMA_VERSION and self.database_id == database_id


class TantivySearch:
    """Search over one :class:`SqliteStorage` with a tantivy index."""

    def __init__(self, storage: SqliteStorage) -> None:
        self._storage = storage
        self._dir = index_dir(storage.path)
        self._schema = make_schema()
        self._database_id = self._identify_database()
        self._state = self._load_state()
        self._index = self._open_index()

    # --- the index and its state ---------------------------------------------------------

    @property
    def _conn(self) -> sqlite3.Connection:
        return self._storage.connection

    def _identify_database(self) -> int:
        """A random number stored in the database once: an index directory left by a deleted
        and recreated database (the demo does that) is then recognised as foreign."""
        select = "SELECT value FROM search_state WHERE name = 'tantivy_index_of'"
        row = self._conn.execute(select).fetchone()
        if row is None:
            with self._storage.write("identify the database for its search index") as conn:
                conn.execute(
                    "INSERT OR IGNORE INTO search_state (name, value) "
                    "VALUES ('tantivy_index_of', ?)",
                    (secrets.randbits(62),),
                )
                row = conn.execute(select).fetchone()
        return int(row[0])

    def _state_file(self) -> Path | None:
        return None if self._dir is None else self._dir / "state.json"

    def _load_state(self) -> _State:
        path = self._state_file()
        if path is None or not path.is_file():
            return _State(schema_version=-1)
        try:
            return _State(**json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, TypeError):
            return _State(schema_version=-1)  # unreadable: start again

    def _save_state(self) -> None:
        path = self._state_file()
        if path is None:
            return
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(_as_dict(self._state)), encoding="utf-8")
        os.replace(tmp, path)

    def _open_index(self) -> tantivy.Index:
        try:
            if self._dir is None:
                index = tantivy.Index(self._schema)
            else:
                if not self._state.fits(self._database_id) and self._dir.exists():
                    shutil.rmtree(self._dir)  # another layout or database: rebuilt from it
                self._dir.mkdir(parents=True, exist_ok=True)
                index = tantivy.Index(self._schema, path=str(self._dir), reuse=True)
        except (OSError, ValueError) as exc:
            raise StorageError(f"cannot open the search index {self._dir}: {exc}") from exc
        if not self._state.fits(self._database_id):
            self._state = _State(database_id=self._database_id)
            self._save_state()  # at once: a process opening it next must not take it as foreign
        index.register_tokenizer(TOKENIZER, _whitespace())
        return index

    # --- indexing ------------------------------------------------------------------------

    def update(self) -> int:
        """Index changed articles and drop deleted ones; returns how many rows changed.

        Another process may hold the index's single writer (``khabar update`` while the server
        runs): then nothing is done here and 0 is returned — that process indexes the same
        changes, and this one continues from the state it saved."""
        with self._storage.between_writes():
            return self._update()

    def _update(self) -> int:
        """Catch up while holding the writer, then look again once it is given back.

        A process that finds the writer busy leaves its changes to the holder, so the holder
        must check for changes after releasing it: a change stored while it committed would
        otherwise wait for the next update. Each round either indexes something or ends."""
        done = 0
        while True:
            saved = self._saved_state()
            if saved != self._state:
                self._state = saved
                self._index.reload()  # another process committed: search its commits at once
            if not self._behind():
                return done
            writer = self._try_writer()
            if writer is None:
                return done  # its holder looks again after giving it back
            try:
                self._state = self._saved_state()  # the other writer may have gone further
                indexed = self._catch_up(writer)
            finally:
                writer.wait_merging_threads()  # gives the lock back
            if not indexed:
                return done
            done += indexed

    def _behind(self) -> bool:
        return (
            self._state.analyzer_version != _analyzer_version()
            or bool(self._storage.deleted_since(self._state.deleted_seq))
            or bool(self._storage.changes_since(self._state.indexed_seq, limit=1))
        )

    def _catch_up(self, writer: tantivy.IndexWriter) -> int:
        done = 0
        if self._state.analyzer_version != _analyzer_version():
            self._reset(writer)
        deleted = self._storage.deleted_since(self._state.deleted_seq)
        for _, article_id in deleted:
            writer.delete_documents_by_term("id", article_id)
        if deleted:
            self._state.deleted_seq = deleted[-1][0]
            done += len(deleted)
        pending = 0
        while changes := self._storage.changes_since(self._state.indexed_seq):
            self._add(writer, [a for _, a in changes])
            self._state.indexed_seq = changes[-1][0]
            done += len(changes)
            pending += len(changes)
            if pending >= COMMIT_EVERY:
                self._commit(writer)
                pending = 0
        self._commit(writer)
        return done

    def _saved_state(self) -> _State:
        """The state another process may have saved; the one in memory when there is none."""
        saved = self._load_state()
        return saved if saved.fits(self._database_id) else self._state

    def load(self, documents: Iterable[IndexedFields], seq: int) -> int:
        """Bulk-load documents analyzed elsewhere (benchmarks, rebuilds) in one commit.

        The caller guarantees they are the articles up to change sequence ``seq``, analyzed
        with today's analyzer; the index then counts as caught up with ``seq``."""
        writer = self._writer()
        added = 0
        try:
            if self._state.analyzer_version != _analyzer_version():
                self._reset(writer)
            for fields in documents:
                writer.delete_documents_by_term("id", fields.article_id)
                writer.add_document(fields.document())
                added += 1
            self._state.indexed_seq = max(self._state.indexed_seq, seq)
            self._commit(writer)
        finally:
            writer.wait_merging_threads()
        return added

    def _writer(self) -> tantivy.IndexWriter:
        writer = self._try_writer()
        if writer is None:
            raise StorageError(f"search index {self._dir} is being written by another process")
        return writer

    def _try_writer(self) -> tantivy.IndexWriter | None:
        try:
            return self._index.writer(WRITER_HEAP, 1)
        except ValueError as exc:
            if "LockBusy" in str(exc):
                return None
            raise StorageError(f"cannot write the search index {self._dir}: {exc}") from exc

    def _reset(self, writer: tantivy.IndexWriter) -> None:
        writer.delete_all_documents()
        row = self._conn.execute("SELECT coalesce(max(seq), 0) FROM deleted_articles").fetchone()
        self._state = _State(
            deleted_seq=int(row[0]),
            analyzer_version=_analyzer_version(),
            database_id=self._database_id,
        )

    def _add(self, writer: tantivy.IndexWriter, articles: Sequence[Article]) -> None:
        times = self._sort_times([a.id for a in articles])
        for article in articles:
            writer.delete_documents_by_term("id", article.id)
            when = times.get(article.id, epoch_micros(article.sort_time))
            writer.add_document(make_document(article, when))

    def _sort_times(self, ids: Sequence[int]) -> dict[int, int]:
        """The ``sort_time`` column of ``ids`` (what the SQL date filters compare)."""
        marks = ",".join("?" * len(ids))
        rows = self._conn.execute(
            f"SELECT id, sort_time FROM articles WHERE id IN ({marks})", list(ids)
        ).fetchall()
        out: dict[int, int] = {}
        for r in rows:
            moment = from_ts(r[1])
            if moment is not None:
                out[int(r[0])] = epoch_micros(moment)
        return out

    def _commit(self, writer: tantivy.IndexWriter) -> None:
        writer.commit()
        self._save_state()
        self._index.reload()

    # --- searching -----------------------------------------------------------------------

    def search(
        self, query: str, *, limit: int = 20, offset: int = 0, sort: Sort | None = None
    ) -> SearchPage:
        parsed = parse_query(query, sort=sort)
        if parsed.is_empty:
            return SearchPage(query, (), 0, offset, limit)
        sources = source_ids(self._conn, parsed.filters.sources)
        where, params = filter_conditions(parsed.filters, sources, SQLITE)
        if where is None:
            return SearchPage(query, (), 0, offset, limit)
        plan = _Search(self._index.searcher(), self._schema, parsed, sources)
        ranked, every = self._page(plan, where, params, offset + limit)
        rows = ranked[offset:]
        total = every if every is not None else max(plan.count(), offset + len(rows))
        return results_page(
            parsed, rows, total, self._storage.get_articles, offset=offset, limit=limit
        )

    def _page(
        self, plan: _Search, where: list[str], params: list[object], need: int
    ) -> tuple[list[tuple[int, float]], int | None]:
        """The first ``need`` valid hits in order, fetching more candidates until enough;
        with the exact number of valid hits when every match was fetched."""
        want = need * 2 + 10
        while True:
            candidates, complete = plan.top(want)
            valid = self._valid(candidates, where, params)
            ranked = _rank(plan.by_date, candidates, valid, complete)
            if complete:
                return ranked[:need], len(ranked)
            if len(ranked) >= need:
                return ranked[:need], None
            want *= GROWTH

    def _valid(
        self, candidates: Sequence[tuple[int, float, int]], where: list[str], params: list[object]
    ) -> dict[int, str]:
        """id → sort_time of the candidates that pass the SQL conditions right now.

        ``NOT INDEXED``: the candidates are looked up by id; otherwise SQLite may walk the
        index of a filter's column instead (``source:`` through ``articles_by_source_url``
        reads every article of the outlet: ~60 ms at 1,000,000 articles instead of ~1 ms)."""
        if not candidates:
            return {}
        ids = [c[0] for c in candidates]
        found: dict[int, str] = {}
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            sql = (
                f"SELECT a.id, a.sort_time FROM articles AS a NOT INDEXED WHERE a.id IN "
                f"({','.join('?' * len(chunk))})" + "".join(f" AND {w}" for w in where)
            )
            for row in self._conn.execute(sql, [*chunk, *params]):
                found[int(row[0])] = str(row[1])
        return found


class _Search:
    """One query against one searcher: its candidates in engine order, and its count."""

    def __init__(
        self,
        searcher: tantivy.Searcher,
        schema: tantivy.Schema,
        parsed: ParsedQuery,
        sources: Sequence[int],
    ) -> None:
        self.searcher = searcher
        self.by_date = not parsed.has_match or parsed.sort == "date"
        self.query = build_query(schema, parsed, sources)
        self.flagged = flagged_query(schema, self.query, parsed)
        self.matches: int | None = None  # every match, counted by the last top()

    def top(self, want: int) -> tuple[list[tuple[int, float, int]], bool]:
        """(id, score, sort_time µs) of the best ``want``; True when that is every match."""
        order = "sort_time" if self.by_date else None
        result = self.searcher.search(self.query, want, count=True, order_by_field=order)
        self.matches = _count(result)
        addresses = [address for _, address in result.hits]
        ids = self.searcher.fast_field_values("id", addresses)
        times = self.searcher.fast_field_values("sort_time", addresses)
        rows = [
            (int(i or 0), 0.0 if self.by_date else float(score), int(t or 0))
            for (score, _), i, t in zip(result.hits, ids, times, strict=True)
        ]
        return rows, len(rows) < want

    def count(self) -> int:
        """Matches not hidden nor folded as of indexing: every match (counted along with the
        top hits, in the same pass) minus the flagged ones (few, so counted cheaply)."""
        if self.matches is None:
            self.matches = _count(self.searcher.search(self.query, 1, count=True))
        return self.matches - _count(self.searcher.search(self.flagged, 1, count=True))


def _count(result: tantivy.SearchResult) -> int:
    found: int | None = getattr(result, "count", None)  # missing from the type stubs
    return found or 0


def _rank(
    by_date: bool,
    candidates: Sequence[tuple[int, float, int]],
    valid: dict[int, str],
    complete: bool,
) -> list[tuple[int, float]]:
    """Valid candidates in FTS5's order (score, then newest, then highest id).

    By date, candidates that tie with the last one fetched may have more ties not fetched
    yet: unless every match is in hand they are left out (the caller fetches more)."""
    kept = [c for c in candidates if c[0] in valid]
    if by_date and not complete and candidates:
        edge = candidates[-1][2]
        kept = [c for c in kept if c[2] > edge]
    kept.sort(key=lambda c: (valid[c[0]], c[0]), reverse=True)
    if not by_date:
        kept.sort(key=lambda c: c[1], reverse=True)  # stable: ties stay newest first
    return [(c[0], c[1]) for c in kept]


def _whitespace() -> tantivy.TextAnalyzer:
    return tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()


def _analyzer_version() -> int:
    return int(getattr(analyzer, "ANALYZER_VERSION", 1))


def _as_dict(state: _State) -> dict[str, int]:
    return {
        "indexed_seq": state.indexed_seq,
        "deleted_seq": state.deleted_seq,
        "analyzer_version": state.analyzer_version,
        "schema_version": state.schema_version,
        "database_id": state.database_id,
    }
