"""Search speed at scale: FTS5 and tantivy side by side on the same N documents and queries.

Documents: article i takes the title, outlet, date and paragraph count of a seeded random ANT
article, keeps its first paragraph and fills the rest with seeded random paragraphs from the
whole ANT pool (≈ 203,000 paragraphs), so length and term statistics stay those of real
Arabic news. They are generated on the fly (only the ANT pool is held in memory) and written
in bulk, batch by batch (``--batch``, default 20,000): each document is analyzed ONCE
(``khabar.search.analyze``, timed: the analyzer's MB/s) and the same terms go to both
engines — the ``articles`` rows with ``executemany`` in one transaction per batch, FTS5's
``article_terms`` rows likewise, and tantivy's documents through ``TantivySearch.load`` (one
commit per batch). Both engines' sync state is set as if ``search.update()`` had indexed the
rows, so the two storages opened afterwards are ordinary Khabar installations.

Queries: :func:`fixed_queries` — a fixed, seeded set of 1,000 built from ANT titles (content
words: Arabic, ≥ 3 letters, not stopwords): 400 single words, 250 two words, 200 quoted
phrases of 2–3 adjacent title words and 150 words with a filter (``lang:ar``, ``source:…``,
``from:… to:…``). Each query is ``storage.search.search(q, limit=20)`` — the whole path a web
page takes (parse, engine, SQL checks, loading the hits, snippets) — timed with
``perf_counter`` in this one process after a warm-up of 100 queries, FTS5 first, then
tantivy, on the same database file.

Usage: python bench/search_speed.py [--docs N (default 1000000)] [--keep DIR]
[--engines fts5,tantivy] [--build-only]; then, on a kept build,
python bench/search_speed.py --queries-only DIR [--engines tantivy] [--passes N] [--stages].
``--engines tantivy`` builds and times tantivy alone: no FTS5 rows are written, so the SQLite
file holds only the articles, as in a tantivy installation. ``--build-only`` times no query
(time them later under the benchmark lock); ``--passes N`` times the same queries N times in
one process (the first pass may read the files from disk); ``--stages`` splits each query's
time into the stages of the tantivy path (top-k, count, SQL check, loading the hits,
snippets, the rest).
Needs ../shared/data/ant/train.jsonl.gz (exits with a clear message if it is missing).
"""

from __future__ import annotations

import argparse
import importlib
import random
import resource
import sqlite3
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from khabar.arabic.stopwords import is_stopword_text
from khabar.errors import KhabarError
from khabar.search.analyzer import ANALYZER_VERSION, analyze
from khabar.search.tantivy_engine import TantivySearch, index_dir
from khabar.search.tantivy_query import IndexedFields, epoch_micros, indexed_text
from khabar.storage import open_storage
from khabar.storage.protocol import StorageType
from khabar.storage.sqlite.convert import to_ts
from khabar.storage.sqlite.storage import SqliteStorage
from khabar.types import ArticleDraft, SearchPage
from search_common import (
    add_sources,
    db_size,
    draft,
    load_ant,
    machine_line,
    markdown_table,
    query_words,
)

SEED: Final = 13
N_QUERIES: Final = {"single word": 400, "two words": 250, "phrase": 200, "filtered": 150}
PAGE: Final = 20  # the web reader's search page size
WARMUP: Final = 100


# --- the corpus --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Base:
    """What a generated document borrows from one ANT article."""

    src: str
    title: str
    first: int  # index of its first paragraph in the pool
    count: int  # its number of paragraphs
    published: datetime | None


class Corpus:
    """ANT as a paragraph pool plus per-article metadata; generates documents on demand."""

    def __init__(self) -> None:
        self.pool: list[str] = []
        self.bases: list[Base] = []
        for a in load_ant():
            paragraphs = [p for p in a.text.split("\n") if p.strip()] or [a.text]
            self.bases.append(Base(a.src, a.title, len(self.pool), len(paragraphs), a.published))
            self.pool.extend(paragraphs)

    def documents(self, n: int, sources: dict[str, int]) -> Iterator[ArticleDraft]:
        for d, _, _ in self.parts(n, sources):
            yield d

    def parts(self, n: int, sources: dict[str, int]) -> Iterator[Doc]:
        """Documents with where they come from: (draft, base index, paragraph indexes)."""
        rng = random.Random(SEED)
        for i in range(n):
            at = rng.randrange(len(self.bases))
            base = self.bases[at]
            chosen = [base.first]
            chosen += [rng.randrange(len(self.pool)) for _ in range(base.count - 1)]
            text = "\n".join(self.pool[p] for p in chosen)
            yield draft(sources[base.src], str(i), base.title, text, base.published), at, chosen


