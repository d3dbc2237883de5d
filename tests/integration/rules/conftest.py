"""A real SQLite file, the real service and writer, a real webhook receiver on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from starlette.exceptions import StarletteDeprecationWarning
from tests.support.httpserver import LocalServer, Reply, Request

with warnings.catch_warnings():  # starlette 1.x nudges towards httpx2; httpx is what we have
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

from khabar.analyze.article import analyze_article
from khabar.rules import RuleEngine, verify_signature
from khabar.service import Khabar
from khabar.settings import Settings
from khabar.types import Article, ExtractedArticle, FeedEntry, NewSource, Source
from khabar.web import create_app
from khabar.writer import ArticleWriter

TOKEN = "test-admin-token"
SECRET = "webhook-s3cret"
T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'rules.db'}",
        admin_token=TOKEN,
        allow_hosts=("127.0.0.1",),
        per_host_delay=0.0,
        extract_workers=1,
        webhook_secret=SECRET,
        webhook_backoff=0.1,
        webhook_max_attempts=4,
        connect_timeout=2.0,
        read_timeout=2.0,
        fetch_deadline=3.0,
    )


@pytest.fixture
def service(settings: Settings) -> Iterator[Khabar]:
    with Khabar(settings) as khabar:
        yield khabar


@pytest.fixture
def client(settings: Settings, service: Khabar) -> Iterator[TestClient]:
    with TestClient(create_app(settings, service), raise_server_exceptions=False) as c:
        yield c


@dataclass
class Newsroom:
    """Stores articles the way the pipeline does: the writer, then the rules (its hook)."""

    service: Khabar
    settings: Settings
    writer: ArticleWriter = field(init=False)
    engine: RuleEngine = field(init=False)
    sources: dict[str, Source] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.writer = ArticleWriter(self.service.storage, self.settings)
        self.engine = RuleEngine(self.service.storage)

    def source(self, name: str) -> Source:
        if name not in self.sources:
            url = f"https://{len(self.sources) + 1}.example/rss"
            self.sources[name] = self.service.storage.add_source(NewSource(url=url, title=name))
        return self.sources[name]

    def publish(self, outlet: str, key: str, title: str, text: str, hours: float = 0) -> Article:
        source = self.source(outlet)
        url = f"https://{key}.example/news"
        entry = FeedEntry(url=url, guid=key, title=title, published=T0 + timedelta(hours=hours))
        extracted = ExtractedArticle(
            url=url, title=title, paragraphs=(text,), published=entry.published, language="ar"
        )
        outcome = self.writer.write(source, entry, analyze_article(extracted, entry))
        story_id = outcome.article.story_id
        story = self.service.storage.get_story(story_id) if story_id is not None else None
        article = self.engine.apply(outcome.article, story)
        self.service.storage.search.update()
        return article


@pytest.fixture
def newsroom(service: Khabar, settings: Settings) -> Newsroom:
    return Newsroom(service, settings)


@dataclass
class Receiver:
    """A webhook receiver: answers with the statuses queued (then 200), records each POST."""

    server: LocalServer
    statuses: list[int] = field(default_factory=list)
    received: list[tuple[float, Request]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, request: Request) -> Reply:
        with self._lock:
            self.received.append((time.monotonic(), request))
            status = self.statuses.pop(0) if self.statuses else 200
        return Reply(status, b"ok" if status < 300 else b"try later")

    @property
    def url(self) -> str:
        return self.server.url("/hook")

    def bodies(self) -> list[dict[str, object]]:
        return [json.loads(r.body) for _, r in self.received]

    def all_signed(self, secret: str = SECRET) -> bool:
        return all(
            verify_signature(r.body, secret, r.header("x-khabar-signature"))
            for _, r in self.received
        )


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with LocalServer() as server:
        hook = Receiver(server)
        server.route("/hook", hook.answer)
        yield hook
