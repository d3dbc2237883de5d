"""Distributed ingest benchmark: ``khabar worker`` processes against the demo mirror.

For 1, 2 and 3 worker processes (each: one job at a time per --concurrency, extraction in one
thread), on a fresh PostgreSQL database of a throwaway cluster: queue an update of every demo
outlet, time until every article is stored and the queue is empty. Worker start-up is not
timed (the workers are registered before the first job is queued). Also measured:

- the queue's own cost: no-op jobs per second through one in-process worker;
- the write lock: seconds each worker waited for it and held it (from the workers' exit line);
- what a separate "write" job would have to carry: the pickled AnalyzedArticle of a page.

``--before SRC`` also runs each worker count with the ``khabar`` package of another source
tree (e.g. the code before a change, copied to /tmp), right before the current code, so the
two are measured side by side under the same machine load. ``--write-cost`` only times one
process's ``SerializedWriter.write`` on 300 ANT articles one minute apart (alternating with
``--before SRC``, three rounds, a fresh database each).

Usage: python bench/distributed.py [--workers 1 2 3] [--scale 1] [--concurrency 4]
       [--before SRC] [--write-cost]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pickle
import platform
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from procrastinate import App, PsycopgConnector

from ingest import MirrorProcess, fetch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.support.postgres import PostgresCluster

from khabar.distributed.app import build_app, defer_source
from khabar.distributed.schema import ensure_schema
from khabar.feeds import parse_feed, parse_opml
from khabar.storage.postgres.storage import PostgresStorage
from khabar.workers import extract_and_analyze

KHABAR = Path(sys.executable).with_name("khabar")
STATS = re.compile(r"(\d+) writes, ([\d.]+) s waiting for the write lock, ([\d.]+) s holding it")


EXTRACT_WORKERS = "1"


def worker_env(url: str, src: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_")}
    if src is not None:
        env["PYTHONPATH"] = src  # ahead of the editable install's path
    return env | {
        "KHABAR_DATABASE_URL": url,
        "KHABAR_ALLOW_HOSTS": "127.0.0.1",
        "KHABAR_PER_HOST_DELAY": "0",
        "KHABAR_PER_HOST_CONCURRENCY": "8",
        "KHABAR_EXTRACT_WORKERS": EXTRACT_WORKERS,
        "KHABAR_MAX_ENTRIES_PER_UPDATE": "100000",
        "KHABAR_MIN_INTERVAL": "86400",
    }


def count(url: str, sql: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute(sql).fetchone()
    return int(row[0]) if row else 0


def run_workers(
    cluster: PostgresCluster | None,
    mirror: MirrorProcess,
    n: int,
    concurrency: int,
    url: str | None = None,
    src: str | None = None,
) -> dict[str, float]:
    """Time ``n`` workers ingesting the mirror into ``url`` (default: a fresh database;
    ``bench/postgres_scale.py`` passes one already holding many articles)."""
    if url is None:
        if cluster is None:
            raise ValueError("a cluster or a database URL")
        url = cluster.create_database("bench_dist")
    store = PostgresStorage(url)
    from khabar.service import Khabar
    from khabar.settings import Settings

    with Khabar(Settings(database_url=url), storage=store) as service:
        before = {s.id for s in service.sources()}
        service.import_opml(mirror.opml().encode(), "demo mirror")
        sources = [s.id for s in service.sources() if s.id not in before]
    ensure_schema(url)
    args = [str(KHABAR), "worker", "--concurrency", str(concurrency), "--tick", "3600"]
    # Logs go to files: a pipe nobody reads would fill up and block the workers.
    logs = [tempfile.TemporaryFile("w+") for _ in range(n)]  # noqa: SIM115
    procs = [
        subprocess.Popen(
            [*args, "--name", f"bench-{i}"],
            env=worker_env(url, src),
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
        for i, log in enumerate(logs)
    ]
    while count(url, "SELECT count(*) FROM procrastinate_workers") < n:
        time.sleep(0.1)
    time.sleep(2)  # the first periodic ticks pass
    started = time.perf_counter()

    async def queue(app: App) -> None:
        for source_id in sources:
            await defer_source(app, source_id, force=True)

    async def main() -> None:
        app = build_app(url)
        async with app.open_async():
            await queue(app)

    asyncio.run(main())
    expected = len(mirror_articles(mirror))
    active = (
        "SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing')"
        " AND task_name IN ('khabar.update_source', 'khabar.process_page')"
    )
    stored = f"SELECT count(*) FROM articles WHERE source_id IN ({','.join(map(str, sources))})"
    while count(url, stored) < expected or count(url, active):
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    for proc in procs:
        proc.send_signal(signal.SIGTERM)
    waited = held = 0.0
    writes = 0
    for proc, log in zip(procs, logs, strict=True):
        proc.wait(timeout=60)
        log.seek(0)
        found = STATS.search(log.read())
        log.close()
        if found:
            writes += int(found[1])
            waited += float(found[2])
            held += float(found[3])
    jobs = expected + len(sources)
    return {
        "workers": n,
        "articles": expected,
        "seconds": elapsed,
        "jobs_per_s": jobs / elapsed,
        "articles_per_s": expected / elapsed,
        "lock_wait_ms": 1000 * waited / max(1, writes),
        "lock_held_ms": 1000 * held / max(1, writes),
        "lock_busy": held / elapsed,
    }


def single_process(cluster: PostgresCluster, mirror: MirrorProcess) -> float:
    """The same corpus through the one-process pipeline (``khabar update``) on PostgreSQL."""
    from khabar.service import Khabar
    from khabar.settings import load_settings

    url = cluster.create_database("bench_single")
    settings = load_settings({}, environ=worker_env(url))
    with Khabar(settings) as service:
        service.import_opml(mirror.opml().encode(), "demo mirror")
        started = time.perf_counter()
        asyncio.run(service.update())
        return time.perf_counter() - started


def mirror_articles(mirror: MirrorProcess) -> list[str]:
    urls: list[str] = []
    for source in parse_opml(mirror.opml().encode(), "mirror"):
        feed = parse_feed(fetch(source.url), source.url)
        urls.extend(e.url for e in feed.entries)
    return sorted(set(urls))


def write_cost(url: str, articles: int = 400, warm: int = 100) -> str:
    """Mean ms per SerializedWriter.write (and inside the lock), one process, ANT articles
    one minute apart (all inside one dedupe window); the first ``warm`` writes not timed."""
    import gzip
    import json
    from datetime import UTC, datetime, timedelta

    from khabar.analyze.article import analyze_article
    from khabar.distributed.writelock import SerializedWriter
    from khabar.settings import Settings
    from khabar.types import ExtractedArticle, FeedEntry, NewSource

    ant = Path(__file__).resolve().parents[2] / "shared" / "data" / "ant" / "train.jsonl.gz"
    with gzip.open(ant, "rt", encoding="utf-8") as fh:
        rows = [json.loads(line) for _, line in zip(range(articles), fh, strict=False)]
    ensure_schema(url)
    store = PostgresStorage(url)
    source = store.add_source(NewSource(url="https://ant.example/feed", title="ant", kind="feed"))
    start = datetime(2024, 1, 1, tzinfo=UTC)
    items = []
    for i, row in enumerate(rows):
        entry = FeedEntry(
            url=f"https://ant.example/{i}",
            title=row["title"],
            published=start + timedelta(minutes=i),
        )
        paragraphs = tuple(p for p in row["text"].split("\n") if p.strip())
        extracted = ExtractedArticle(url=entry.url, title=row["title"], paragraphs=paragraphs)
        items.append((entry, analyze_article(extracted, entry)))
    writer = SerializedWriter(store, Settings())
    for entry, analyzed in items[:warm]:
        writer.write(source, entry, analyzed)
    held, began = writer.stats.held, time.perf_counter()
    for entry, analyzed in items[warm:]:
        writer.write(source, entry, analyzed)
    n = len(items) - warm
    total = (time.perf_counter() - began) / n * 1000
    store.close()
    return f"{total:.1f} ms per write, {(writer.stats.held - held) / n * 1000:.1f} ms in the lock"


def write_costs(cluster: PostgresCluster, before: str | None, rounds: int = 3) -> None:
    """``write_cost`` of the current code and of ``before``, alternating, in subprocesses."""
    trees = [("before", before), ("now", None)] if before else [("now", None)]
    for _ in range(rounds):
        for label, src in trees:
            url = cluster.create_database("bench_write")
            env = worker_env(url, src)
            out = subprocess.run(
                [sys.executable, __file__, "--write-cost-of", url],
                env=env,
                capture_output=True,
                text=True,
                check=True,
                cwd=Path(__file__).parent,
            )
            print(f"serialized write ({label}): {out.stdout.strip()}", flush=True)


def noop_jobs_per_second(cluster: PostgresCluster, jobs: int = 500) -> float:
    url = cluster.create_database("bench_noop")
    ensure_schema(url)
    app = App(connector=PsycopgConnector(conninfo=url))

    @app.task(name="noop")
    async def noop() -> None:
        return None

    async def main() -> float:
        async with app.open_async():
            await noop.batch_defer_async(*({} for _ in range(jobs)))
            started = time.perf_counter()
            await app.run_worker_async(wait=False, concurrency=4, install_signal_handlers=False)
            return jobs / (time.perf_counter() - started)

    return asyncio.run(main())


def payload_bytes(mirror: MirrorProcess, sample: int = 50) -> tuple[float, float]:
    """Mean bytes of a page job's arguments vs. of a pickled AnalyzedArticle."""
    import json

    from khabar.distributed.codec import entry_to_json

    sizes_args, sizes_write = [], []
    for source in parse_opml(mirror.opml().encode(), "mirror"):
        feed = parse_feed(fetch(source.url), source.url)
        for entry in feed.entries[: sample // 5]:
            html = fetch(entry.url).decode("utf-8")
            analyzed = extract_and_analyze(html, entry.url, entry)
            sizes_args.append(len(json.dumps(entry_to_json(entry), ensure_ascii=False).encode()))
            sizes_write.append(len(pickle.dumps(analyzed)))
    return sum(sizes_args) / len(sizes_args), sum(sizes_write) / len(sizes_write)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--extract-workers", default="1", help="KHABAR_EXTRACT_WORKERS of each")
    parser.add_argument("--baseline", action="store_true", help="also `khabar update`, 1 process")
    parser.add_argument("--before", help="a src/ tree to run side by side (see the docstring)")
    parser.add_argument("--write-cost", action="store_true", help="only time one write")
    parser.add_argument("--write-cost-of", help=argparse.SUPPRESS)  # the subprocess's part
    args = parser.parse_args()
    if args.write_cost_of:
        print(write_cost(args.write_cost_of))
        return
    if args.write_cost:
        with PostgresCluster() as cluster:
            write_costs(cluster, args.before)
        return
    global EXTRACT_WORKERS
    EXTRACT_WORKERS = args.extract_workers
    mirror = MirrorProcess(args.scale)
    with tempfile.TemporaryDirectory(), PostgresCluster() as cluster:
        machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores"
        print(f"# {machine}, Python {platform.python_version()}")
        noop = noop_jobs_per_second(cluster)
        print(f"queue overhead: {noop:.0f} no-op jobs/s (1 worker, concurrency 4)")
        args_size, write_size = payload_bytes(mirror)
        print(
            f"page job arguments: {args_size:.0f} B; a pickled AnalyzedArticle: {write_size:.0f} B"
        )
        print(
            "| workers | articles | seconds | jobs/s | articles/s | lock wait ms/write "
            "| lock held ms/write | lock busy |"
        )
        print("|---|---|---|---|---|---|---|---|")
        if args.baseline:
            seconds = single_process(cluster, mirror)
            print(
                f"| `khabar update` (one process, no queue) | 500 | {seconds:.1f} | — | "
                f"{500 / seconds:.1f} | — | — | — |"
            )
        for n in args.workers:
            runs = [("before ", args.before), ("", None)] if args.before else [("", None)]
            for label, src in runs:
                r = run_workers(cluster, mirror, n, args.concurrency, src=src)
                print(
                    f"| {label}{n} | {r['articles']:.0f} | {r['seconds']:.1f} | "
                    f"{r['jobs_per_s']:.1f} | {r['articles_per_s']:.1f} | "
                    f"{r['lock_wait_ms']:.1f} | {r['lock_held_ms']:.1f} | {r['lock_busy']:.0%} |",
                    flush=True,
                )
    mirror.stop()


if __name__ == "__main__":
    main()
