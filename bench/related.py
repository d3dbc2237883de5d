"""Related articles at scale: what a FIRST touch of an article's related articles costs with
N stored articles, with the machine's page cache cold (the file evicted) and warm.

Fills a real SQLite file (the real schema, created by ``SqliteStorage``) with N articles and
their ``article_features`` rows, then, for 1,000 random articles each touched once (a fresh
connection: SQLite's own cache holds only what earlier articles left), times ``related_ids``
(the query the article page runs) and the page's read of the 5 articles, and counts the read
calls SQLite made (``syscr`` of ``/proc/self/io``: one per page missed in its cache).

Side by side, in the same run on the same articles: the previous layout and query (before
migration 11: 8-byte float weights, the candidates' hidden flag and copy group read from their
article rows — :func:`previous_ids`), on ``related-N.previous.db``, a copy of an N-article
file made before migration 11 (``cp related-N.db related-N.previous.db`` before the first run
of this version migrates the file; without it the previous columns are left out). The two run
alternately per article (which one goes first alternates too), each on its own file, so both
meet the same load; their ids are compared.

Articles are recombined from real ANT texts (``../shared/data/ant/train.jsonl.gz``): the title
and first paragraph of one ANT article plus two paragraphs of other articles of the same
section, so the vocabulary and its Zipf tail are real news. Every vector is computed with the
real code (``khabar.stories.link.story_vector``, the shipped document frequencies and settings;
no entity features: entity extraction is not part of this measure) and reduced with
``features_of`` to the 20 stored features, in worker processes. Every ``COPY_EVERY``-th article
is a copy of the one before (same features, same copy group), so the group exclusion is
exercised. The articles' text and html are empty unless ``--pad BYTES`` (copies of both files
whose articles carry that much text and twice as much html, like fetched ones: a row read then
walks its overflow pages, as the previous query did for each candidate).

Rows are written in big transactions, ``article_features`` in primary-key order with its
secondary index built afterwards (the final schema is the migration's). The file is kept
(``--db-dir``) so a second run with the same N only measures; an older file is migrated.

Usage: flock /tmp/khabar-bench.lock nice -n 0 .venv/bin/python bench/related.py
       --articles 100000,1000000 [--pad 5000] [--append]
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import platform
import random
import shutil
import sqlite3
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from khabar.storage.sqlite.related import related_ids
from khabar.storage.sqlite.storage import SqliteStorage
from khabar.stories.link import story_vector
from khabar.stories.related import (
    POSTINGS,
    QUERY_FEATURES,
    WEIGHT_SCALE,
    best_related,
    features_of,
)

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
    stored = np.clip(np.rint(weight * WEIGHT_SCALE), 1, WEIGHT_SCALE).astype(np.int64)  # quantized
    order = np.lexsort((article, stored, feature))
    conn.execute("DROP INDEX article_features_by_article")
    for start in range(0, len(order), BATCH * 10):
        part = order[start : start + BATCH * 10]
        ids = article[part].tolist()
        conn.execute("BEGIN")
        conn.executemany(
            """INSERT OR IGNORE INTO article_features (feature, weight, article_id, group_id)
               VALUES (?, ?, ?, ?)""",
            zip(feature[part].tolist(), stored[part].tolist(), ids, map(_group, ids), strict=True),
        )
        conn.execute("COMMIT")
    conn.execute("CREATE INDEX article_features_by_article ON article_features (article_id)")


# --- the previous layout and query (before migration 11), for the side-by-side columns -------


def previous_ids(conn: sqlite3.Connection, article_id: int, limit: int) -> list[int]:
    """The related query before migration 11: float weights; the candidates' copy group and
    hidden flag read from their article rows."""
    own = conn.execute("SELECT coalesce(group_id, id) FROM articles WHERE id = ?", (article_id,))
    own_group = int(own.fetchone()[0])
    sql = "SELECT feature, weight FROM article_features WHERE article_id = ?"
    mine = {int(f): float(w) for f, w in conn.execute(sql, (article_id,))}
    if not mine:
        return []
    heaviest = sorted(mine.items(), key=lambda item: (-item[1], item[0]))[:QUERY_FEATURES]
    part = (
        "SELECT article_id, weight * ? AS s FROM (SELECT article_id, weight FROM "
        "article_features WHERE feature = ? ORDER BY weight DESC LIMIT ?) AS p{}"
    )
    union = " UNION ALL ".join(part.format(i) for i in range(len(heaviest)))
    query = (
        f"SELECT article_id, sum(s) AS score FROM ({union}) AS postings WHERE article_id <> ? "
        "GROUP BY article_id ORDER BY score DESC, article_id DESC LIMIT ?"
    )
    flat = [x for feature, weight in heaviest for x in (weight, feature, POSTINGS)]
    scores = {int(a): float(x) for a, x in conn.execute(query, (*flat, article_id, limit * 5))}
    marks = ",".join("?" * len(scores))
    groups = {
        int(a): int(g)
        for a, g in conn.execute(
            f"SELECT id, coalesce(group_id, id) FROM articles WHERE id IN ({marks}) AND hidden = 0",
            list(scores),
        )
    }
    return best_related({a: scores[a] for a in groups}, groups, own_group, limit)


# --- measuring ---------------------------------------------------------------------------------

Query = Callable[[sqlite3.Connection, int, int], list[int]]


def _read_calls() -> int:
    """Read system calls of this process so far (SQLite reads a missed page with one)."""
    with open("/proc/self/io", encoding="ascii") as fh:
        fields = dict(line.split(": ") for line in fh.read().splitlines())
    return int(fields["syscr"])


def evict(path: Path) -> None:
    """Drop the file (and its WAL) from the machine's page cache."""
    for name in (path, Path(str(path) + "-wal")):
        if name.exists():
            fd = os.open(name, os.O_RDONLY)
            try:
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            finally:
                os.close(fd)