Doc = tuple[ArticleDraft, int, list[int]]


# --- the queries (pure) ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BenchQuery:
    kind: str
    text: str


def _content(words: Sequence[str]) -> list[str]:
    return [
        w
        for w in words
        if len(w) >= 3 and all("\u0621" <= c <= "\u064a" for c in w) and not is_stopword_text(w)
    ]


def make_queries(corpus: Corpus, filters: bool) -> list[BenchQuery]:
    """The fixed query set; ``filters=False`` runs the filtered ones as bare words."""
    rng = random.Random(SEED + 1)
    sources = sorted({b.src for b in corpus.bases})
    dates = sorted(b.published for b in corpus.bases if b.published)
    queries: list[BenchQuery] = []
    for kind, count in N_QUERIES.items():
        made = 0
        while made < count:
            words = query_words(corpus.bases[rng.randrange(len(corpus.bases))].title)
            text = _query_text(kind, words, rng)
            if text is None:
                continue
            label = kind
            if kind == "filtered" and filters:
                name, value = _filter(rng, sources, dates)
                label, text = f"word + {name}", f"{text} {value}"
            queries.append(BenchQuery(label, text))
            made += 1
    return queries


def _query_text(kind: str, words: list[str], rng: random.Random) -> str | None:
    content = _content(words)
    if kind in ("single word", "filtered"):
        return rng.choice(content) if content else None
    if kind == "two words":
        return " ".join(rng.sample(content, 2)) if len(content) >= 2 else None
    size = rng.choice((2, 3))  # a phrase: adjacent title words, starting at a content word
    starts = [i for i, w in enumerate(words[: len(words) - size + 1]) if w in content]
    if not starts:
        return None
    at = rng.choice(starts)
    return '"' + " ".join(words[at : at + size]) + '"'


def _filter(
    rng: random.Random, sources: Sequence[str], dates: Sequence[datetime]
) -> tuple[str, str]:
    """(kind, text) of one filter: a language, an outlet or a 31-day window."""
    which = rng.randrange(3)
    if which == 0:
        return "lang:", "lang:ar"
    if which == 1:
        return "source:", f"source:{rng.choice(sources)}"
    start = dates[rng.randrange(len(dates))].date()
    end = start + timedelta(days=30)
    return "from:/to:", f"from:{start.isoformat()} to:{end.isoformat()}"


def fixed_queries(corpus: Corpus | None = None) -> list[BenchQuery]:
    """The fixed 1,000 queries of this benchmark (seeded: the same on every run and backend).

    Read-only API for other benchmarks (e.g. PostgreSQL search on the same set)."""
    return make_queries(corpus or Corpus(), filters=True)


ENGINES: Final = ("fts5", "tantivy")
BATCH: Final = 20_000


# --- building both indexes ---------------------------------------------------------------


@dataclass
class BuildTimes:
    """Seconds per stage of the bulk build, and the text analyzed."""

    analyze: float = 0.0
    articles: float = 0.0
    fts5: float = 0.0
    tantivy: float = 0.0
    text_bytes: int = 0  # distinct titles and paragraphs analyzed
    doc_bytes: int = 0  # all documents
    docs: int = 0


_ARTICLE_SQL: Final = """INSERT INTO articles (id, source_id, key, url, title, text, html,
    published, language, fetched_at, sort_time, content_hash, seq)
    VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, 'bench', ?)"""


