"""``khabar run`` / ``khabar serve``: the scheduler loop and the web server on one event loop."""

from __future__ import annotations

import asyncio
import logging
from importlib import resources

import uvicorn

from khabar.rules.webhook import alert_loop
from khabar.service import Khabar
from khabar.settings import Settings

__all__ = ["STARTER_OPML", "scheduler_loop", "serve_forever"]

log = logging.getLogger("khabar.runner")
TICK_SECONDS = 30.0  # how often the loop looks for due sources


def starter_opml() -> bytes:
    return resources.files("khabar.data").joinpath("starter.opml").read_bytes()


STARTER_OPML = "khabar/data/starter.opml"


async def scheduler_loop(service: Khabar, tick: float = TICK_SECONDS) -> None:
    """Update due sources forever; one failing round never stops the loop."""
    while True:
        try:
            results = await service.update(only_due=True)
            if results:
                new = sum(r.new for r in results)
                failed = sum(1 for r in results if r.status == "failed")
                log.info(
                    "updated %d sources: %d new articles, %d failed", len(results), new, failed
                )
        except Exception:  # the loop must survive any bug in one round; it is logged
            log.exception("update round failed")
        await asyncio.sleep(tick)


async def serve_forever(settings: Settings, *, with_scheduler: bool, starter: bool = False) -> None:
    from khabar.web.app import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    with Khabar(settings) as service:
        if starter and not service.sources():
            report = service.import_opml(starter_opml(), STARTER_OPML)
            log.info("following %d starter outlets", report.added)
        config = uvicorn.Config(
            create_app(settings, service),
            host=settings.host,
            port=settings.port,
            log_level="warning",
        )
        server = uvicorn.Server(config)
        print(f"Khabar reader: http://{settings.host}:{settings.port}/", flush=True)
        tasks = [asyncio.create_task(server.serve())]
        if with_scheduler:
            tasks.append(asyncio.create_task(scheduler_loop(service)))
            tasks.append(asyncio.create_task(alert_loop(service.storage, settings)))
        try:
            await tasks[0]
        finally:
            for task in tasks[1:]:
                task.cancel()
