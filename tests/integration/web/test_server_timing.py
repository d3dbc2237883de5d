"""Every response says how long the app took to make it (``Server-Timing: app;dur=<ms>``)."""

from __future__ import annotations

import asyncio
import re

import pytest
from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from khabar.service import Khabar
from khabar.web import app as app_module
from khabar.web.app import ServerTimingMiddleware

from .conftest import add_article, add_source

TIMING = re.compile(r"^app;dur=(\d+\.\d{2})$")


def duration_ms(value: str | None) -> float:
    found = TIMING.match(value or "")
    assert found is not None, value
    return float(found.group(1))


def test_every_kind_of_response_has_one_server_timing(client: TestClient, service: Khabar) -> None:
    article_id = add_article(service, add_source(service), 1)
    for path in ("/", f"/articles/{article_id}", "/search?q=الخبر", "/nothing",
                 "/api/v1/articles", "/api/v1/articles/999", "/static/khabar.css"):  # fmt: skip
        response = client.get(path)
        assert len(response.headers.get_list("server-timing")) == 1, path
        assert duration_ms(response.headers["server-timing"]) >= 0, path


class Clock:
    """A ``time`` stand-in whose clock moves only when the app "renders"."""

    def __init__(self) -> None:
        self.now = 100.0

    def perf_counter(self) -> float:
        return self.now


def test_duration_covers_the_work_done_before_the_headers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = Clock()
    monkeypatch.setattr(app_module, "time", clock)

    async def slow_app(scope: Scope, receive: Receive, send: Send) -> None:
        clock.now += 0.0375  # the "render"
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    scope: Scope = {"type": "http", "method": "GET", "path": "/", "headers": []}
    asyncio.run(ServerTimingMiddleware(slow_app)(scope, receive, send))
    headers = dict(sent[0]["headers"])
    assert headers[b"server-timing"] == b"app;dur=37.50"
    assert sent[1]["body"] == b"ok"


def test_other_scopes_pass_through_untouched() -> None:
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["type"])

    async def nothing() -> Message:
        return {"type": "lifespan.startup"}

    async def ignore(message: Message) -> None:
        return None

    asyncio.run(ServerTimingMiddleware(app)({"type": "lifespan"}, nothing, ignore))
    assert seen == ["lifespan"]
