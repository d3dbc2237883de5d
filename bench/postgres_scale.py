"""PostgreSQL at scale: bulk load, disk, GIN build, search latency, and worker ingest on top.

Documents: the ones ``bench/search_speed.py`` builds (its read-only ``Corpus``: ANT titles and
real paragraphs recombined, seeded), so both benchmarks index the same N documents. Every
title and paragraph is analyzed ONCE (``khabar.search.analyze``; a document's terms are its
paragraphs' terms in order, checked on the first 200 documents against the backend's own
``tsvector`` of the whole text). Rows go to PostgreSQL with ``COPY`` in batches: ``articles``
(with its B-tree indexes in place) and ``article_terms`` (the analyzer terms as a ``tsvector``,
weights and positions exactly as ``PostgresSearch.update`` writes them). The GIN index is
dropped before the load and built afterwards (timed), then ``VACUUM ANALYZE``; the counters
are set as if ``search.update()`` had indexed every row (checked: it finds nothing to do).

Search: ``fixed_queries()`` of ``bench/search_speed.py`` (1,000 seeded queries: single words,
two words, phrases, word + filter), each ``PostgresSearch.search(q, limit=20)`` — parse,
tsquery, SQL (rank, count), loading the hits, snippets — in this process after a warm-up of
100 queries. ``--sqlite`` writes the same documents and terms to a SQLite FTS5 installation in
the same loop (``--no-fts5``: the articles only, as a tantivy installation holds them), and
``--tantivy-for FILE --docs N`` (its own process, alongside the load or after it) builds that
twin's tantivy index — the default engine of a SQLite installation — through the product's
bulk path ``TantivySearch.load``. ``--engines`` picks which of PostgreSQL, SQLite tantivy and
SQLite FTS5 are timed, one after the other on the same queries; the report compares their
totals per query and lists the disk size of each (PostgreSQL relations, SQLite tables, the
tantivy directory).

Ingest: ``--workers 1 2 4`` copies the loaded database (``CREATE DATABASE … TEMPLATE``) once
per worker count and runs that many ``khabar worker`` processes on it, ingesting the demo
mirror (``--pages-scale`` × 500 real pages, local HTTP server) into the N-article database —
the pipeline of ``bench/distributed.py`` on a full database. The bulk-loaded documents carry
search terms but no dedupe fingerprints, entities or stories (those are only made by the
write path, at ~10 articles/s: 28 h for 1M on this machine).

The cluster is a throwaway one (``tests/support/postgres.py``) with fsync off and
``shared_buffers=1GB``, ``maintenance_work_mem=1GB``, ``work_mem=64MB``.

Usage: python bench/postgres_scale.py --docs N [--sqlite [--no-fts5]] [--workers 1 2 4]
[--pages-scale 2] [--load-only --keep DIR]; then --url URL --sqlite-file DIR/scale.db
[--engines postgres tantivy fts5].
Before/after on one kept database: ``--url URL --save-hits H`` with the old code on
``PYTHONPATH``, then ``--url URL --same-hits-as H`` with the new: same totals and pages?
Needs ../shared/data/ant/train.jsonl.gz.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import psycopg

from distributed import run_workers
from ingest import MirrorProcess
from search_common import add_sources, db_size, markdown_table
from search_speed import (
    Corpus,
    Latencies,
    fixed_queries,
    percentiles,
    table_sizes,
    time_queries,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.postgres import SERVER_OPTIONS, PostgresCluster

from khabar.search.analyzer import ANALYZER_VERSION, analyze
from khabar.search.tantivy_engine import TantivySearch, index_dir
from khabar.search.tantivy_query import IndexedFields, epoch_micros, indexed_text
from khabar.storage import open_storage
from khabar.storage.postgres.storage import PostgresStorage
from khabar.storage.postgres.tsearch import tsvector_literal
from khabar.storage.sqlite.convert import to_ts
from khabar.storage.sqlite.storage import SqliteStorage
from khabar.types import ArticleDraft

BATCH: Final = 20_000
TUNING: Final = (
    " -c shared_buffers=1GB -c maintenance_work_mem=1GB -c work_mem=64MB"
    " -c max_wal_size=8GB -c checkpoint_timeout=30min"
)
_PG_COLUMNS: Final = (
    "id, source_id, key, url, title, text, html, published, language, fetched_at,"
    " sort_time, content_hash, seq"
)
_SQLITE_ARTICLE: Final = """INSERT INTO articles (id, source_id, key, url, title, text, html,
    published, language, fetched_at, sort_time, content_hash, seq)
    VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, 'bench', ?)"""
Doc = tuple[ArticleDraft, int, list[int]]


class TunedCluster(PostgresCluster):
    """The test cluster with memory for a 1M-row GIN build."""

    def _start_server(self) -> None:
        options = f"{SERVER_OPTIONS}{TUNING} -p {self.port} -k {self.root}"
        log = str(self.data_dir / "server.log")
        self._pg("pg_ctl", ["-D", str(self.data_dir), "-o", options, "-l", log, "-w", "start"])


@dataclass
class LoadTimes:
    analyze: float = 0.0
    terms: float = 0.0  # building tsvector literals (Python)
    articles: float = 0.0  # COPY articles
    copy_terms: float = 0.0  # COPY article_terms
    gin: float = 0.0
    vacuum: float = 0.0
    sqlite: float = 0.0
    docs: int = 0
    progress: list[str] = field(default_factory=list)


class Terms:
    """Analyzer terms of ANT titles and paragraphs, each analyzed once."""

    def __init__(self, corpus: Corpus, times: LoadTimes) -> None:
        self.corpus = corpus
        self.times = times
        self._titles: dict[int, list[str]] = {}
        self._paragraphs: dict[int, list[str]] = {}

    def of(self, base: int, chosen: Sequence[int]) -> tuple[list[str], list[str]]:
        title = self._memo(self._titles, base, self.corpus.bases[base].title)
        body = [t for p in chosen for t in self._memo(self._paragraphs, p, self.corpus.pool[p])]
        return title, body

    def _memo(self, memo: dict[int, list[str]], key: int, text: str) -> list[str]:
        found = memo.get(key)
        if found is None:
            start = time.perf_counter()
            found = memo[key] = analyze(text)
            self.times.analyze += time.perf_counter() - start
        return found


class Loader:
    """COPY batches of documents into PostgreSQL (and SQLite FTS5 with ``sqlite_path``)."""

    def __init__(
        self, url: str, corpus: Corpus, sqlite_path: Path | None, fts5: bool = True
    ) -> None:
        self.fts5 = fts5
        self.conn = psycopg.connect(url, autocommit=True)
        self.times = LoadTimes()
        self.terms = Terms(corpus, self.times)
        self.now = datetime.now(UTC)
        self.lite = sqlite3.connect(sqlite_path, isolation_level=None) if sqlite_path else None
        if self.lite is not None:
            self.lite.execute("PRAGMA synchronous=NORMAL")

    def add(self, docs: Sequence[Doc]) -> None:
        first = self.times.docs + 1
        ids = range(first, first + len(docs))
        terms = [self.terms.of(base, chosen) for _, base, chosen in docs]
        start = time.perf_counter()
        vectors = [tsvector_literal(t, b) for t, b in terms]
        self.times.terms += time.perf_counter() - start
        rows = [self._row(i, d) for i, (d, _, _) in zip(ids, docs, strict=True)]
        with self.conn.transaction():
            self._copy("articles", f"COPY articles ({_PG_COLUMNS}) FROM STDIN", rows)
            self._copy(
                "copy_terms",
                "COPY article_terms (article_id, terms) FROM STDIN",
                list(zip(ids, vectors, strict=True)),
            )
        if self.lite is not None:
            self._sqlite(ids, [d for d, _, _ in docs], terms)
        self.times.docs += len(docs)

    def _moment(self, d: ArticleDraft) -> datetime:
        return min(d.published, self.now) if d.published else self.now

    def _row(self, i: int, d: ArticleDraft) -> tuple[Any, ...]:
        moment = self._moment(d)
        return (
            i,
            d.source_id,
            d.key,
            d.url,
            d.title,
            d.text,
            "",
            d.published,
            d.language,
            self.now,
            moment,
            "bench",
            i,
        )

    def _copy(self, stage: str, sql: str, rows: Sequence[tuple[Any, ...]]) -> None:
        start = time.perf_counter()
        with self.conn.cursor() as cur, cur.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
        setattr(self.times, stage, getattr(self.times, stage) + time.perf_counter() - start)

    def _sqlite(
        self, ids: range, drafts: Sequence[ArticleDraft], terms: Sequence[tuple[list[str], ...]]
    ) -> None:
        assert self.lite is not None
        start = time.perf_counter()
        now = to_ts(self.now)
        rows = [
            (i, d.source_id, d.key, d.url, d.title, d.text, to_ts(d.published), d.language, now)
            for i, d in zip(ids, drafts, strict=True)
        ]
        rows = [
            (*row, to_ts(self._moment(d)), i) for row, d, i in zip(rows, drafts, ids, strict=True)
        ]
        fts = [(i, " ".join(t), " ".join(b)) for i, (t, b) in zip(ids, terms, strict=True)]
        self.lite.execute("BEGIN IMMEDIATE")
        self.lite.executemany(_SQLITE_ARTICLE, rows)
        counters: list[tuple[str, str, int]] = [("counters", "article_seq", ids[-1])]
        if self.fts5:  # without: the articles alone, as a tantivy installation has them
            self.lite.executemany(
                "INSERT INTO article_terms (rowid, title, body) VALUES (?, ?, ?)", fts
            )
            counters += [
                ("search_state", "indexed_seq", ids[-1]),
                ("search_state", "analyzer_version", ANALYZER_VERSION),
            ]
        for table, name, value in counters:
            self.lite.execute(f"UPDATE {table} SET value = ? WHERE name = ?", (value, name))
        self.lite.execute("COMMIT")
        self.times.sqlite += time.perf_counter() - start

    def check(self, docs: Sequence[Doc]) -> None:
        """Paragraph-wise terms give the tsvector the backend writes for the whole text."""
        for d, base, chosen in docs:
            whole = tsvector_literal(analyze(d.title), analyze(d.text))
            if whole != tsvector_literal(*self.terms.of(base, chosen)):
                raise SystemExit(f"paragraph-wise analysis differs for document {d.key}")

    def finish(self) -> None:
        n = self.times.docs
        conn = self.conn
        conn.execute("UPDATE counters SET value = %s WHERE name = 'article_seq'", (n,))
        for name, value in (("indexed_seq", n), ("analyzer_version", ANALYZER_VERSION)):
            conn.execute("UPDATE search_state SET value = %s WHERE name = %s", (value, name))
        conn.execute("SELECT setval(pg_get_serial_sequence('articles', 'id'), %s)", (n,))
        start = time.perf_counter()
        conn.execute("CREATE INDEX article_terms_search ON article_terms USING gin (terms)")
        self.times.gin = time.perf_counter() - start
        start = time.perf_counter()
        conn.execute("VACUUM ANALYZE articles")
        conn.execute("VACUUM ANALYZE article_terms")
        self.times.vacuum = time.perf_counter() - start
        conn.close()
        if self.lite is not None:
            self.lite.close()


class TantivyTwin:
    """tantivy's index beside the SQLite twin, as a tantivy installation (the default engine)
    has it: the same documents through the product's bulk path ``TantivySearch.load`` (as
    ``bench/search_speed.py --engines tantivy``), each title and paragraph analyzed once.

    Runs in its own process, alongside or after the load (``--tantivy-for FILE``): the
    documents are generated again (seeded) and numbered as the load numbers them; a document's
    time is its publication time (the load's ``now`` for the few without one, all later than
    every published one in both stores, so the order is the same)."""

    def __init__(self, sqlite_path: Path, corpus: Corpus) -> None:
        self.store = SqliteStorage(str(sqlite_path), search_engine="tantivy")
        engine = self.store.search
        if not isinstance(engine, TantivySearch):
            raise SystemExit("search_engine=tantivy did not give a TantivySearch")
        self.engine = engine
        self.corpus = corpus
        self.now = datetime.now(UTC)
        self._text: dict[tuple[bool, int], str] = {}

    def sources(self) -> dict[str, int]:
        rows = self.store.connection.execute("SELECT id, title FROM sources").fetchall()
        return {str(title): int(sid) for sid, title in rows}

    def build(self, n: int) -> float:
        start = time.perf_counter()
        batch: list[IndexedFields] = []
        for i, (d, base, chosen) in enumerate(self.corpus.parts(n, self.sources()), 1):
            batch.append(self._fields(i, d, base, chosen))
            if len(batch) >= BATCH or i == n:
                self.engine.load(batch, seq=i)
                batch = []
                print(f"  tantivy {i:,} docs in {time.perf_counter() - start:.0f} s", flush=True)
        self.store.close()
        return time.perf_counter() - start

    def _fields(self, i: int, d: ArticleDraft, base: int, chosen: Sequence[int]) -> IndexedFields:
        title = self._indexed(True, base, self.corpus.bases[base].title)
        body = " ".join(
            t for t in (self._indexed(False, p, self.corpus.pool[p]) for p in chosen) if t
        )
        moment = min(d.published, self.now) if d.published else self.now
        return IndexedFields(i, title, body, d.source_id, epoch_micros(moment), language=d.language)

    def _indexed(self, title: bool, key: int, text: str) -> str:
        found = self._text.get((title, key))
        if found is None:
            found = self._text[(title, key)] = indexed_text(analyze(text))
        return found


# --- the run -----------------------------------------------------------------------------


@dataclass
class Result:
    docs: int
    times: LoadTimes
    load_seconds: float
    sizes: dict[str, int]
    latencies: dict[str, Latencies]
    sqlite_sizes: dict[str, int] = field(default_factory=dict)
    workers: list[dict[str, float]] = field(default_factory=list)


def load(
    url: str, corpus: Corpus, n: int, sqlite_path: Path | None, fts5: bool = True
) -> tuple[LoadTimes, float]:
    store = PostgresStorage(url)  # creates the schema
    sources = add_sources(store, (b.src for b in corpus.bases))
    store.connection.execute("DROP INDEX article_terms_search")
    store.close()
    if sqlite_path is not None:
        lite = open_storage(f"sqlite:///{sqlite_path}", search_engine="fts5")
        if add_sources(lite, (b.src for b in corpus.bases)) != sources:
            raise SystemExit("SQLite and PostgreSQL source ids differ")
        lite.close()
    loader = Loader(url, corpus, sqlite_path, fts5)
    wall = time.perf_counter()
    for batch in _batches(corpus.parts(n, sources), BATCH):
        if loader.times.docs == 0:
            loader.check(batch[:200])
        loader.add(batch)
        print(f"  {loader.times.docs:,} docs in {time.perf_counter() - wall:.0f} s", flush=True)
    loader.finish()
    return loader.times, time.perf_counter() - wall


def _batches(docs: Iterator[Doc], size: int) -> Iterator[list[Doc]]:
    batch: list[Doc] = []
    for d in docs:
        batch.append(d)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def pg_sizes(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            """SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c
               JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE c.relkind = 'r' AND n.nspname = 'public'"""
        ).fetchall()
        sizes = {str(name): int(size) for name, size in rows if size > 1 << 20}
        gin = conn.execute("SELECT pg_relation_size('article_terms_search')").fetchone()
        total = conn.execute("SELECT pg_database_size(current_database())").fetchone()
    sizes["(GIN index alone)"] = int(gin[0]) if gin else 0
    sizes["database total"] = int(total[0]) if total else 0
    return sizes


ENGINES: Final = ("postgres", "tantivy", "fts5")
_ENGINE_NAMES: Final = {
    "postgres": "PostgreSQL",
    "tantivy": "SQLite tantivy",
    "fts5": "SQLite FTS5",
}


def search_latencies(
    url: str, sqlite_path: Path | None, corpus: Corpus, engines: Sequence[str]
) -> dict[str, Latencies]:
    """The same queries on each engine in turn (PostgreSQL, then the SQLite twin's)."""
    queries = fixed_queries(corpus)
    out: dict[str, Latencies] = {}
    for engine in engines:
        if engine == "postgres":
            store: Any = PostgresStorage(url)
        elif sqlite_path is None:
            continue
        else:
            store = open_storage(f"sqlite:///{sqlite_path}", search_engine=engine)
        if store.search.update() != 0:
            raise SystemExit(f"the bulk load left articles unindexed ({engine})")
        print(f"  {_ENGINE_NAMES[engine]} from {datetime.now(UTC):%H:%M:%S}, {_load()}", flush=True)
        out[_ENGINE_NAMES[engine]] = time_queries(store, queries)
        store.close()
        p = percentiles(out[_ENGINE_NAMES[engine]].all())
        print(
            f"  {_ENGINE_NAMES[engine]}: p50 {p[0]:.1f} p95 {p[1]:.1f} p99 {p[2]:.1f} ms"
            f" (until {datetime.now(UTC):%H:%M:%S}, {_load()})",
            flush=True,
        )
    return out


def _load() -> str:
    return "load average " + " ".join(f"{v:.2f}" for v in os.getloadavg())


def sqlite_sizes(sqlite_path: Path) -> dict[str, int]:
    """The SQLite twin: file, its tables by group (dbstat), and the tantivy directory."""
    sizes = {"SQLite file (with WAL)": db_size(sqlite_path)}
    sizes.update({f"  {k}": v for k, v in table_sizes(sqlite_path).items()})
    tantivy = index_dir(str(sqlite_path))
    if tantivy is not None and tantivy.is_dir():
        sizes["tantivy directory"] = sum(
            f.stat().st_size for f in tantivy.rglob("*") if f.is_file()
        )
    return sizes


def ingest(
    admin_url: str, template: str, workers: Sequence[int], scale: int
) -> list[dict[str, float]]:
    """Worker ingest of the demo mirror into copies of the loaded database."""
    mirror = MirrorProcess(scale)
    base = admin_url.rsplit("/", 1)[0]
    results = []
    try:
        for n in workers:
            name = f"bench_ingest_{n}"
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            r = run_workers(None, mirror, n, 4, url=f"{base}/{name}")
            print(f"  {n} workers: {r['articles_per_s']:.1f} articles/s", flush=True)
            results.append(r)
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
    finally:
        mirror.stop()
    return results


def run(args: argparse.Namespace, tmp: Path) -> Result:
    corpus = Corpus()
    print(f"ANT pool: {len(corpus.bases)} articles, {len(corpus.pool)} paragraphs", flush=True)
    if args.url:  # measure a database loaded (and kept) by an earlier run
        return measure(args, corpus, args.url, args.sqlite_file, LoadTimes(), 0.0)
    sqlite_path = (args.keep or tmp) / "scale.db" if args.sqlite else None
    cluster = TunedCluster().start()
    try:
        url = cluster.create_database("bench_scale")
        times, seconds = load(url, corpus, args.docs, sqlite_path, not args.no_fts5)
        print(f"  GIN {times.gin:.0f} s, vacuum analyze {times.vacuum:.0f} s", flush=True)
        if args.load_only:
            return Result(times.docs, times, seconds, pg_sizes(url), {})
        return measure(args, corpus, url, sqlite_path, times, seconds)
    finally:
        if args.keep:
            print(f"kept: --url {url} --sqlite-file {sqlite_path} (root {cluster.root})")
        else:
            cluster.stop()


def measure(
    args: argparse.Namespace,
    corpus: Corpus,
    url: str,
    sqlite_path: Path | None,
    times: LoadTimes,
    seconds: float,
) -> Result:
    sizes = pg_sizes(url)
    engines = [] if args.no_search else args.engines
    latencies = search_latencies(url, sqlite_path, corpus, engines)
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT count(*) FROM articles").fetchone()
    result = Result(int(row[0]) if row else 0, times, seconds, sizes, latencies)
    if sqlite_path is not None:
        result.sqlite_sizes = sqlite_sizes(sqlite_path)
    if args.workers:
        admin = url.rsplit("/", 1)[0] + "/postgres"
        template = url.rsplit("/", 1)[1]
        result.workers = ingest(admin, template, args.workers, args.pages_scale)
    return result


# --- the report --------------------------------------------------------------------------


def _mib(size: int) -> str:
    return f"{size / 2**20:,.0f} MiB"


def _ms(values: Sequence[float]) -> str:
    return " / ".join(f"{v:.1f}" for v in percentiles(values))


def report(args: argparse.Namespace, r: Result, started: datetime, wall: float) -> str:
    t = r.times
    pg_version = os.path.basename(os.path.dirname(str(PostgresCluster().bin_dir)))
    lines = [
        f"### PostgreSQL at {r.docs:,} documents (`bench/postgres_scale.py`) — "
        f"{started:%Y-%m-%d %H:%M} UTC — {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} cores (shared), Python {platform.python_version()}, "
        f"PostgreSQL {pg_version}, SQLite {sqlite3.sqlite_version}",
        "",
        f"`.venv/bin/python bench/postgres_scale.py {' '.join(args.argv)}` "
        f"(whole run {wall / 60:.0f} min). Throwaway cluster, fsync off, shared_buffers 1GB.",
        "",
    ]
    if t.docs:
        lines += load_lines(r)
    lines += ["", "Disk (pg_total_relation_size, tables over 1 MiB, with their indexes and TOAST):"]
    lines += [""]
    lines.append(markdown_table(("relation", "size"), [(k, _mib(v)) for k, v in r.sizes.items()]))
    if r.sqlite_sizes:
        lines += ["", "SQLite twin (the same documents; dbstat groups of its file):", ""]
        rows = [(k, _mib(v)) for k, v in r.sqlite_sizes.items()]
        lines.append(markdown_table(("part", "size"), rows))
    if r.latencies:
        lines += ["", "Search, 1,000 fixed queries, `search(q, limit=20)`, ms p50 / p95 / p99:"]
        lines += ["", latency_table(r.latencies)]
        lines += _agreement_lines(r.latencies)
        if "PostgreSQL" in r.latencies:
            lines += _hits_lines(args, r.latencies["PostgreSQL"])
    if r.workers:
        lines += ["", worker_table(r)]
    return "\n".join(lines)


def _agreement_lines(latencies: dict[str, Latencies]) -> list[str]:
    """Same documents, same analyzer: the engines must find as many matches per query."""
    names = list(latencies)
    out = []
    for other in names[1:]:
        pairs = zip(latencies[names[0]].totals, latencies[other].totals, strict=True)
        both = [(a, b) for a, b in pairs if a is not None and b is not None]
        same = sum(a == b for a, b in both)
        out.append(
            f"Totals, {names[0]} vs {other}: {same} of {len(both)} queries answered by both "
            "give the same total (counts stop past 1,000 on every engine)."
        )
    return ["", *out] if out else []


def _hits_lines(args: argparse.Namespace, lat: Latencies) -> list[str]:
    if args.save_hits:
        save_hits(args.save_hits, lat)
    return ["", compare_hits(args.same_hits_as, lat)] if args.same_hits_as else []


def load_lines(r: Result) -> list[str]:
    t = r.times
    table = markdown_table(
        ("load stage", "seconds"),
        [
            ("analyze (distinct titles + paragraphs, once)", f"{t.analyze:,.0f}"),
            ("tsvector literals (Python)", f"{t.terms:,.0f}"),
            ("COPY articles (its B-tree indexes kept)", f"{t.articles:,.0f}"),
            ("COPY article_terms", f"{t.copy_terms:,.0f}"),
            ("SQLite rows (+ FTS5 terms unless --no-fts5)", f"{t.sqlite:,.0f}"),
            ("whole load loop", f"{r.load_seconds:,.0f}"),
            ("GIN index build", f"{t.gin:,.0f}"),
            ("VACUUM ANALYZE", f"{t.vacuum:,.0f}"),
        ],
    )
    pg_load = t.articles + t.copy_terms + t.terms
    lines = [
        table,
        "",
        f"PostgreSQL load: {t.docs / pg_load:,.0f} docs/s (COPY + tsvector building, "
        f"analysis excluded); {t.docs / (pg_load + t.gin):,.0f} docs/s with the GIN build.",
    ]
    if t.sqlite:
        lines.append(
            f"SQLite load of the same rows (with their FTS5 terms unless --no-fts5): "
            f"{t.docs / t.sqlite:,.0f} docs/s."
        )
    return lines


def latency_table(latencies: dict[str, Latencies]) -> str:
    names = list(latencies)
    kinds = list(next(iter(latencies.values())).by_kind)
    rows: list[list[object]] = [
        ["all", 1000, *(c for lat in latencies.values() for c in _cells(lat.all(), lat.errors))]
    ]
    for kind in kinds:
        n = len(latencies[names[0]].by_kind[kind])
        cells = (
            _cells(lat.by_kind[kind], {kind: lat.errors.get(kind, 0)}) for lat in latencies.values()
        )
        rows.append([kind, n, *(c for pair in cells for c in pair)])
    header = (c for name in names for c in (name, "cut off (time limit)"))
    return markdown_table(("query kind", "n", *header), rows)


def _cells(values: Sequence[float], errors: dict[str, int]) -> tuple[str, int]:
    return _ms(values), sum(errors.values())


def save_hits(path: Path, lat: Latencies) -> None:
    """Each query's total and page of hits (ids), to compare two runs (``--same-hits-as``)."""
    data = [[total, sorted(hits)] for total, hits in zip(lat.totals, lat.hits, strict=True)]
    path.write_text(json.dumps(data), encoding="utf-8")


def compare_hits(path: Path, lat: Latencies) -> str:
    """How many queries found other hits or another total than the run saved in ``path``;
    a query cut off by the time limit in either run is left out and counted apart."""
    old = json.loads(path.read_text(encoding="utf-8"))
    pairs = list(zip(old, zip(lat.totals, lat.hits, strict=True), strict=True))
    cut = [i for i, (a, (total, _)) in enumerate(pairs) if a[0] is None or total is None]
    differ = [
        i
        for i, (a, (total, hits)) in enumerate(pairs)
        if i not in cut and (a[0] != total or a[1] != sorted(hits))
    ]
    return (
        f"Same hits as {path.name}: {len(pairs) - len(cut) - len(differ)} of {len(pairs)} "
        f"queries identical (total and the page's hits), {len(differ)} differ, {len(cut)} cut off "
        "in one of the runs."
    )


def worker_table(r: Result) -> str:
    rows = [
        (
            int(w["workers"]),
            int(w["articles"]),
            f"{w['seconds']:.1f}",
            f"{w['articles_per_s']:.1f}",
            f"{w['lock_wait_ms']:.1f}",
            f"{w['lock_held_ms']:.1f}",
            f"{w['lock_busy']:.0%}",
        )
        for w in r.workers
    ]
    header = (
        "workers",
        "new articles",
        "seconds",
        "articles/s",
        "lock wait ms/write",
        "lock held ms/write",
        "lock busy",
    )
    intro = (
        f"Worker ingest into the {r.docs:,}-article database (a copy per row): real demo-mirror "
        "pages from a local server, `khabar worker --concurrency 4` × N, timed until every "
        "article is stored and the queue is empty:\n\n"
    )
    return intro + markdown_table(header, rows)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--sqlite", action="store_true", help="SQLite FTS5 side by side")
    parser.add_argument("--workers", type=int, nargs="*", default=[])
    parser.add_argument("--pages-scale", type=int, default=2, help="× 500 mirror pages")
    parser.add_argument("--write", type=Path, help="append the report to this file")
    parser.add_argument("--keep", type=Path, help="keep the cluster running, SQLite file here")
    parser.add_argument("--url", help="measure this already loaded database (no load)")
    parser.add_argument("--sqlite-file", type=Path, help="with --url: its SQLite twin")
    parser.add_argument("--load-only", action="store_true", help="with --keep: measure later")
    parser.add_argument("--no-search", action="store_true", help="skip the search timing")
    parser.add_argument("--save-hits", type=Path, help="write each query's total and hits here")
    parser.add_argument("--same-hits-as", type=Path, help="compare totals and hits with a file")
    parser.add_argument("--no-fts5", action="store_true", help="SQLite twin: articles only")
    parser.add_argument("--engines", nargs="*", default=list(ENGINES), choices=ENGINES)
    parser.add_argument("--tantivy-for", type=Path, help="build tantivy beside this SQLite twin")
    args = parser.parse_args(argv)
    if args.tantivy_for:
        seconds = TantivyTwin(args.tantivy_for, Corpus()).build(args.docs)
        print(f"tantivy twin of {args.docs:,} documents: {seconds:.0f} s")
        return
    args.argv = list(argv if argv is not None else sys.argv[1:])
    started = datetime.now(UTC)
    wall = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="khabar-pgscale-") as tmp:
        result = run(args, Path(tmp))
    text = report(args, result, started, time.perf_counter() - wall)
    print(text)
    if args.write:
        with args.write.open("a", encoding="utf-8") as fh:
            fh.write("\n" + text + "\n")


if __name__ == "__main__":
    main()