def warm(path: Path) -> None:
    """Read the whole file once, so the page cache holds it."""
    with path.open("rb") as fh:
        while fh.read(1 << 24):
            pass


class Side:
    """One layout's file, its query and what it measured."""

    def __init__(self, path: Path, query: Query) -> None:
        self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        self.query = query
        self.times: dict[str, list[float]] = defaultdict(list)
        self.found: dict[int, list[int]] = {}

    def touch(self, article_id: int) -> None:
        """The article page's first touch: the query, then its related articles' rows."""
        r0, t0 = _read_calls(), time.perf_counter()
        ids = self.query(self.conn, article_id, LIMIT)
        t1 = time.perf_counter()
        marks = ",".join("?" * len(ids))
        self.conn.execute(f"SELECT * FROM articles WHERE id IN ({marks})", ids).fetchall()
        t2, r2 = time.perf_counter(), _read_calls()
        self.times["query"].append((t1 - t0) * 1000)
        self.times["page"].append((t2 - t0) * 1000)
        self.times["reads"].append(r2 - r0)
        self.found[article_id] = ids


def measure(paths: Mapping[str, Path], count: int, cold: bool, queries: int) -> dict[str, Side]:
    """Each layout's first touch of the same ``queries`` random articles, alternating."""
    for path in paths.values():
        if cold:
            evict(path)
        else:
            warm(path)
    kinds: dict[str, Query] = {"new": related_ids, "previous": previous_ids}
    sides = {name: Side(path, kinds[name]) for name, path in paths.items()}
    articles = random.Random(SEED + count + cold).sample(range(1, count + 1), queries)
    for n, article_id in enumerate(articles):
        order = list(sides.values())
        for side in order if n % 2 == 0 else order[::-1]:
            side.touch(article_id)
    for side in sides.values():
        side.conn.close()
    return sides


def percentiles(values: Sequence[float]) -> str:
    p50, p95, p99 = np.percentile(values, [50, 95, 99])
    return f"{p50:.1f} / {p95:.1f} / {p99:.1f} ms"


def compared(new: Side, previous: Side | None) -> tuple[str, str]:
    """(articles with the same ids as the previous query, share of the previous ids found)."""
    if previous is None:
        return "–", "–"
    same = sum(set(new.found[a]) == set(previous.found[a]) for a in new.found)
    shared = sum(len(set(new.found[a]) & set(previous.found[a])) for a in new.found)
    total = sum(len(ids) for ids in previous.found.values())
    return f"{same:,} of {len(new.found):,}", f"{shared / max(1, total):.3f}"