class BulkLoader:
    """Writes generated documents to the articles table, FTS5 and tantivy, batch by batch."""

    def __init__(
        self,
        path: Path,
        tantivy_search: TantivySearch,
        corpus: Corpus,
        engines: Sequence[str] = ENGINES,
    ) -> None:
        self.corpus = corpus
        self.engines = frozenset(engines)
        self.titles: dict[int, tuple[str, str]] = {}
        self.paragraphs: dict[int, tuple[str, str]] = {}
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA synchronous=NORMAL")
        self.tantivy = tantivy_search
        self.times = BuildTimes()
        self.now = datetime.now(UTC)

    def add(self, docs: Sequence[Doc]) -> None:
        drafts = [d for d, _, _ in docs]
        self.times.doc_bytes += sum(len(d.title.encode()) + len(d.text.encode()) for d in drafts)
        first = self.times.docs + 1
        analyzed = [self.terms(base, chosen) for _, base, chosen in docs]
        ids = range(first, first + len(drafts))
        moments = [min(d.published, self.now) if d.published else self.now for d in drafts]
        self._timed("articles", self._articles, ids, drafts, moments)
        if "fts5" in self.engines:
            self._timed("fts5", self._fts5, ids, [(t[0], t[1]) for t in analyzed])
        if "tantivy" in self.engines:
            self._tantivy(ids, drafts, analyzed, moments)
        self.times.docs += len(drafts)

    def _tantivy(
        self,
        ids: range,
        drafts: Sequence[ArticleDraft],
        analyzed: Sequence[tuple[str, str, str, str]],
        moments: Sequence[datetime],
    ) -> None:
        start = time.perf_counter()
        self.tantivy.load(
            (
                IndexedFields(i, t[2], t[3], d.source_id, epoch_micros(m), language="ar")
                for i, d, t, m in zip(ids, drafts, analyzed, moments, strict=True)
            ),
            seq=ids[-1],
        )
        self.times.tantivy += time.perf_counter() - start

    def terms(self, base: int, chosen: Sequence[int]) -> tuple[str, str, str, str]:
        """(FTS5 title, FTS5 body, tantivy title, tantivy body) of one document.

        Every title and paragraph is analyzed once (the analyzer works word by word, so a
        document's terms are its paragraphs' terms in order; checked on the first ones)."""
        title = self._analyzed(self.titles, base, self.corpus.bases[base].title)
        parts = [self._analyzed(self.paragraphs, p, self.corpus.pool[p]) for p in chosen]
        body = " ".join(p[0] for p in parts if p[0])
        return title[0], body, title[1], " ".join(p[1] for p in parts if p[1])

    def _analyzed(self, memo: dict[int, tuple[str, str]], key: int, text: str) -> tuple[str, str]:
        found = memo.get(key)
        if found is None:
            start = time.perf_counter()
            terms = analyze(text)
            self.times.analyze += time.perf_counter() - start
            self.times.text_bytes += len(text.encode())
            found = memo[key] = (" ".join(terms), indexed_text(terms))
        return found

    def check(self, docs: Sequence[Doc]) -> None:
        """The paragraph-wise terms equal the whole document's (or the bench is wrong)."""
        for d, base, chosen in docs:
            if " ".join(analyze(d.text)) != self.terms(base, chosen)[1]:
                raise SystemExit(f"paragraph-wise analysis differs for document {d.key}")

    def _timed(self, stage: str, write: Callable[..., None], *args: object) -> None:
        start = time.perf_counter()
        self.conn.execute("BEGIN IMMEDIATE")
        write(*args)
        self.conn.execute("COMMIT")
        elapsed = time.perf_counter() - start
        setattr(self.times, stage, getattr(self.times, stage) + elapsed)

    def _articles(
        self, ids: range, drafts: Sequence[ArticleDraft], moments: Sequence[datetime]
    ) -> None:
        now = to_ts(self.now)
        rows = [
            (i, d.source_id, d.key, d.url, d.title, d.text, *_dates(d, now, m), i)
            for i, d, m in zip(ids, drafts, moments, strict=True)
        ]
        self.conn.executemany(_ARTICLE_SQL, rows)
        self.conn.execute("UPDATE counters SET value = ? WHERE name = 'article_seq'", (ids[-1],))

    def _fts5(self, ids: range, analyzed: Sequence[tuple[str, str]]) -> None:
        self.conn.executemany(
            "INSERT INTO article_terms (rowid, title, body) VALUES (?, ?, ?)",
            [(i, t, b) for i, (t, b) in zip(ids, analyzed, strict=True)],
        )
        self.conn.execute(
            "UPDATE search_state SET value = ? WHERE name = 'indexed_seq'", (ids[-1],)
        )
        self.conn.execute(
            "UPDATE search_state SET value = ? WHERE name = 'analyzer_version'",
            (ANALYZER_VERSION,),
        )


