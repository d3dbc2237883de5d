"""A real SQLite file, the real service, and the app in front of them."""

from __future__ import annotations

import threading
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from starlette.exceptions import StarletteDeprecationWarning

with warnings.catch_warnings():  # starlette 1.x nudges towards httpx2; httpx is what we have
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

from khabar.service import Khabar
from khabar.settings import Settings
from khabar.types import ArticleDraft, NewSource, Source
from khabar.web import create_app

TOKEN = "test-admin-token"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'web.db'}",
        admin_token=TOKEN,
        allow_hosts=("127.0.0.1",),
        per_host_delay=0.0,
    )


@pytest.fixture
def service(settings: Settings) -> Iterator[Khabar]:
    with Khabar(settings) as khabar:
        yield khabar


@pytest.fixture
def client(settings: Settings, service: Khabar) -> Iterator[TestClient]:
    with TestClient(create_app(settings, service), raise_server_exceptions=False) as c:
        yield c


def add_source(
    service: Khabar, name: str = "الجزيرة", url: str = "https://a.example/rss"
) -> Source:
    return service.storage.add_source(NewSource(url=url, title=name, site_url=url))


def add_article(
    service: Khabar,
    source: Source,
    n: int,
    *,
    title: str | None = None,
    text: str = "الفقرة الأولى من الخبر.\n\nالفقرة الثانية من الخبر.",
    minutes_ago: int | None = None,
    **extra: object,
) -> int:
    fields: dict[str, Any] = {
        "source_id": source.id,
        "key": f"k{n}",
        "url": f"https://a.example/{n}",
        "title": title or f"عنوان الخبر رقم {n}",
        "text": text,
        "published": datetime.now(UTC)
        - timedelta(minutes=n if minutes_ago is None else minutes_ago),
    }
    draft = ArticleDraft(**(fields | extra))
    article_id = service.storage.upsert_article(draft).article.id
    service.storage.search.update()
    return article_id


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>صحيفة محلية</title><link>{base}/</link>
<item><title>خبر من الخلاصة</title><link>{base}/a/1</link><guid>1</guid></item>
</channel></rss>"""


@pytest.fixture
def feed_server() -> Iterator[str]:
    """A real HTTP server on 127.0.0.1, port 0, serving one RSS feed at /rss."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            base = f"http://{self.headers['Host']}"
            if self.path != "/rss":
                self.send_error(404)
                return
            body = RSS.format(base=base).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