def prepare(count: int, db_dir: Path, workers: int) -> tuple[Path, str]:
    """The N-article file at the current schema (built if missing, migrated if older)."""
    path = db_dir / f"related-{count}.db"
    if not path.exists():
        articles = load_paragraphs()
        t0 = time.perf_counter()
        rows = compute_features(recombined(articles, count), count, workers)
        vec_s = time.perf_counter() - t0
        write_s = create_db(path, count, rows)
        return path, f"built: vectors {vec_s:.0f} s ({count / vec_s:,.0f}/s), write {write_s:.0f} s"
    t0 = time.perf_counter()
    SqliteStorage(path).close()  # migrates an older file
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path, f"reused (open + migrations {time.perf_counter() - t0:.0f} s)"


def padded(path: Path, pad: int) -> Path:
    """A copy of the file whose every article has ``pad`` bytes of text and ``2 × pad`` of
    html, like fetched articles (made once, nice -n 19 advised: it writes 3 × pad × N bytes)."""
    copy = path.with_name(path.name.replace(".db", f".pad{pad}.db"))
    if not copy.exists():
        shutil.copyfile(path, copy)
        conn = sqlite3.connect(copy, isolation_level=None)
        conn.execute("UPDATE articles SET text = ?, html = ?", ("ن" * (pad // 2), "x" * 2 * pad))
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
    return copy


def run(count: int, db_dir: Path, workers: int, queries: int, pad: int) -> list[list[str]]:
    path, build = prepare(count, db_dir, workers)
    print(f"  {path}: {build}", file=sys.stderr, flush=True)
    paths = {"new": path}
    previous = db_dir / f"related-{count}.previous.db"
    if previous.exists():
        paths["previous"] = previous
    if pad:
        paths = {name: padded(file, pad) for name, file in paths.items()}
    rows = []
    for cold in (True, False):
        load = os.getloadavg()[0]
        sides = measure(paths, count, cold, queries)
        new, old = sides["new"], sides.get("previous")
        same, overlap = compared(new, old)
        rows.append(
            [
                f"{count:,}" + (f", text {pad:,} B + html {2 * pad:,} B" if pad else ""),
                "evicted" if cold else "warm",
                percentiles(new.times["query"]),
                percentiles(new.times["page"]),
                f"{np.mean(new.times['reads']):.0f}",
                percentiles(old.times["query"]) if old else "–",
                percentiles(old.times["page"]) if old else "–",
                f"{np.mean(old.times['reads']):.0f}" if old else "–",
                same,
                overlap,
                f"{load:.1f} → {os.getloadavg()[0]:.1f}",
            ]
        )
        print("  " + " | ".join(rows[-1]), file=sys.stderr, flush=True)
    size = sum(os.path.getsize(p) for p in path.parent.glob(path.name + "*")) / 2**20
    print(f"  {path.name}: {size:,.0f} MiB; {build}", file=sys.stderr, flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default="100000", help="comma-separated sizes")
    parser.add_argument("--db-dir", type=Path, default=Path("/tmp/khabar-bench-related"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--queries", type=int, default=QUERIES, help="articles touched")
    parser.add_argument("--pad", type=int, default=0, help="bytes of text per article (copies)")
    parser.add_argument("--append", action="store_true", help="append the table to RESULTS.md")
    args = parser.parse_args()
    args.db_dir.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    rows = [
        row
        for n in args.articles.split(",")
        for row in run(int(n), args.db_dir, args.workers, args.queries, args.pad)
    ]
    header = [
        "articles",
        "page cache",
        "query p50 / p95 / p99",
        "page (query + 5 rows)",
        "reads",
        "previous query",
        "previous page",
        "previous reads",
        "same ids as previous",
        "previous ids kept",
        "load",
    ]
    lines = [
        f"### Related articles, first touch — {started:%Y-%m-%d %H:%M} UTC — "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version} "
        f"(`bench/related.py --articles {args.articles}"
        + (f" --pad {args.pad}" if args.pad else "")
        + "`)",
        "",
        f"{args.queries:,} random articles each touched once, limit {LIMIT}; goal p95 ≤ 50 ms "
        "at 1M.",
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