def _dates(d: ArticleDraft, now: str | None, moment: datetime) -> tuple[object, ...]:
    return (to_ts(d.published), d.language, now, to_ts(moment))


# --- measuring ---------------------------------------------------------------------------


@dataclass
class Latencies:
    by_kind: dict[str, list[float]]
    errors: dict[str, int]
    totals: list[int | None]  # per query, None on error
    hits: list[frozenset[int]]

    def all(self) -> list[float]:
        return [v for values in self.by_kind.values() for v in values]


def time_queries(
    storage: StorageType, queries: Sequence[BenchQuery], clock: StageClock | None = None
) -> Latencies:
    for q in queries[:WARMUP]:
        _search(storage, q.text)
    if clock is not None:
        clock.reset()
    by_kind: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    totals: list[int | None] = []
    hits: list[frozenset[int]] = []
    for q in queries:
        start = time.perf_counter()
        page = _search(storage, q.text)
        by_kind[q.kind].append(time.perf_counter() - start)
        if clock is not None:
            clock.end_query(by_kind[q.kind][-1])
        errors[q.kind] += page is None
        totals.append(None if page is None else page.total)
        hits.append(frozenset() if page is None else frozenset(h.article.id for h in page.hits))
    return Latencies(dict(by_kind), dict(errors), totals, hits)


# (stage, module, class or "" for a module function, attribute) of the whole search path
_STAGES: Final = (
    ("tantivy top-k", "khabar.search.tantivy_engine", "_Search", "top"),
    ("tantivy count", "khabar.search.tantivy_engine", "_Search", "count"),
    ("SQL check of candidates", "khabar.search.tantivy_engine", "TantivySearch", "_valid"),
    ("loading the articles", "khabar.storage.sqlite.storage", "SqliteStorage", "get_articles"),
    ("snippets", "khabar.search.results", "", "snippet"),
)


class StageClock:
    """Time spent per stage of each query (``--stages``): wraps the stages' functions; the
    rest (parsing, building the tantivy query, the page) is the total minus the stages."""

    def __init__(self) -> None:
        self.current: dict[str, float] = defaultdict(float)
        self.per_query: list[dict[str, float]] = []
        for stage, module, owner, name in _STAGES:
            target = importlib.import_module(module)
            holder = getattr(target, owner) if owner else target
            setattr(holder, name, self._wrap(stage, getattr(holder, name)))

    def _wrap(self, stage: str, func: Callable[..., object]) -> Callable[..., object]:
        def timed(*args: object, **kwargs: object) -> object:
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self.current[stage] += time.perf_counter() - start

        return timed

    def end_query(self, total: float) -> None:
        stages = dict(self.current)
        stages["rest (parse, query, page)"] = total - sum(stages.values())
        stages["whole path"] = total
        self.per_query.append(stages)
        self.current.clear()

    def reset(self) -> None:
        self.per_query.clear()
        self.current.clear()

    def table(self) -> str:
        names = [s[0] for s in _STAGES] + ["rest (parse, query, page)", "whole path"]
        whole = statistics.fmean(q["whole path"] for q in self.per_query)
        rows = []
        for name in names:
            values = [q.get(name, 0.0) for q in self.per_query]
            p50, p95, _ = percentiles(values)
            mean = statistics.fmean(values)
            rows.append(
                (name, f"{mean * 1000:.2f}", f"{p50:.2f}", f"{p95:.2f}", f"{mean / whole:.0%}")
            )
        return markdown_table(("stage", "mean ms", "p50 ms", "p95 ms", "share of mean"), rows)


def _search(storage: StorageType, text: str) -> SearchPage | None:
    try:
        return storage.search.search(text, limit=PAGE)
    except KhabarError:
        return None  # e.g. cut off by the query time limit; its time still counts


