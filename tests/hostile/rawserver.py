"""A TCP server on 127.0.0.1 (port 0) that answers with raw bytes, to misbehave below HTTP.

:class:`tests.support.httpserver.LocalServer` always speaks correct HTTP/1.1 framing. Some
hostile servers do not: they drip the status line, send endless headers, or stream a body
that ends only when the connection closes. Each accepted connection reads the request head and
then runs ``script(connection)`` in a daemon thread; ``script`` may be swapped between rounds.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from types import TracebackType

__all__ = ["RawServer", "Script", "drip", "endless_close_delimited", "endless_headers", "reply"]

Script = Callable[[socket.socket], None]


class RawServer:
    def __init__(self, script: Script) -> None:
        self.script = script
        self.connections = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def port(self) -> int:
        return int(self._listener.getsockname()[1])

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        with connection:
            try:
                _read_head(connection)
                self.script(connection)
            except OSError:
                pass  # the client went away: what a hostile server wants to outlast


def _read_head(connection: socket.socket) -> bytes:
    connection.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def reply(status: str, headers: dict[str, str], body: bytes) -> Script:
    """A correct answer (Content-Length, then close)."""
    head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    wire = (head + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body

    def script(connection: socket.socket) -> None:
        connection.sendall(wire)

    return script


def drip(data: bytes, every: float, *, limit: float = 60.0) -> Script:
    """Send ``data`` one byte at a time, one every ``every`` seconds (for at most ``limit``)."""

    def script(connection: socket.socket) -> None:
        ends = time.monotonic() + limit
        for byte in data:
            if time.monotonic() > ends:
                return
            connection.sendall(bytes([byte]))
            time.sleep(every)

    return script


def endless_headers(connection: socket.socket) -> None:
    """A status line, then header lines for ever."""
    connection.sendall(b"HTTP/1.1 200 OK\r\n")
    line = b"X-Padding: " + b"a" * 1000 + b"\r\n"
    for _ in range(100_000):
        connection.sendall(line)


def endless_close_delimited(connection: socket.socket) -> None:
    """An HTTP/1.0-style body with neither length nor chunks: it ends when the socket does."""
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n\r\n<rss>")
    chunk = b"<item>" + b"x" * 65_536 + b"</item>"
    for _ in range(100_000):
        connection.sendall(chunk)
