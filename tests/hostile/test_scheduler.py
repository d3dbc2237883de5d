"""Every kind of hostile source at once, under the real scheduler loop: each fails alone with
its reason recorded, the healthy sources keep updating round after round, the loop lives on."""

from __future__ import annotations

import asyncio
import gzip
import time
from collections.abc import Iterator
from pathlib import Path

from tests.hostile.kit import RSS_HEADERS, follow, good_feed, rss, rss_item, settings_for, stored
from tests.hostile.test_documents import LAUGHS
from tests.support.httpserver import LocalServer, Reply

from khabar.runner import scheduler_loop
from khabar.service import Khabar


def _drip() -> Iterator[bytes]:
    for _ in range(600):
        time.sleep(0.3)
        yield b" "


def _endless() -> Iterator[bytes]:
    while True:
        yield b"<item>" + b"x" * 65_536 + b"</item>"


HOSTILE: dict[str, tuple[Reply, str]] = {
    "bomb": (
        Reply(200, gzip.compress(b" " * (20 * 1024 * 1024)), {"Content-Encoding": "gzip"}),
        "cap",
    ),
    "endless": (Reply(200, _endless(), RSS_HEADERS), "cap"),
    "drip": (Reply(200, _drip(), RSS_HEADERS), "fetch_deadline"),
    "laughs": (Reply(200, LAUGHS, RSS_HEADERS), "refused"),
    "deep-json": (
        Reply(200, b'{"version": "https://jsonfeed.org/version/1.1", "items": ' + b"[" * 50_000),
        "nested too deeply",
    ),
    "deep-xml": (Reply(200, b"<rss>" + b"<x>" * 50_000, RSS_HEADERS), "nested more than"),
    "metadata": (Reply.redirect("http://169.254.169.254/latest/meta-data/"), "link-local"),
    "loop": (Reply.redirect("/loop/feed.xml"), "redirect loop"),
    "html": (Reply(200, "<!doctype html><title>x</title>"), "HTML page"),
    "missing": (Reply(404, "no"), "HTTP 404"),
}


def test_the_scheduler_outlives_every_hostile_source(server: LocalServer, tmp_path: Path) -> None:
    for name, (reply, _) in HOSTILE.items():
        server.route(f"/{name}/feed.xml", reply)
    for name in ("good-a", "good-b"):
        server.route(f"/{name}/feed.xml", Reply(200, good_feed(server, name), RSS_HEADERS))
    settings = settings_for(
        tmp_path, fetch_deadline=1.0, read_timeout=0.8, min_interval=0.5, max_interval=1.0
    )
    with Khabar(settings) as service:
        hostile = {name: follow(service, server.url(f"/{name}/feed.xml")) for name in HOSTILE}
        good = {
            name: follow(service, server.url(f"/{name}/feed.xml")) for name in ("good-a", "good-b")
        }

        async def run() -> None:
            loop = asyncio.create_task(scheduler_loop(service, tick=0.2))
            try:
                await _until(lambda: server.hits("/good-a/feed.xml") >= 2, loop, seconds=20)
                # A new article appears while hostile sources keep failing: it is picked up.
                fresh = rss_item(server.origin, "/good-a/fresh.html", "خبر جديد")
                server.route("/good-a/feed.xml", Reply(200, rss([fresh]), RSS_HEADERS))
                seen = server.hits("/good-a/feed.xml")
                await _until(lambda: server.hits("/good-a/feed.xml") > seen, loop, seconds=20)
                await _until(lambda: _has(service, good["good-a"], "خبر جديد"), loop, seconds=20)
                assert not loop.done(), "the scheduler loop ended"
            finally:
                loop.cancel()

        asyncio.run(run())
        for name, source_id in hostile.items():
            source = service.source(source_id)
            expected = HOSTILE[name][1]
            assert expected.lower() in (source.last_error or "").lower(), (name, source.last_error)
            assert source.error_count >= 1
        assert len(stored(service, good["good-b"])) == 2
        titles = {a.title for a in stored(service, good["good-a"])}
        assert "خبر جديد" in titles and len(titles) == 3, "nothing stored is lost"
        assert service.source(good["good-a"]).error_count == 0


def _has(service: Khabar, source_id: int, title: str) -> bool:
    return any(a.title == title for a in stored(service, source_id))


async def _until(condition: object, loop: asyncio.Task[None], *, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert not loop.done(), loop.exception() if loop.done() else None
        assert time.monotonic() < deadline, "the scheduler made no progress"
        await asyncio.sleep(0.05)
