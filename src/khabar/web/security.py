"""Limits on guessing the admin token, and the browser-feature policy, for every response.

``SecurityMiddleware`` (``middleware.py``) sets the Content-Security-Policy and the other
security headers; this module adds what it lacks (installed outside it, so that its header is on
every response, the generic 500 included, and its own 429 carries the same headers):

* ``Permissions-Policy``: the reader needs no camera, microphone, location, payment or sensor,
  so none is granted to it or to anything a feed manages to embed.
* Rate limiting of admin-token guesses. A *guess* is ``POST /login`` or an ``/api/`` request
  carrying an ``Authorization`` header; a *failed* guess is one answered 401 or 403. After
  ``MAX_FAILURES`` failed guesses within ``WINDOW_SECONDS`` from one client address, further
  guesses from it are answered 429 with ``Retry-After`` until the oldest failure leaves the
  window. Reading is never limited, and a client with no failures is never slowed down.

The client is identified by the socket's peer address. Behind a reverse proxy every client
shares the proxy's address: the limit then applies to all of them together (still a limit on
guessing, at the price of locking the admin out while an attack goes on).
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from khabar.web.errors import error_response
from khabar.web.middleware import security_headers
from khabar.web.problems import Problem

__all__ = [
    "MAX_FAILURES",
    "PERMISSIONS_POLICY",
    "TOO_MANY_ATTEMPTS",
    "WINDOW_SECONDS",
    "FailureLimiter",
    "GuessLimitMiddleware",
    "is_guess",
]

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
MAX_FAILURES = 10
"""Failed guesses allowed per client per window: a person mistyping never gets near it; a
guesser gets 10 tries per 5 minutes (~2,900 a day) against a token of 20+ random characters."""
WINDOW_SECONDS = 300.0
MAX_CLIENTS = 10_000
"""Clients remembered at once; the oldest are forgotten first (bounded memory)."""
FAILED_STATUSES = frozenset({401, 403})

TOO_MANY_ATTEMPTS = Problem(
    429,
    "too_many_attempts",
    "محاولات دخول خاطئة كثيرة. انتظر قليلاً ثم حاول مجدداً.",
    "Too many failed admin-token attempts; wait and try again.",
)

Clock = Callable[[], float]


def is_guess(method: str, path: str, has_authorization: bool) -> bool:
    """Whether a request tries the admin token (and so counts when it fails)."""
    if method == "POST" and path == "/login":
        return True
    return path.startswith("/api/") and has_authorization


@dataclass
class FailureLimiter:
    """Sliding-window count of failed guesses per client. No I/O; time is passed in."""

    max_failures: int = MAX_FAILURES
    window: float = WINDOW_SECONDS
    max_clients: int = MAX_CLIENTS
    _failures: dict[str, deque[float]] = field(default_factory=dict)

    def retry_after(self, client: str, now: float) -> float | None:
        """Seconds ``client`` must wait before guessing again, or None when it may guess."""
        failures = self._recent(client, now)
        if failures is None or len(failures) < self.max_failures:
            return None
        return max(0.0, failures[0] + self.window - now)

    def record_failure(self, client: str, now: float) -> None:
        failures = self._recent(client, now)
        if failures is None:
            if len(self._failures) >= self.max_clients:
                del self._failures[next(iter(self._failures))]
            failures = self._failures[client] = deque()
        failures.append(now)
        while len(failures) > self.max_failures:
            failures.popleft()

    def _recent(self, client: str, now: float) -> deque[float] | None:
        failures = self._failures.get(client)
        if failures is None:
            return None
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            del self._failures[client]
            return None
        return failures


class GuessLimitMiddleware:
    """Adds ``Permissions-Policy`` to every response and applies a :class:`FailureLimiter`."""

    def __init__(
        self, app: ASGIApp, limiter: FailureLimiter | None = None, clock: Clock | None = None
    ) -> None:
        self.app = app
        self.limiter = limiter or FailureLimiter()
        self._clock = clock

    def clock(self) -> float:
        return (self._clock or _monotonic)()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = _client(scope)
        guess = is_guess(scope["method"], scope["path"], _has_authorization(scope))
        if guess:
            wait = self.limiter.retry_after(client, self.clock())
            if wait is not None:
                await self._refuse(scope, receive, send, wait)
                return
        status = 0

        async def send_with_policy(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                MutableHeaders(scope=message)["Permissions-Policy"] = PERMISSIONS_POLICY
            await send(message)

        await self.app(scope, receive, send_with_policy)
        if guess and status in FAILED_STATUSES:
            self.limiter.record_failure(client, self.clock())

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, wait: float) -> None:
        headers = {
            **security_headers(scope["path"]),
            "Permissions-Policy": PERMISSIONS_POLICY,
            "Retry-After": str(max(1, math.ceil(wait))),
        }
        await error_response(Request(scope), TOO_MANY_ATTEMPTS, headers)(scope, receive, send)


def _monotonic() -> float:
    """The limiter's clock (a module function, so tests can move time)."""
    return time.monotonic()


def _client(scope: Scope) -> str:
    peer = scope.get("client")
    return str(peer[0]) if peer else "unknown"


def _has_authorization(scope: Scope) -> bool:
    return any(name == b"authorization" for name, _ in scope.get("headers", ()))
