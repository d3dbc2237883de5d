"""Turn httpx's exceptions into a :class:`~khabar.errors.FetchError` a person can read."""

from __future__ import annotations

import errno
from collections.abc import Callable

import httpx

from khabar.errors import FetchError
from khabar.settings import Settings

__all__ = ["deadline_error", "network_error"]

Describe = Callable[[Exception, Settings], str]

# First matching row wins: subclasses before their bases.
_MESSAGES: tuple[tuple[type[Exception], Describe], ...] = (
    (httpx.ConnectTimeout, lambda e, s: f"connect timed out after {s.connect_timeout:g} s"),
    (httpx.ReadTimeout, lambda e, s: f"timed out after {s.read_timeout:g} s waiting for data"),
    (httpx.TimeoutException, lambda e, s: f"timed out ({type(e).__name__})"),
    (httpx.ConnectError, lambda e, s: _connect_failure(e)),
    (httpx.DecodingError, lambda e, s: f"could not decode the compressed body: {_text(e)}"),
    (httpx.RemoteProtocolError, lambda e, s: f"the server broke HTTP: {_text(e)}"),
    (httpx.InvalidURL, lambda e, s: f"invalid URL: {_text(e)}"),
    (httpx.UnsupportedProtocol, lambda e, s: f"unsupported URL: {_text(e)}"),
)


def network_error(url: str, exc: Exception, settings: Settings, hop: str) -> FetchError:
    """The FetchError for ``exc``; ``hop`` is the URL being fetched when it differs from ``url``."""
    message = next(
        (describe(exc, settings) for kind, describe in _MESSAGES if isinstance(exc, kind)),
        f"network error: {_text(exc)}",
    )
    return FetchError(url, message + _via(url, hop))


def deadline_error(url: str, settings: Settings, hop: str) -> FetchError:
    message = f"timed out after {settings.fetch_deadline:g} s (fetch_deadline)"
    return FetchError(url, message + _via(url, hop))


def _via(url: str, hop: str) -> str:
    return "" if hop == url else f" (while fetching {hop})"


def _connect_failure(exc: BaseException) -> str:
    if _is_refused(exc):
        return "connection refused"
    return f"could not connect: {_text(exc)}"


def _is_refused(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, ConnectionRefusedError) or getattr(exc, "errno", None) == (
            errno.ECONNREFUSED
        ):
            return True
        if "refused" in str(exc).lower():
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _text(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__
