"""``khabar worker`` and ``khabar migrate-db`` (registered in :mod:`khabar.cli`)."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from khabar.settings import load_settings

__all__ = ["migrate_db_command", "worker_command"]

err = Console(stderr=True)


def worker_command(
    concurrency: Annotated[
        int, typer.Option(min=1, help="Jobs this worker runs at once (fetches overlap).")
    ] = 4,
    name: Annotated[
        str | None, typer.Option(help="Worker name in logs (default: HOST-PID).")
    ] = None,
    tick: Annotated[
        int,
        typer.Option(min=1, help="Seconds between two looks for due sources and stalled jobs."),
    ] = 10,
    stalled_after: Annotated[
        float,
        typer.Option(
            min=1.0,
            help="Seconds without a heartbeat after which a worker counts as dead and its "
            "running jobs are queued again.",
        ),
    ] = 30.0,
    db: Annotated[
        str | None,
        typer.Option("--db", help="PostgreSQL database URL (default: KHABAR_DATABASE_URL)."),
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", help="TOML settings file (default: KHABAR_CONFIG).")
    ] = None,
) -> None:
    """Run fetch/extract/analyze/write jobs from the PostgreSQL queue; start one per core,
    on any number of machines. Due sources are queued every --tick seconds."""
    # Imported here: procrastinate is only loaded by the commands that use the queue.
    from khabar.distributed.app import WorkerOptions, run_worker

    settings = load_settings({"database_url": db}, config_file=config)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    options = WorkerOptions(
        concurrency=concurrency,
        name=name or f"{socket.gethostname()}-{os.getpid()}",
        tick=tick,
        stalled_after=stalled_after,
    )
    stats = asyncio.run(run_worker(settings, options))
    err.print(
        f"{options.name}: {stats.writes} writes, {stats.waited:.1f} s waiting for the write "
        f"lock, {stats.held:.1f} s holding it"
    )


def migrate_db_command(
    source: Annotated[str, typer.Option("--from", help="The SQLite installation: sqlite:///PATH.")],
    target: Annotated[
        str, typer.Option("--to", help="The PostgreSQL database: postgresql://USER@HOST/DB.")
    ],
    force: Annotated[
        bool, typer.Option("--force", help="Replace whatever the target database holds.")
    ] = False,
) -> None:
    """Copy sources, articles (copies, stories, entities, keywords), stories and rules
    from SQLite to PostgreSQL, keeping every id; all or nothing."""
    from khabar.migrate_db import migrate_db

    def show(table: str, rows: int) -> None:
        err.print(f"copied {table}: {rows}")

    report = migrate_db(source, target, force=force, progress=show)
    counts = ", ".join(f"{table} {rows}" for table, rows in report.copied.items())
    typer.echo(f"copied {counts}; search index: {report.indexed} articles")
