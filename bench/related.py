"""Related articles at scale: latency of the related-articles query with N stored articles.

Fills a real SQLite file (the real schema, created by ``SqliteStorage``) with N articles and
their ``article_features`` rows, then times ``SqliteStorage.related_articles(id, 5)`` (what the
article page calls: the bounded postings read, scoring, copy groups, then reading the 5
articles) and the query part alone (``related_ids``) for 1,000 random articles. Side by side,
interleaved: the previous query (:func:`python_sum_ids`: one read per feature, the products
summed in Python), which must return the same ids. See :func:`measure` for what is cached when.

Articles are recombined from real ANT texts (``../shared/data/ant/train.jsonl.gz``): the title
and first paragraph of one ANT article plus two paragraphs of other articles of the same
section, so the vocabulary and its Zipf tail are real news. Every vector is computed with the
real code (``khabar.stories.link.story_vector``, the shipped document frequencies and settings;
no entity features: entity extraction is not part of this measure) and reduced with
``features_of`` to the 20 stored features, in worker processes. Every ``COPY_EVERY``-th article
is a copy of the one before (same features, same copy group), so the group exclusion is
exercised.

Rows are written in big transactions, ``article_features`` in primary-key order with its
secondary index built afterwards (the final schema is the migration's). The file is kept
(``--db``) so a second run with the same N only measures.

Usage: nice -n 10 .venv/bin/python bench/related.py --articles 100000,1000000 [--append]
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import platform
import random
import sqlite3
import sys
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from khabar.storage.sqlite.related import best_visible, related_ids
from khabar.storage.sqlite.storage import SqliteStorage
from khabar.stories.link import story_vector
from khabar.stories.related import POSTINGS, QUERY_FEATURES, features_of

ROOT = Path(__file__).resolve().parents[1]
ANT = ROOT.parent / "shared" / "data" / "ant" / "train.jsonl.gz"
RESULTS = ROOT / "bench" / "RESULTS.md"
SEED = 13
QUERIES = 1000
LIMIT = 5
COPY_EVERY = 50
BATCH = 50_000

Doc = tuple[str, str]  # title, text


def load_paragraphs(path: Path = ANT) -> list[tuple[str, str, list[str]]]:
    """(section, title, paragraphs) of every ANT article."""
    if not path.is_file():
        sys.exit(f"MISSING DATA: {path} not found (../shared/data absent); nothing was measured.")
    out = []
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            paragraphs = [p for p in row["text"].split("\n") if len(p) > 40]
            if paragraphs:
                out.append((row["cat"], row["title"], paragraphs))
    return out


def recombined(articles: Sequence[tuple[str, str, list[str]]], count: int) -> Iterator[Doc]:
    """``count`` documents: one article's title and lead + two paragraphs of its section."""
    rng = random.Random(SEED)
    by_section: dict[str, list[int]] = defaultdict(list)
    for i, (section, _, _) in enumerate(articles):
        by_section[section].append(i)
    for _ in range(count):
        section, title, paragraphs = articles[rng.randrange(len(articles))]
        pool = by_section[section]
        extra = [rng.choice(articles[rng.choice(pool)][2]) for _ in range(2)]
        yield title, "\n".join([paragraphs[0], *extra])


def _features(doc: Doc) -> list[tuple[int, float]]:
    return list(features_of(story_vector(doc[0], doc[1])))


def compute_features(docs: Iterator[Doc], count: int, workers: int) -> tuple[np.ndarray, ...]:
    """(feature, weight, article_id) arrays; article ids are 1..count."""
    feature = np.zeros(count * 20, dtype=np.int64)
    weight = np.zeros(count * 20, dtype=np.float64)
    article = np.zeros(count * 20, dtype=np.int64)
    n = 0
    started = time.perf_counter()
    with multiprocessing.Pool(workers) as pool:
        previous: list[tuple[int, float]] = []
        for i, feats in enumerate(pool.imap(_features, docs, chunksize=500), 1):
            if i % COPY_EVERY == 0:
                feats = previous
            for f, w in feats:
                feature[n], weight[n], article[n] = f, w, i
                n += 1
            previous = feats
            if i % 100_000 == 0:
                rate = i / (time.perf_counter() - started)
                print(f"  vectors: {i:,} ({rate:.0f}/s)", file=sys.stderr, flush=True)
    return feature[:n], weight[:n], article[:n]