def percentiles(values: Sequence[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000


def table_sizes(path: Path) -> dict[str, int]:
    """Bytes per table group (articles, FTS5 index, other), from ``dbstat``."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
    except sqlite3.OperationalError:
        return {}  # SQLite built without dbstat
    finally:
        conn.close()
    groups: dict[str, int] = defaultdict(int)
    for name, size in rows:
        groups[_table_group(name)] += size
    return dict(groups)


def _table_group(name: str) -> str:
    if name.startswith("article_terms"):
        return "FTS5 index"
    if name.startswith("articles") or name.startswith("sqlite_autoindex_articles"):
        return "articles + their indexes"
    return "other"


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# --- the run -----------------------------------------------------------------------------


@dataclass
class RunResult:
    docs: int
    times: BuildTimes
    latencies: dict[str, Latencies]
    queries: list[BenchQuery]
    sizes: dict[str, int]
    tantivy_size: int
    db_size: int
    peak_rss: int


def run(
    n: int, path: Path, batch: int, engines: Sequence[str] = ENGINES, timed: bool = True
) -> RunResult:
    corpus = Corpus()
    print(f"ANT pool: {len(corpus.bases)} articles, {len(corpus.pool)} paragraphs", flush=True)
    fts5_store = open_storage(f"sqlite:///{path}", search_engine="fts5")
    tantivy_store = SqliteStorage(str(path), search_engine="tantivy")
    engine = tantivy_store.search
    if not isinstance(engine, TantivySearch):
        raise SystemExit("search_engine=tantivy did not give a TantivySearch")
    sources = add_sources(fts5_store, (b.src for b in corpus.bases))
    queries = fixed_queries(corpus)
    loader = BulkLoader(path, engine, corpus, engines)
    pending: list[Doc] = []
    wall = time.perf_counter()
    for d in corpus.parts(n, sources):
        if int(d[0].key) < 200:
            loader.check([d])
        pending.append(d)
        if len(pending) >= batch:
            loader.add(pending)
            pending.clear()
            done = loader.times.docs
            print(
                f"  {done} docs in {time.perf_counter() - wall:.0f} s, {_rss_mib()} MiB", flush=True
            )
    if pending:
        loader.add(pending)
    loader.conn.close()
    fts5_store.close()
    tantivy_store.close()
    latencies = time_both(path, queries, engines) if timed else {}
    tantivy_dir = index_dir(str(path))
    return RunResult(
        n,
        loader.times,
        latencies,
        queries,
        table_sizes(path),
        dir_size(tantivy_dir) if tantivy_dir else 0,
        db_size(path),
        _rss_mib(),
    )


def _rss_mib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


# --- the report --------------------------------------------------------------------------


def _ms(values: Sequence[float]) -> list[str]:
    return [f"{v:.1f} ms" for v in values]


def engine_table(result: RunResult) -> str:
    t = result.times
    fts5_bytes = result.sizes.get("FTS5 index", 0)
    build = {"fts5": t.fts5, "tantivy": t.tantivy}
    size = {"fts5": fts5_bytes, "tantivy": result.tantivy_size}
    rows = []
    for name, lat in result.latencies.items():
        values = lat.all()
        rows.append(
            (
                name,
                f"{t.docs / build[name]:,.0f} docs/s ({build[name]:,.0f} s)",
                f"{t.docs / (build[name] + t.doc_bytes * t.analyze / t.text_bytes):,.0f} docs/s",
                f"{size[name] / 2**20:,.0f} MiB" if size[name] else "n/a",
                *_ms(percentiles(values)),
                f"{max(values) * 1000:.0f} ms",
                sum(lat.errors.values()),
            )
        )
    header = (
        "engine",
        "indexing (engine only)",
        "with analysis",
        "index on disk",
        "p50",
        "p95",
        "p99",
        "max",
        "errors",
    )
    return markdown_table(header, rows)


def kind_table(result: RunResult) -> str:
    examples = {q.kind: q.text for q in reversed(result.queries)}
    engines = list(result.latencies)
    rows = []
    for kind in result.latencies[engines[0]].by_kind:
        cells: list[object] = [kind, len(result.latencies[engines[0]].by_kind[kind])]
        for name in engines:
            values = result.latencies[name].by_kind[kind]
            cells.append(" / ".join(f"{v:.1f}" for v in percentiles(values)))
        cells.append(f"`{examples[kind]}`")
        rows.append(cells)
    header = ("query kind", "n", *(f"{_LABEL[e]} p50 / p95 / p99 ms" for e in engines), "e.g.")
    return markdown_table(header, rows)


_LABEL: Final = {"fts5": "FTS5", "tantivy": "tantivy"}


def agreement(result: RunResult) -> str:
    if set(result.latencies) != set(ENGINES):
        return "One engine timed: no agreement between engines to report."
    a, b = result.latencies["fts5"], result.latencies["tantivy"]
    same_total = sum(x == y for x, y in zip(a.totals, b.totals, strict=True))
    overlaps = [
        len(x & y) / max(len(x), len(y)) for x, y in zip(a.hits, b.hits, strict=True) if x or y
    ]
    mean = statistics.fmean(overlaps) if overlaps else 1.0
    return (
        f"Same total (capped at 1,000) on {same_total} of {len(a.totals)} queries; first pages "
        f"share {mean:.0%} of their hits on average (ranking differs: FTS5 bm25 vs tantivy "
        "BM25, same title weight)."
    )


def report(args: argparse.Namespace, result: RunResult, started: datetime, wall: float) -> None:
    t = result.times
    names = " vs ".join(_LABEL[e] for e in result.latencies) or "no engine"
    print(f"### Search speed, {names} — {machine_line(started)}")
    print()
    print(
        f"`nice -n 10 python bench/search_speed.py --docs {args.docs}`: {t.docs:,} documents "
        f"recombined from ANT paragraphs, analyzed once and written in bulk to "
        f"{' and '.join(result.latencies) or 'the engines'}; "
        f"{len(result.queries):,} fixed queries (`fixed_queries()`), "
        f"`storage.search.search(q, limit={PAGE})` (whole path: engine, SQL checks, rows, "
        f"snippets), one process, warm. The run took {wall / 60:.0f} min; peak RSS "
        f"{result.peak_rss:,} MiB."
    )
    print()
    print(engine_table(result))
    print()
    print(f"Query kinds at {t.docs:,} docs:")
    print()
    print(kind_table(result))
    print()
    sizes = ", ".join(f"{k} {v / 2**20:,.0f} MiB" for k, v in sorted(result.sizes.items()))
    print(
        f"On disk: SQLite file {result.db_size / 2**20:,.0f} MiB ({sizes or 'dbstat n/a'}); "
        f"tantivy directory {result.tantivy_size / 2**20:,.0f} MiB. Articles table written at "
        f"{t.docs / t.articles:,.0f} rows/s."
    )
    print(
        f"Analyzer throughput: {t.text_bytes / t.analyze / 1e6:.2f} MB/s of UTF-8 text "
        f"({t.text_bytes / 1e6:,.0f} MB of distinct titles and paragraphs in {t.analyze:,.0f} s; "
        f"the {t.doc_bytes / 1e6:,.0f} MB of documents are made of them, so each is analyzed "
        "once and its terms reused; 'with analysis' adds the analyzer time the documents' "
        "own bytes would take at that rate)."
    )
    print(agreement(result))


def build_report(result: RunResult, started: datetime, wall: float) -> None:
    """``--build-only``: what the build took and left on disk (no query timing)."""
    t = result.times
    print(f"### Search speed, build only — {machine_line(started)}")
    print()
    build = {"fts5": t.fts5, "tantivy": t.tantivy}
    for name, seconds in build.items():
        if seconds:
            print(f"- {name}: {t.docs / seconds:,.0f} docs/s engine only ({seconds:,.0f} s)")
    print(f"- articles table: {t.docs / t.articles:,.0f} rows/s ({t.articles:,.0f} s)")
    print(f"- analyzer: {t.text_bytes / t.analyze / 1e6:.2f} MB/s ({t.analyze:,.0f} s)")
    sizes = ", ".join(f"{k} {v / 2**20:,.0f} MiB" for k, v in sorted(result.sizes.items()))
    print(
        f"- on disk: SQLite file {result.db_size / 2**20:,.0f} MiB ({sizes or 'dbstat n/a'}); "
        f"tantivy directory {result.tantivy_size / 2**20:,.0f} MiB"
    )
    print(f"- wall {wall / 60:.0f} min, peak RSS {result.peak_rss:,} MiB")


def time_both(
    path: Path,
    queries: Sequence[BenchQuery],
    engines: Sequence[str] = ENGINES,
    clock: StageClock | None = None,
) -> dict[str, Latencies]:
    """The engines on one built database, one after the other (FTS5 first, then tantivy)."""
    latencies = {}
    for name in engines:
        store = open_storage(f"sqlite:///{path}", search_engine=name)
        try:
            if store.search.update() != 0:
                raise SystemExit(f"{name}: the build left articles unindexed")
            latencies[name] = time_queries(store, queries, clock)
        finally:
            store.close()
        p = percentiles(latencies[name].all())
        print(f"  {name}: p50 {p[0]:.1f} p95 {p[1]:.1f} p99 {p[2]:.1f} ms", flush=True)
    return latencies


def queries_only(
    path: Path,
    started: datetime,
    engines: Sequence[str],
    every: int,
    passes: int = 1,
    clock: StageClock | None = None,
) -> None:
    """``--queries-only DIR``: time the queries again on a build kept with ``--keep``
    (``--every K``: every K-th query only, which keeps the mix of kinds; ``--passes N``: the
    same queries N times in one process — the first pass may read the files from disk)."""
    queries = fixed_queries()[::every]
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    docs = int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    conn.close()
    for number in range(1, passes + 1):
        print(f"pass {number} of {passes}:", flush=True)
        latencies = time_both(path, queries, engines, clock)
        _queries_report(path, started, queries, docs, latencies, f"pass {number} of {passes}")
        if clock is not None:
            print()
            print(f"Where the time goes ({', '.join(engines)}, pass {number}):")
            print()
            print(clock.table())


def _queries_report(
    path: Path,
    started: datetime,
    queries: Sequence[BenchQuery],
    docs: int,
    latencies: dict[str, Latencies],
    label: str,
) -> None:
    result = RunResult(docs, BuildTimes(docs=docs), latencies, list(queries), {}, 0, 0, _rss_mib())
    print()
    print(f"### Search speed, queries only ({label}) — {machine_line(started)}")
    print()
    rows = [
        (name, *_ms(percentiles(lat.all())), f"{max(lat.all()) * 1000:.0f} ms")
        for name, lat in latencies.items()
    ]
    print(f"{docs:,} documents (kept build `{path.parent}`), {len(queries):,} fixed queries:")
    print()
    print(markdown_table(("engine", "p50", "p95", "p99", "max"), rows))
    print()
    print(kind_table(result))
    if len(latencies) == len(ENGINES):
        print()
        print(agreement(result))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--docs", type=int, default=1_000_000, help="documents to index")
    parser.add_argument("--batch", type=int, default=BATCH, help="documents per bulk batch")
    parser.add_argument("--keep", type=Path, help="build in this directory and keep it")
    parser.add_argument(
        "--queries-only", type=Path, help="only time the queries on a build kept with --keep"
    )
    parser.add_argument(
        "--engines",
        default=",".join(ENGINES),
        help="engines to build and time (comma-separated; a build without fts5 writes no "
        "FTS5 rows, so the SQLite file holds only the articles, as a tantivy installation)",
    )
    parser.add_argument(
        "--build-only",
        action="store_true",
        help="build (with --keep) without timing queries; time them later with --queries-only",
    )
    parser.add_argument("--every", type=int, default=1, help="with --queries-only")
    parser.add_argument(
        "--passes", type=int, default=1, help="with --queries-only: time the queries N times"
    )
    parser.add_argument(
        "--stages",
        action="store_true",
        help="with --queries-only and tantivy alone: time each stage of the search path",
    )
    args = parser.parse_args(argv)
    engines = args.engines.split(",")
    if not engines or set(engines) - set(ENGINES):
        parser.error(f"--engines: choose from {', '.join(ENGINES)}")
    if args.queries_only:
        if args.stages and engines != ["tantivy"]:
            parser.error("--stages times the tantivy path: use it with --engines tantivy")
        clock = StageClock() if args.stages else None
        db = args.queries_only / "speed.db"
        queries_only(db, datetime.now(UTC), engines, args.every, args.passes, clock)
        return
    if args.docs < 100:
        parser.error("--docs must be at least 100")
    started = datetime.now(UTC)
    wall = time.perf_counter()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        result = run(args.docs, args.keep / "speed.db", args.batch, engines, not args.build_only)
    else:
        if args.build_only:
            parser.error("--build-only needs --keep DIR")
        with tempfile.TemporaryDirectory(prefix="khabar-speed-") as tmp:
            result = run(args.docs, Path(tmp) / "speed.db", args.batch, engines)
    print()
    if args.build_only:
        build_report(result, started, time.perf_counter() - wall)
        return
    report(args, result, started, time.perf_counter() - wall)


if __name__ == "__main__":
    main()
