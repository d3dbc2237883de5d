"""A real demo install for browser tests: mirror → pipeline → SQLite → uvicorn on port 0."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn

from khabar.demo.run import demo_settings, ingest_demo
from khabar.demo.server import DemoMirror
from khabar.service import Khabar
from khabar.settings import load_settings
from khabar.web.app import create_app

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = Path(__file__).parent / "screenshots"


def _browser_available() -> bool:
    return Path(CHROMIUM).exists()


@dataclass(frozen=True)
class Reader:
    """The served demo install: its base URL and the service behind it (read it only while
    the browser is idle: they share one SQLite connection)."""

    url: str
    service: Khabar


@pytest.fixture(scope="module")
def reader_url(reader: Reader) -> str:
    return reader.url


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reader]:
    db = tmp_path_factory.mktemp("e2e") / "khabar.db"
    settings = demo_settings(load_settings({"database_url": f"sqlite:///{db}"}, environ={}))
    with DemoMirror() as mirror:
        service = Khabar(settings)
        summary = ingest_demo(service, mirror)
        assert summary["articles"] >= 400, summary
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        config = uvicorn.Config(create_app(settings, service), log_level="warning")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        yield Reader(f"http://127.0.0.1:{port}", service)
        server.should_exit = True
        thread.join(timeout=10)
        service.close()


@pytest.fixture(scope="module")
def browser(reader_url: str) -> Iterator[object]:
    """Launched after the reader is up: Playwright's sync API runs its own event loop."""
    if not _browser_available():
        if os.environ.get("KHABAR_TEST_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM} but KHABAR_TEST_REQUIRE_BROWSER is set")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
