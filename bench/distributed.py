"""Distributed ingest benchmark: ``khabar worker`` processes against the demo mirror.

For 1, 2 and 3 worker processes (each: one job at a time per --concurrency, extraction in one
thread), on a fresh PostgreSQL database of a throwaway cluster: queue an update of every demo
outlet, time until every article is stored and the queue is empty. Worker start-up is not
timed (the workers are registered before the first job is queued). Also measured:

- the queue's own cost: no-op jobs per second through one in-process worker;
- the write lock: seconds each worker waited for it and held it (from the workers' exit line);
- what a separate "write" job would have to carry: the pickled AnalyzedArticle of a page.

Usage: python bench/distributed.py [--workers 1 2 3] [--scale 1] [--concurrency 4]
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


def worker_env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_")}
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
    cluster: PostgresCluster, mirror: MirrorProcess, n: int, concurrency: int
) -> dict[str, float]:
    url = cluster.create_database("bench_dist")
    store = PostgresStorage(url)
    from khabar.service import Khabar
    from khabar.settings import Settings

    with Khabar(Settings(database_url=url), storage=store) as service:
        service.import_opml(mirror.opml().encode(), "demo mirror")
        sources = [s.id for s in service.sources()]
    ensure_schema(url)
    args = [str(KHABAR), "worker", "--concurrency", str(concurrency), "--tick", "3600"]
    # Logs go to files: a pipe nobody reads would fill up and block the workers.
    logs = [tempfile.TemporaryFile("w+") for _ in range(n)]  # noqa: SIM115
    procs = [
        subprocess.Popen(
            [*args, "--name", f"bench-{i}"],
            env=worker_env(url),
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
    while count(url, "SELECT count(*) FROM articles") < expected or count(url, active):
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
    args = parser.parse_args()
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
            r = run_workers(cluster, mirror, n, args.concurrency)
            print(
                f"| {n} | {r['articles']:.0f} | {r['seconds']:.1f} | {r['jobs_per_s']:.1f} | "
                f"{r['articles_per_s']:.1f} | {r['lock_wait_ms']:.1f} | {r['lock_held_ms']:.1f} | "
                f"{r['lock_busy']:.0%} |",
                flush=True,
            )
    mirror.stop()


if __name__ == "__main__":
    main()