def create_db(path: Path, count: int, rows: tuple[np.ndarray, ...]) -> float:
    """Write the articles and feature rows; seconds taken."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    SqliteStorage(path).close()  # the real schema, all migrations
    started = time.perf_counter()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-500000")
    _insert_articles(conn, count)
    _insert_features(conn, rows)
    conn.close()
    return time.perf_counter() - started


def _insert_articles(conn: sqlite3.Connection, count: int) -> None:
    now = datetime.now(UTC).isoformat()
    conn.execute(
        "INSERT INTO sources (id, url, kind, created_at) VALUES (1, 'https://bench.invalid/f', "
        "'feed', ?)",
        (now,),
    )
    for start in range(1, count + 1, BATCH):
        conn.execute("BEGIN")
        conn.executemany(
            """INSERT INTO articles (id, source_id, key, url, title, text, html, fetched_at,
               sort_time, content_hash, seq, group_id)
               VALUES (?, 1, ?, ?, ?, '', '', ?, ?, '', ?, ?)""",
            (
                (i, str(i), f"https://bench.invalid/{i}", f"مقال {i}", now, now, i, _group(i))
                for i in range(start, min(count + 1, start + BATCH))
            ),
        )
        conn.execute("COMMIT")


def _group(article_id: int) -> int | None:
    return article_id - 1 if article_id % COPY_EVERY == 0 else None


def _insert_features(conn: sqlite3.Connection, rows: tuple[np.ndarray, ...]) -> None:
    feature, weight, article = rows
    order = np.lexsort((article, weight, feature))
    conn.execute("DROP INDEX article_features_by_article")
    for start in range(0, len(order), BATCH * 10):
        part = order[start : start + BATCH * 10]
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT OR IGNORE INTO article_features (feature, weight, article_id) VALUES (?,?,?)",
            zip(feature[part].tolist(), weight[part].tolist(), article[part].tolist(), strict=True),
        )
        conn.execute("COMMIT")
    conn.execute("CREATE INDEX article_features_by_article ON article_features (article_id)")


def python_sum_ids(conn: sqlite3.Connection, article_id: int, limit: int) -> list[int]:
    """The previous related query: a read per feature, the products summed in Python."""
    own = conn.execute("SELECT coalesce(group_id, id) FROM articles WHERE id = ?", (article_id,))
    own_group = int(own.fetchone()[0])
    sql = "SELECT feature, weight FROM article_features WHERE article_id = ?"
    mine = {int(f): float(w) for f, w in conn.execute(sql, (article_id,))}
    scores: dict[int, float] = defaultdict(float)
    for feature in sorted(mine, key=lambda f: -mine[f])[:QUERY_FEATURES]:
        rows = conn.execute(
            """SELECT article_id, weight FROM article_features WHERE feature = ?
               ORDER BY weight DESC LIMIT ?""",
            (feature, POSTINGS),
        )
        for other, weight in rows:
            scores[int(other)] += mine[feature] * float(weight)
    scores.pop(article_id, None)
    top = sorted(scores, key=lambda a: -scores[a])[: limit * 5]
    return best_visible(conn, {a: scores[a] for a in top}, own_group, limit)


def measure(path: Path, count: int) -> dict[str, list[float]]:
    """Milliseconds per query. The query and the previous one each run first on their own
    random articles (interleaved, so both meet the same cache and load); then the article
    page's call repeats the query's article (its pages now cached), and the previous query's
    ids are compared with the query's on the same article, untimed."""
    storage = SqliteStorage(path)
    conn = storage.connection
    rng = random.Random(SEED + count)
    ids = [(rng.randint(1, count), rng.randint(1, count)) for _ in range(QUERIES)]
    times: dict[str, list[float]] = {"query": [], "page": [], "previous": [], "found": []}
    differ = 0
    for article_id, other_id in ids:
        t0 = time.perf_counter()
        found = related_ids(conn, article_id, LIMIT)
        t1 = time.perf_counter()
        python_sum_ids(conn, other_id, LIMIT)
        t2 = time.perf_counter()
        storage.related_articles(article_id, LIMIT)
        t3 = time.perf_counter()
        times["query"].append((t1 - t0) * 1000)
        times["previous"].append((t2 - t1) * 1000)
        times["page"].append((t3 - t2) * 1000)
        times["found"].append(len(found))
        differ += set(found) != set(python_sum_ids(conn, article_id, LIMIT))
    storage.close()
    times["differ"] = [differ]
    return times


def percentiles(values: Sequence[float]) -> str:
    p50, p95, p99 = np.percentile(values, [50, 95, 99])
    return f"{p50:.1f} / {p95:.1f} / {p99:.1f} ms"


def run(count: int, db_dir: Path, workers: int) -> list[str]:
    path = db_dir / f"related-{count}.db"
    build = "reused"
    if not path.exists():
        articles = load_paragraphs()
        t0 = time.perf_counter()
        rows = compute_features(recombined(articles, count), count, workers)
        vec_s = time.perf_counter() - t0
        write_s = create_db(path, count, rows)
        build = f"vectors {vec_s:.0f} s ({count / vec_s:,.0f}/s), write {write_s:.0f} s"
    print(f"  built {path}: {build}", file=sys.stderr, flush=True)
    times = measure(path, count)
    size = sum(os.path.getsize(p) for p in path.parent.glob(path.name + "*")) / 2**20
    rows_n = sqlite3.connect(path).execute("SELECT count(*) FROM article_features").fetchone()[0]
    found = float(np.mean(times["found"]))
    return [
        f"{count:,}",
        f"{rows_n:,}",
        f"{size:,.0f} MiB",
        percentiles(times["query"]),
        percentiles(times["page"]),
        percentiles(times["previous"]),
        f"{found:.2f}",
        f"{int(times['differ'][0])}",
        build,
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default="100000", help="comma-separated sizes")
    parser.add_argument("--db-dir", type=Path, default=Path("/tmp/khabar-bench-related"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--append", action="store_true", help="append the table to RESULTS.md")
    args = parser.parse_args()
    args.db_dir.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    rows = [run(int(n), args.db_dir, args.workers) for n in args.articles.split(",")]
    header = [
        "articles",
        "feature rows",
        "file",
        "related_ids p50 / p95 / p99",
        "related_articles (page, article's pages cached) p50 / p95 / p99",
        "previous query p50 / p95 / p99",
        "related found (of 5)",
        "articles whose ids differ from the previous query",
        "build",
    ]
    lines = [
        f"### Related articles — {started:%Y-%m-%d %H:%M} UTC — {platform.system()} "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version} (`bench/related.py --articles {args.articles}`)",
        "",
        f"{QUERIES:,} random articles, limit {LIMIT}; goal p95 ≤ 50 ms at 1M.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(row) + " |" for row in rows),
    ]
    text = "\n".join(lines)
    print(text)
    if args.append:
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write("\n" + text + "\n")


if __name__ == "__main__":
    main()
