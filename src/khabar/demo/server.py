"""DemoMirror: the demo outlets served over real HTTP on 127.0.0.1 from a daemon thread."""

from __future__ import annotations

import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from khabar.demo.catalog import DemoFeed
from khabar.demo.corpus import load_corpus
from khabar.demo.site import OPML_PATH, Resource, Site

__all__ = ["DemoMirror"]

HOST = "127.0.0.1"
IDLE_TIMEOUT_SECONDS = 30.0
NOT_FOUND = Resource.of(
    "<!DOCTYPE html><title>404</title><h1>الصفحة غير موجودة</h1>", "text/html; charset=utf-8"
)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # keep-alive handler threads must not block stop()

    def __init__(self, port: int) -> None:
        super().__init__((HOST, port), _Handler)
        self.site: Site | None = None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "KhabarDemoMirror/1.0"
    timeout = IDLE_TIMEOUT_SECONDS
    server: _Server

    def do_GET(self) -> None:
        self._respond(send_body=True)

    def do_HEAD(self) -> None:
        self._respond(send_body=False)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the mirror runs inside tests and the demo."""

    def _respond(self, *, send_body: bool) -> None:
        site = self.server.site
        resource = site.get(urlsplit(self.path).path) if site is not None else None
        if resource is None:
            self._send(HTTPStatus.NOT_FOUND, NOT_FOUND, send_body=send_body)
        elif self._not_modified(resource):
            self._send(HTTPStatus.NOT_MODIFIED, resource, send_body=False, with_length=False)
        else:
            self._send(HTTPStatus.OK, resource, send_body=send_body)

    def _not_modified(self, resource: Resource) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return "*" in tags or resource.etag in tags
        return self.headers.get("If-Modified-Since") == resource.last_modified

    def _send(
        self,
        status: HTTPStatus,
        resource: Resource,
        *,
        send_body: bool,
        with_length: bool = True,
    ) -> None:
        self.send_response(status)
        self.send_header("ETag", resource.etag)
        self.send_header("Last-Modified", resource.last_modified)
        self.send_header("Cache-Control", "max-age=60")
        if with_length:
            self.send_header("Content-Type", resource.content_type)
            self.send_header("Content-Length", str(len(resource.body)))
        self.end_headers()
        if send_body:
            self.wfile.write(resource.body)


class DemoMirror:
    """The demo outlets on ``http://127.0.0.1:<port>``; a context manager.

    ``port=0`` picks a free port. ``scale`` repeats the corpus (see ``load_corpus``). The server
    starts in the constructor and runs until ``stop()``.
    """

    def __init__(self, port: int = 0, *, scale: int = 1) -> None:
        articles = load_corpus(scale)
        self._server = _Server(port)
        self.port: int = self._server.server_address[1]
        self.base_url = f"http://{HOST}:{self.port}"
        try:
            self.site = Site(articles, self.base_url)
        except BaseException:
            self._server.server_close()
            raise
        self._server.site = self.site
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="khabar-demo-mirror", daemon=True
        )
        self._thread.start()
        self._stopped = False

    def feeds(self, *, include_sections: bool = False) -> list[DemoFeed]:
        """Feeds with their titles and outlets (main feeds; section feeds on request)."""
        return self.site.catalog.feeds(include_sections=include_sections)

    def feed_urls(self, *, include_sections: bool = False) -> list[str]:
        return [feed.url for feed in self.feeds(include_sections=include_sections)]

    def article_urls(self) -> list[str]:
        catalog = self.site.catalog
        return [catalog.url(catalog.article_path(a)) for a in catalog.articles]

    def opml(self, *, include_sections: bool = False) -> str:
        return self.site.opml(include_sections=include_sections)

    @property
    def opml_url(self) -> str:
        return self.base_url + OPML_PATH

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> DemoMirror:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
