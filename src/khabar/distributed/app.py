"""The procrastinate app: Khabar's jobs, their locks, the periodic ones, and running a worker.

Jobs and their locks (procrastinate's ``lock``: jobs sharing it run one at a time, in order;
``queueing_lock``: at most one of them waiting in the queue):

| task | lock / queueing lock | retries |
|---|---|---|
| ``khabar.update_source`` | ``source:ID`` / ``source:ID`` | 3 (feed errors are recorded) |
| ``khabar.process_page`` | ``page:ID:KEYHASH`` / the same | 5, backoff 2ⁿ s (database blips) |
| ``khabar.defer_due_sources`` | periodic, every ``tick`` s | — |
| ``khabar.retry_stalled_jobs`` | periodic, every ``tick`` s | — |

A source is thus fetched by one worker at a time, and queued at most once. Every worker runs
procrastinate's periodic deferrer, which defers each tick of a periodic task once for all
workers: there is no scheduler process to keep alive. ``retry_stalled_jobs`` puts back in the
queue the jobs of workers whose heartbeat stopped (killed, machine lost) ``stalled_after``
seconds ago, so another worker runs them again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from procrastinate import App, JobContext, PsycopgConnector, RetryStrategy
from procrastinate.exceptions import AlreadyEnqueued

from khabar.distributed.codec import entry_from_json, entry_to_json, page_lock
from khabar.distributed.jobs import due_source_ids, process_page, update_source
from khabar.distributed.runtime import WorkerRuntime
from khabar.distributed.schema import ensure_schema
from khabar.distributed.writelock import WriteStats
from khabar.errors import SettingsError
from khabar.settings import Settings
from khabar.types import FeedEntry, Source

__all__ = [
    "PAGE_TASK",
    "SOURCE_TASK",
    "WorkerOptions",
    "build_app",
    "defer_due",
    "defer_page",
    "defer_source",
    "run_worker",
]

log = logging.getLogger("khabar.distributed")

SOURCE_TASK = "khabar.update_source"
PAGE_TASK = "khabar.process_page"
RUNTIME = "khabar_runtime"  # key of the WorkerRuntime in procrastinate's additional_context


@dataclass(frozen=True, slots=True)
class WorkerOptions:
    """How one ``khabar worker`` runs (see ``khabar worker --help``)."""

    concurrency: int = 4
    name: str = "khabar-worker"
    tick: int = 10
    """Seconds between two looks for due sources and for stalled jobs."""
    stalled_after: float = 30.0
    """A worker silent this long is dead: its running jobs are queued again."""
    poll: float = 2.0
    """Seconds between two polls for jobs (LISTEN/NOTIFY wakes workers sooner)."""


def _cron(tick: int) -> str:
    """A cron line firing every ``tick`` seconds (procrastinate's 6th column is seconds)."""
    if tick < 1:
        raise SettingsError(f"tick must be at least 1 second, not {tick}")
    if tick < 60:
        return f"* * * * * */{tick}"
    return f"*/{max(1, tick // 60)} * * * *"


def build_app(database_url: str, options: WorkerOptions | None = None) -> App:
    """The app with Khabar's tasks registered (also what deferring code opens)."""
    options = options or WorkerOptions()
    app = App(connector=PsycopgConnector(conninfo=database_url))
    app.task(name=SOURCE_TASK, pass_context=True, retry=RetryStrategy(max_attempts=3, wait=5))(
        _update_source_task
    )
    app.task(
        name=PAGE_TASK, pass_context=True, retry=RetryStrategy(max_attempts=5, exponential_wait=2)
    )(_process_page_task)
    stalled_after = options.stalled_after

    async def retry_stalled_jobs(context: JobContext, timestamp: int) -> int:
        manager = context.app.job_manager
        stalled = list(await manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after))
        for job in stalled:
            log.warning(
                "job %s (%s) stalled: its worker is gone; queued again", job.id, job.task_name
            )
            await manager.retry_job(job)
        return len(stalled)

    cron = _cron(options.tick)
    periodic = app.periodic(cron=cron)
    periodic(
        app.task(name="khabar.retry_stalled_jobs", pass_context=True, queueing_lock="stalled")(
            retry_stalled_jobs
        )
    )
    periodic(
        app.task(name="khabar.defer_due_sources", pass_context=True, queueing_lock="due")(
            _defer_due_task
        )
    )
    return app


# --- deferring -------------------------------------------------------------------------


async def defer_source(app: App, source_id: int, *, force: bool = False) -> bool:
    """Queue an update of one source; False when one is already waiting."""
    lock = f"source:{source_id}"
    deferrer = app.configure_task(SOURCE_TASK, lock=lock, queueing_lock=lock)
    try:
        await deferrer.defer_async(source_id=source_id, force=force)
    except AlreadyEnqueued:
        return False
    return True


async def defer_page(app: App, source: Source, entry: FeedEntry) -> bool:
    """Queue one entry's page job; False when one is already waiting."""
    lock = page_lock(source.id, entry.key)
    deferrer = app.configure_task(PAGE_TASK, lock=lock, queueing_lock=lock)
    try:
        await deferrer.defer_async(source_id=source.id, entry=entry_to_json(entry))
    except AlreadyEnqueued:
        return False
    return True


async def defer_due(app: App, runtime: WorkerRuntime) -> int:
    """Queue an update of every due source; returns how many were queued."""
    ids = due_source_ids(runtime.storage, datetime.now(UTC))
    return sum([await defer_source(app, source_id) for source_id in ids])


# --- tasks -----------------------------------------------------------------------------


def _runtime(context: JobContext) -> WorkerRuntime:
    runtime = (context.additional_context or {}).get(RUNTIME)
    if not isinstance(runtime, WorkerRuntime):
        raise RuntimeError("Khabar jobs run in `khabar worker` (no runtime in the context)")
    return runtime


async def _update_source_task(context: JobContext, source_id: int, force: bool = False) -> Any:
    runtime = _runtime(context)

    async def queue_page(source: Source, entry: FeedEntry) -> bool:
        return await defer_page(context.app, source, entry)

    result = await update_source(runtime, source_id, queue_page, force=force)
    if result is None:
        return None
    return {"status": result.status, "queued": result.new, "error": result.error}


async def _process_page_task(context: JobContext, source_id: int, entry: dict[str, Any]) -> str:
    return await process_page(_runtime(context), source_id, entry_from_json(entry))


async def _defer_due_task(context: JobContext, timestamp: int) -> int:
    return await defer_due(context.app, _runtime(context))


# --- running ---------------------------------------------------------------------------


async def run_worker(settings: Settings, options: WorkerOptions) -> WriteStats:
    """Run one worker until it is stopped (SIGINT/SIGTERM finish the running jobs first)."""
    url = settings.database_url
    if not url.startswith(("postgresql://", "postgres://")):
        raise SettingsError(
            f"khabar worker needs a PostgreSQL database_url (postgresql://…), not {url!r}"
        )
    ensure_schema(url)
    app = build_app(url, options)
    async with WorkerRuntime.open(settings) as runtime, app.open_async():
        await app.run_worker_async(
            concurrency=options.concurrency,
            name=options.name,
            additional_context={RUNTIME: runtime},
            update_heartbeat_interval=max(0.5, options.stalled_after / 4),
            stalled_worker_timeout=options.stalled_after,
            fetch_job_polling_interval=options.poll,
            abort_job_polling_interval=options.poll,
            delete_jobs="successful",
        )
        return runtime.writer.stats
