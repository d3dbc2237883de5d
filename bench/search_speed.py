"""Search speed at scale: index N article-sized documents built from ANT, then time queries.

Documents: article i takes the title, outlet, date and paragraph count of a seeded random ANT
article, keeps its first paragraph and fills the rest with seeded random paragraphs from the
whole ANT pool (≈ 203,000 paragraphs), so length and term statistics stay those of real
Arabic news. They are generated on the fly (only the ANT paragraph pool is held in memory,
never the N documents) and stored through the real storage API: ``upsert_article`` one by
one, ``search.update()`` after every batch of 1,000 (this is where the analyzer runs).

Queries: a fixed, seeded set of 1,000 built from ANT titles (content words: Arabic, ≥ 3
letters, not stopwords): 400 single words, 250 two words, 200 quoted phrases of 2–3 adjacent
title words and 150 words with a filter (``lang:ar``, ``source:…``, ``from:… to:…``). Whether
the query language takes filters is detected with a ``lang:ar`` query; without them those 150
run as bare words (the report says which). Each query is ``search.search(q, limit=20)`` (one
results page, snippets included), timed with ``perf_counter`` in this one process, after a
warm-up of 100 queries. The set runs at N/4, N/2 and N documents so the growth is visible.

Analyzer throughput: ``analyze(title)`` + ``analyze(text)`` over the first 20,000 generated
documents after indexing (warm term cache, as in a long-running process), MB/s of UTF-8 text.

The default N = 1,000,000 is the issue's goal (p95 ≤ 30 ms); that run takes well over half
an hour on a 2-core machine and belongs to ``make bench``. Smaller runs: ``--docs 200000``.

Needs ../shared/data/ant/train.jsonl.gz (exits with a clear message if it is missing).
Usage: python bench/search_speed.py [--docs N (default 1000000)]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from khabar.arabic.stopwords import is_stopword_text
from khabar.errors import KhabarError
from khabar.search.analyzer import analyze
from khabar.search.query import parse_query
from khabar.storage.protocol import StorageType
from khabar.storage.sqlite.search import fts5_match
from khabar.types import ArticleDraft
from search_common import (
    IndexTimer,
    add_sources,
    db_size,
    draft,
    load_ant,
    machine_line,
    markdown_table,
    open_bench_storage,
    query_words,
)

SEED: Final = 13
N_QUERIES: Final = {"single word": 400, "two words": 250, "phrase": 200, "filtered": 150}
PAGE: Final = 20  # the web reader's search page size
WARMUP: Final = 100
ANALYZER_SAMPLE: Final = 20_000


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
        rng = random.Random(SEED)
        for i in range(n):
            base = self.bases[rng.randrange(len(self.bases))]
            paragraphs = [self.pool[base.first]]
            paragraphs += [self.pool[rng.randrange(len(self.pool))] for _ in range(base.count - 1)]
            yield draft(
                sources[base.src], str(i), base.title, "\n".join(paragraphs), base.published
            )


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


def filters_supported(storage: StorageType) -> bool:
    try:
        storage.search.search("lang:ar خبر", limit=1)
    except KhabarError:
        return False
    return True


# --- measuring ---------------------------------------------------------------------------


@dataclass
class Latencies:
    by_kind: dict[str, list[float]]
    errors: dict[str, int]
    engine: list[float]  # the FTS5 statements alone, per query (see ``engine_seconds``)

    def all(self) -> list[float]:
        return [v for values in self.by_kind.values() for v in values]


def time_queries(storage: StorageType, path: Path, queries: Sequence[BenchQuery]) -> Latencies:
    for q in queries[:WARMUP]:
        _search(storage, q.text)
    by_kind: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    for q in queries:
        start = time.perf_counter()
        ok = _search(storage, q.text)
        by_kind[q.kind].append(time.perf_counter() - start)
        errors[q.kind] += not ok
    return Latencies(dict(by_kind), dict(errors), engine_seconds(path, queries))


_ENGINE_SQL: Final = (
    "SELECT rowid, bm25(article_terms, 3.0, 1.0) AS s FROM article_terms "
    "WHERE article_terms MATCH ? ORDER BY s LIMIT ?",
    "SELECT count(*) FROM article_terms WHERE article_terms MATCH ?",
)


def engine_seconds(path: Path, queries: Sequence[BenchQuery]) -> list[float]:
    """Time of the FTS5 part alone: MATCH + bm25 order + count, filters not applied.

    The rest of ``search()`` (parsing, loading the hit rows, snippets) is Python; the gap
    between the two numbers says which side to work on.
    """
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    out = []
    try:
        for q in queries:
            match = fts5_match(parse_query(q.text))
            if match is None:
                continue
            start = time.perf_counter()
            conn.execute(_ENGINE_SQL[0], (match, PAGE)).fetchall()
            conn.execute(_ENGINE_SQL[1], (match,)).fetchone()
            out.append(time.perf_counter() - start)
    finally:
        conn.close()
    return out


def _search(storage: StorageType, text: str) -> bool:
    try:
        storage.search.search(text, limit=PAGE)
    except KhabarError:
        return False  # e.g. cut off by the query time limit; its time still counts
    return True


def percentiles(values: Sequence[float]) -> tuple[float, float, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49] * 1000, cuts[94] * 1000, cuts[98] * 1000


def analyzer_mb_s(corpus: Corpus, sources: dict[str, int], n: int) -> float:
    size = 0
    elapsed = 0.0
    for d in corpus.documents(n, sources):
        start = time.perf_counter()
        analyze(d.title)
        analyze(d.text)
        elapsed += time.perf_counter() - start
        size += len(d.title.encode()) + len(d.text.encode())
    return size / elapsed / 1e6


def table_sizes(path: Path) -> dict[str, int]:
    """Bytes per table group (articles, full-text index, other), from ``dbstat``."""
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
        return "full-text index"
    if name.startswith("articles") or name.startswith("sqlite_autoindex_articles"):
        return "articles + their indexes"
    return "other"


# --- the run -----------------------------------------------------------------------------


@dataclass
class Checkpoint:
    docs: int
    seconds: float  # indexing wall time so far
    store_seconds: float
    index_seconds: float
    size: int
    latencies: Latencies


@dataclass
class RunResult:
    checkpoints: list[Checkpoint]
    analyzer_mb_s: float
    filters: bool
    queries: list[BenchQuery]
    sizes: dict[str, int]


def run(n: int, path: Path) -> RunResult:
    corpus = Corpus()
    print(f"ANT pool: {len(corpus.bases)} articles, {len(corpus.pool)} paragraphs", flush=True)
    storage = open_bench_storage(path)
    sources = add_sources(storage, (b.src for b in corpus.bases))
    filters = filters_supported(storage)
    queries = make_queries(corpus, filters)
    marks = sorted({n // 4, n // 2, n})
    timer = IndexTimer(storage)
    checkpoints: list[Checkpoint] = []
    for done, d in enumerate(corpus.documents(n, sources), start=1):
        timer.add(d)
        if done % 10_000 == 0:
            print(f"  {done} docs, {done / timer.seconds:.0f} docs/s", flush=True)
        if done in marks:
            timer.flush()
            latencies = time_queries(storage, path, queries)
            checkpoints.append(
                Checkpoint(
                    done,
                    timer.seconds,
                    timer.store_seconds,
                    timer.index_seconds,
                    db_size(path),
                    latencies,
                )
            )
            p = percentiles(latencies.all())
            print(f"  queries at {done}: p50 {p[0]:.1f} p95 {p[1]:.1f} p99 {p[2]:.1f} ms")
    storage.close()
    sizes = table_sizes(path)
    mb_s = analyzer_mb_s(corpus, sources, min(n, ANALYZER_SAMPLE))
    return RunResult(checkpoints, mb_s, filters, queries, sizes)


# --- the report --------------------------------------------------------------------------


def _ms(values: Sequence[float]) -> list[str]:
    return [f"{v:.1f} ms" for v in values]


def scale_table(checkpoints: Sequence[Checkpoint]) -> str:
    rows = []
    for c in checkpoints:
        lat = c.latencies.all()
        engine = percentiles(c.latencies.engine)
        rows.append(
            (
                f"{c.docs:,}",
                f"{c.docs / c.seconds:.0f} docs/s ({c.store_seconds:.0f} s store + "
                f"{c.index_seconds:.0f} s index)",
                f"{c.size / 2**20:,.0f} MiB",
                *_ms(percentiles(lat)),
                f"{max(lat) * 1000:.0f} ms",
                " / ".join(_ms(engine)),
            )
        )
    header = (
        "docs",
        "indexing (cumulative)",
        "on disk",
        "p50",
        "p95",
        "p99",
        "max",
        "FTS5 part alone p50 / p95 / p99",
    )
    return markdown_table(header, rows)


def kind_table(c: Checkpoint, queries: Sequence[BenchQuery]) -> str:
    examples = {q.kind: q.text for q in reversed(queries)}
    rows = [
        (
            kind,
            len(values),
            *_ms(percentiles(values)),
            f"{max(values) * 1000:.0f} ms",
            c.latencies.errors.get(kind, 0),
            f"`{examples[kind]}`",
        )
        for kind, values in c.latencies.by_kind.items()
    ]
    header = ("query kind", "n", "p50", "p95", "p99", "max", "errors", "e.g.")
    return markdown_table(header, rows)


def extrapolation(checkpoints: Sequence[Checkpoint], target: int) -> list[str]:
    """Per-stage linear extrapolation from the last two checkpoints (labelled as such)."""
    a, b = checkpoints[-2], checkpoints[-1]
    more = target - b.docs
    per_doc = (b.seconds - a.seconds) / (b.docs - a.docs)
    store = (b.store_seconds - a.store_seconds) / (b.docs - a.docs)
    index = (b.index_seconds - a.index_seconds) / (b.docs - a.docs)
    size = (b.size - a.size) / (b.docs - a.docs)
    p95 = [percentiles(c.latencies.engine)[1] for c in (a, b)]
    p95_slope = max(0.0, (p95[1] - p95[0]) / (b.docs - a.docs))
    total_p95 = percentiles(b.latencies.all())[1]
    return [
        f"EXTRAPOLATION to {target:,} docs (not measured; linear from the "
        f"{a.docs:,} → {b.docs:,} step):",
        f"- indexing: {b.seconds + more * per_doc:,.0f} s in all "
        f"(store {store * 1000:.2f} ms/doc, index {index * 1000:.2f} ms/doc at the last step)",
        f"- on disk: {(b.size + more * size) / 2**30:.1f} GiB",
        f"- p95 latency: ≈ {total_p95 + more * p95_slope:.0f} ms (today's {total_p95:.1f} ms plus "
        f"the FTS5 part's growth, whose p95 went {p95[0]:.1f} → {p95[1]:.1f} ms; the Python "
        "part — rows, snippets — does not grow with the index)",
    ]


def report(args: argparse.Namespace, result: RunResult, started: datetime, wall: float) -> None:
    last = result.checkpoints[-1]
    print(f"### Search speed — {machine_line(started)}")
    print()
    print(
        f"bench/search_speed.py --docs {args.docs}: documents recombined from ANT paragraphs, "
        f"stored with `upsert_article` and indexed with `search.update()` every 1,000; "
        f"{sum(N_QUERIES.values())} fixed queries, `search(q, limit={PAGE})`, one process. "
        f"Filters {'detected and run' if result.filters else 'NOT supported: run as bare words'}. "
        f"The run took {wall / 60:.0f} min."
    )
    print()
    print(scale_table(result.checkpoints))
    print()
    print(f"Query kinds at {last.docs:,} docs:")
    print()
    print(kind_table(last, result.queries))
    print()
    sizes = ", ".join(f"{k} {v / 2**20:,.0f} MiB" for k, v in sorted(result.sizes.items()))
    print(f"On disk at {last.docs:,} docs (dbstat): {sizes or 'dbstat not available'}.")
    print(
        f"Analyzer throughput: {result.analyzer_mb_s:.2f} MB/s of UTF-8 text "
        f"(first {min(args.docs, ANALYZER_SAMPLE):,} documents, warm term cache)."
    )
    if last.docs < 1_000_000 and len(result.checkpoints) >= 2:
        print()
        print("\n".join(extrapolation(result.checkpoints, 1_000_000)))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--docs", type=int, default=1_000_000, help="documents to index")
    args = parser.parse_args(argv)
    if args.docs < 4:
        parser.error("--docs must be at least 4")
    started = datetime.now(UTC)
    wall = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="khabar-speed-") as tmp:
        result = run(args.docs, Path(tmp) / "speed.db")
    print()
    report(args, result, started, time.perf_counter() - wall)


if __name__ == "__main__":
    main()
