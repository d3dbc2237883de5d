"""A small threaded HTTP/1.1 server on 127.0.0.1 (port 0) with programmable routes.

Tests use it instead of the internet (STYLE §7). Each route answers with a fixed :class:`Reply`
or with a function of the :class:`Request`::

    from tests.support.httpserver import LocalServer, Reply

    with LocalServer() as server:
        server.route("/feed.xml", Reply(200, b"<rss/>", {"Content-Type": "application/rss+xml"}))
        server.route("/echo", lambda request: Reply(200, request.header("user-agent") or ""))
        server.route("/old", Reply.redirect("/feed.xml"))
        fetch(server.url("/feed.xml"))
        assert server.requests[0].path == "/feed.xml"

Bodies:

* ``bytes`` / ``str`` (UTF-8): sent with ``Content-Length`` (unless ``length=False``: then the
  body ends when the connection closes);
* any other iterable of ``bytes``: streamed chunk by chunk with ``Transfer-Encoding: chunked``
  (or raw if the reply's headers set ``Content-Length`` themselves). The iterable may sleep
  between chunks (a slow server) or never end (an endless body); it stops when the client goes
  away.

The server records every request (``requests``), counts requests being answered
(``in_flight``, and the most at once, ``max_in_flight``) and answers 404 for unknown paths.
Routes match the path exactly (without the query string); ``route`` may be called while the
server runs. Threads are daemons: a stuck handler never blocks the end of a test.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit

__all__ = ["Handler", "LocalServer", "Reply", "Request"]

Body = bytes | str | Iterable[bytes]


@dataclass(frozen=True)
class Request:
    """What the server received (header names lower-cased)."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass(frozen=True)
class Reply:
    """What a route answers. ``headers`` are sent as given (repeat a name with a list)."""

    status: int = 200
    body: Body = b""
    headers: Mapping[str, str | list[str]] = field(default_factory=dict)
    length: bool = True

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Reply:
        return cls(status, b"", {"Location": location})


Handler = Callable[[Request], Reply]


class LocalServer:
    """The server; a context manager that starts it on a free port and stops it."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Handler] = {}
        self.requests: list[Request] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self.host = host
        self._httpd = _Server((host, 0), _make_handler(self))
        self._thread = threading.Thread(target=self._serve, daemon=True)

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.origin + path

    def route(self, path: str, reply: Reply | Handler) -> None:
        """Answer ``path`` with ``reply`` (a fixed Reply or a function of the Request)."""
        self.routes[path] = reply if callable(reply) else (lambda _request: reply)

    def hits(self, path: str) -> int:
        """How many requests asked for ``path``."""
        return sum(1 for request in self.requests if request.path == path)

    def _serve(self) -> None:
        self._httpd.serve_forever(poll_interval=0.02)  # a short poll makes shutdown quick

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _answer(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        handler = self.routes.get(request.path)
        return Reply(404, b"not found") if handler is None else handler(request)

    def _done(self) -> None:
        with self._lock:
            self.in_flight -= 1


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False


def _make_handler(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class _RequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self._serve()

        do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = do_GET

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: tests read ``server.requests`` instead."""

        def _serve(self) -> None:
            try:
                reply = server._answer(self._request())
                try:
                    _send(self, reply)
                finally:
                    server._done()
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        def _request(self) -> Request:
            size = int(self.headers.get("Content-Length") or 0)
            parts = urlsplit(self.path)
            headers = {name.lower(): value for name, value in self.headers.items()}
            body = self.rfile.read(size) if size else b""
            return Request(self.command, parts.path, parts.query, headers, body)

    return _RequestHandler


def _send(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
    handler.send_response(reply.status)
    names = set()
    for name, value in reply.headers.items():
        names.add(name.lower())
        for one in value if isinstance(value, list) else [value]:
            handler.send_header(name, one)
    body = reply.body.encode() if isinstance(reply.body, str) else reply.body
    if isinstance(body, bytes):
        _send_whole(handler, body, reply.length, names)
    else:
        _send_stream(handler, body, names)


def _send_whole(
    handler: BaseHTTPRequestHandler, body: bytes, length: bool, names: set[str]
) -> None:
    if length and "content-length" not in names:
        handler.send_header("Content-Length", str(len(body)))
    if not length:
        handler.send_header("Connection", "close")
        handler.close_connection = True
    handler.end_headers()
    if handler.command != "HEAD":
        handler.wfile.write(body)


def _send_stream(handler: BaseHTTPRequestHandler, chunks: Iterable[bytes], names: set[str]) -> None:
    chunked = "content-length" not in names
    if chunked:
        handler.send_header("Transfer-Encoding", "chunked")
    handler.send_header("Connection", "close")
    handler.close_connection = True
    handler.end_headers()
    for chunk in chunks:
        if chunked and chunk:
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        elif chunk:
            handler.wfile.write(chunk)
        handler.wfile.flush()
    if chunked:
        handler.wfile.write(b"0\r\n\r\n")
