"""Outlets for the distributed tests: one local HTTP server per host, each serving a feed and
its article pages, recording every request with its arrival time and the worker that sent it
(each worker process has its own User-Agent).

Hosts differ by address (127.0.0.2, 127.0.0.3 …): politeness is per host name, not per port.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from tests.support.httpserver import LocalServer, Reply, Request
from tests.support.texts import distinct_paragraph

__all__ = ["Hit", "Outlet", "article_page", "rss"]

RSS = {"Content-Type": "application/rss+xml"}
HTML = {"Content-Type": "text/html; charset=utf-8"}
BODY = (
    "أعلنت وزارة الصحة في القاهرة اليوم عن إطلاق حملة وطنية جديدة للتطعيم تستهدف ملايين "
    "الأطفال في مختلف المحافظات، وذلك بالتعاون مع منظمات دولية."
)


@dataclass(frozen=True)
class Hit:
    path: str
    agent: str
    start: float
    end: float


def rss(base: str, items: list[tuple[str, str, datetime]], title: str) -> bytes:
    entries = "".join(
        f"<item><title>{t}</title><link>{base}{path}</link><guid>{base}{path}</guid>"
        f"<description>ملخص: {t}</description><pubDate>{format_datetime(when)}</pubDate></item>"
        for path, t, when in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>{base}/</link>{entries}</channel></rss>"
    ).encode()


def article_page(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body><nav><a href='/'>الرئيسية</a></nav>"
        f"<article><h1>{title}</h1>{body}</article><footer>جميع الحقوق محفوظة</footer>"
        f"</body></html>"
    ).encode()


@dataclass
class Outlet:
    """One host with one feed; pages are added with :meth:`add_page`."""

    host: str
    name: str
    feed_delay: float = 0.0
    server: LocalServer = field(init=False)
    hits: list[Hit] = field(default_factory=list)
    items: list[tuple[str, str, datetime]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _in_flight: dict[str, int] = field(default_factory=dict)
    max_in_flight: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.server = LocalServer(self.host)
        self.server.route("/feed.xml", self._recorded(self._feed))
        self.server.route("/robots.txt", self._recorded(lambda _: Reply(404, b"")))

    def __enter__(self) -> Outlet:
        self.server.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.__exit__(None, None, None)

    @property
    def feed_url(self) -> str:
        return self.server.url("/feed.xml")

    def add_page(
        self,
        slug: str,
        title: str,
        paragraphs: list[str] | None = None,
        *,
        hours_ago: float = 1.0,
        before: Callable[[Request], None] | None = None,
    ) -> str:
        path = f"/{slug}.html"
        html = article_page(title, paragraphs or [BODY, distinct_paragraph(f"{self.name}{slug}")])
        when = datetime.now(UTC) - timedelta(hours=hours_ago)
        self.items.append((path, title, when))

        def answer(request: Request) -> Reply:
            if before is not None:
                before(request)
            return Reply(200, html, HTML)

        self.server.route(path, self._recorded(answer))
        return path

    def _feed(self, request: Request) -> Reply:
        time.sleep(self.feed_delay)
        return Reply(200, rss(self.server.origin, self.items, self.name), RSS)

    def _recorded(self, answer: Callable[[Request], Reply]) -> Callable[[Request], Reply]:
        def handler(request: Request) -> Reply:
            start = time.monotonic()
            with self._lock:
                now = self._in_flight.get(request.path, 0) + 1
                self._in_flight[request.path] = now
                self.max_in_flight[request.path] = max(self.max_in_flight.get(request.path, 0), now)
            try:
                return answer(request)
            finally:
                with self._lock:
                    self._in_flight[request.path] -= 1
                    agent = request.header("user-agent") or ""
                    self.hits.append(Hit(request.path, agent, start, time.monotonic()))

        return handler

    def requests_to(self, path: str) -> list[Hit]:
        return [h for h in self.hits if h.path == path]

    def all_starts(self) -> list[float]:
        """Arrival times of every request to this host, robots.txt included."""
        return sorted(h.start for h in self.hits)
