"""The database locked by another process: writes wait (SQLite's busy timeout) and go on when
the lock ends; a lock that outlasts the timeout is a clear error for that round only; reading
goes on meanwhile (WAL)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from starlette.exceptions import StarletteDeprecationWarning
from tests.hostile.kit import RSS_HEADERS, follow, good_feed, settings_for, stored, update
from tests.support.httpserver import LocalServer, Reply

from khabar.runner import scheduler_loop
from khabar.service import Khabar
from khabar.storage.sqlite.storage import SqliteStorage
from khabar.web import create_app

with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

LOCKER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


@contextmanager
def locked(path: Path, seconds: float) -> Iterator[subprocess.Popen[str]]:
    """Another process holds the write lock of ``path`` for ``seconds``."""
    process = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(path), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "locked"
        yield process
    finally:
        process.wait(timeout=seconds + 10)


def _service(tmp_path: Path, busy_timeout: float) -> Khabar:
    settings = settings_for(tmp_path)
    storage = SqliteStorage(tmp_path / "khabar.db", timeout=busy_timeout)
    return Khabar(settings, storage=storage)


def test_a_short_lock_is_waited_out(server: LocalServer, tmp_path: Path) -> None:
    server.route("/a/feed.xml", Reply(200, good_feed(server, "a"), RSS_HEADERS))
    with _service(tmp_path, busy_timeout=5.0) as service:
        source = follow(service, server.url("/a/feed.xml"))
        with locked(tmp_path / "khabar.db", 1.0):
            started = time.monotonic()
            result = update(service)[source]
        assert result.new == 2 and result.error is None, result
        assert time.monotonic() - started >= 0.5, "the write waited for the lock"
        assert len(stored(service, source)) == 2


def test_a_long_lock_is_a_clear_error_and_reading_goes_on(
    server: LocalServer, tmp_path: Path
) -> None:
    server.route("/a/feed.xml", Reply(200, good_feed(server, "a"), RSS_HEADERS))
    with _service(tmp_path, busy_timeout=0.3) as service:
        source = follow(service, server.url("/a/feed.xml"))
        update(service)
        server.route("/a/feed.xml", Reply(200, good_feed(server, "a", count=3), RSS_HEADERS))
        with locked(tmp_path / "khabar.db", 1.5):
            failed = update(service)[source]  # the round ends; the source's failure is told
            assert failed.status == "failed"
            assert "database busy or unwritable: database is locked" in (failed.error or "")
            assert len(stored(service, source)) == 2, "readers are not blocked (WAL)"
            assert service.search("الحكومة OR الوزارة OR المدينة").total >= 0
        result = update(service)[source]
        assert result.new == 1 and result.error is None, "the next round does the work"
        assert service.source(source).error_count == 0


def test_the_scheduler_survives_a_locked_round(server: LocalServer, tmp_path: Path) -> None:
    server.route("/a/feed.xml", Reply(200, good_feed(server, "a"), RSS_HEADERS))
    with _service(tmp_path, busy_timeout=0.3) as service:
        source = follow(service, server.url("/a/feed.xml"))

        async def run() -> None:
            loop = asyncio.create_task(scheduler_loop(service, tick=0.2))
            try:
                deadline = time.monotonic() + 15
                while len(stored(service, source)) < 2:
                    assert not loop.done() and time.monotonic() < deadline
                    await asyncio.sleep(0.05)
            finally:
                loop.cancel()

        with locked(tmp_path / "khabar.db", 1.0):
            asyncio.run(_with_timeout(run(), 20))
        assert service.source(source).error_count == 0


async def _with_timeout(coroutine: object, seconds: float) -> None:
    await asyncio.wait_for(coroutine, seconds)  # type: ignore[arg-type]


def test_the_event_loop_stays_responsive_while_the_database_is_locked(
    server: LocalServer, tmp_path: Path
) -> None:
    server.route("/a/feed.xml", Reply(200, good_feed(server, "a"), RSS_HEADERS))
    with _service(tmp_path, busy_timeout=5.0) as service:
        follow(service, server.url("/a/feed.xml"))

        async def run() -> float:
            gaps = [0.0]

            async def ticker() -> None:  # the web reader on the same loop: it reads too
                last = time.monotonic()
                while True:
                    await asyncio.sleep(0.02)
                    service.articles(limit=5)
                    now = time.monotonic()
                    gaps.append(now - last)
                    last = now

            ticking = asyncio.create_task(ticker())
            try:
                await service.update()
            finally:
                ticking.cancel()
            return max(gaps)

        with locked(tmp_path / "khabar.db", 2.5):
            started = time.monotonic()
            worst = asyncio.run(run())
        assert worst < 0.5, f"the event loop stood still for {worst:.1f} s"
        assert time.monotonic() - started >= 1.0, "the update waited for the lock"
        assert len(service.articles(limit=10)) == 2, "and then stored its articles"


def test_a_web_write_waiting_for_the_lock_never_stops_the_readers(tmp_path: Path) -> None:
    token = "a-long-random-admin-token-for-tests"
    settings = settings_for(tmp_path, admin_token=token)
    storage = SqliteStorage(tmp_path / "khabar.db", timeout=5.0)
    rule = {"name": "زلازل", "action": "mark", "label": "زلزال"}
    rule["conditions"] = [{"kind": "keyword", "values": ["الزلزال"]}]  # type: ignore[assignment]
    with (
        Khabar(settings, storage=storage) as service,
        TestClient(create_app(settings, service)) as client,
        ThreadPoolExecutor(1) as pool,
    ):
        with locked(tmp_path / "khabar.db", 2.5):
            auth = {"Authorization": f"Bearer {token}"}
            writing = pool.submit(client.post, "/api/v1/rules", json=rule, headers=auth)
            time.sleep(0.3)  # the write is waiting for the lock now
            started = time.monotonic()
            assert client.get("/api/v1/sources").status_code == 200
            assert client.get("/rules").status_code == 200
            reading = time.monotonic() - started
            assert not writing.done(), "the write waits for the other process"
        assert writing.result(timeout=10).status_code == 201, "and then it is done"
    assert reading < 1.0, f"readers waited {reading:.1f} s behind a write on the event loop"
