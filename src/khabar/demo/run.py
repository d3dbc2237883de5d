"""``khabar demo``: start the mirror, ingest it through the real pipeline, serve the reader."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from khabar.demo.server import DemoMirror
from khabar.service import Khabar
from khabar.settings import Settings
from khabar.storage.open import sqlite_path
from khabar.types import SourceUpdateResult

__all__ = ["demo_settings", "ingest_demo", "run_demo"]


def demo_settings(settings: Settings) -> Settings:
    """The demo's own settings: the local mirror is allow-listed and needs no politeness delay.

    The mirror serves five outlets from one host; eight requests at a time to it stand for the
    default two per host to each of five real outlets.
    """
    allow = tuple(dict.fromkeys((*settings.allow_hosts, "127.0.0.1")))
    return settings.replace(allow_hosts=allow, per_host_delay=0.0, per_host_concurrency=8)


def _remove_database(url: str) -> None:
    if not url.startswith("sqlite:"):
        return
    path = sqlite_path(url)
    for suffix in ("", "-wal", "-shm"):
        Path(path + suffix).unlink(missing_ok=True)


def ingest_demo(
    service: Khabar, mirror: DemoMirror, console: Console | None = None
) -> dict[str, Any]:
    """Follow the mirror's outlets and update them once; returns counts."""
    report = service.import_opml(mirror.opml().encode("utf-8"), "demo mirror")
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=console, disable=console is None, transient=True) as bar:
        task = bar.add_task("ingesting demo outlets", total=len(service.sources()))

        def advance(_: SourceUpdateResult) -> None:
            bar.advance(task)

        results = asyncio.run(service.update(progress=advance))
    return {
        "mirror": mirror.base_url,
        "sources": report.added + report.existing,
        "articles": service.count_articles(),
        "new": sum(r.new for r in results),
        "failed_sources": [r.source_url for r in results if r.status == "failed"],
        "page_errors": sum(r.failed for r in results),
    }


def run_demo(
    settings: Settings, *, serve: bool, fresh: bool, console: Console | None = None
) -> dict[str, Any]:
    """Run the whole demo; with ``serve`` it keeps serving the reader until interrupted."""
    settings = demo_settings(settings)
    if fresh:
        _remove_database(settings.database_url)
    with DemoMirror() as mirror:
        with Khabar(settings) as service:
            summary = ingest_demo(service, mirror, console)
        if console is not None:
            console.print(
                f"demo: {summary['articles']} articles from {summary['sources']} outlets "
                f"(mirror {mirror.base_url})"
            )
        if serve:
            from khabar.runner import serve_forever

            with contextlib.suppress(KeyboardInterrupt):
                asyncio.run(serve_forever(settings, with_scheduler=True))
    return summary
