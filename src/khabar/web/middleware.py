"""Security headers on every response, and the last-resort handler for unexpected errors."""

from __future__ import annotations

import logging

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from khabar.web.errors import error_response, plain_error_page
from khabar.web.problems import INTERNAL

__all__ = ["CSP", "SecurityMiddleware", "security_headers"]

log = logging.getLogger(__name__)

CSP = (
    "default-src 'self'; img-src 'self' data:; script-src 'self'; "
    "style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
_COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def security_headers(path: str) -> dict[str, str]:
    return {"Content-Security-Policy": CSP, **_COMMON}


class SecurityMiddleware:
    """Adds :func:`security_headers`; an unexpected exception becomes a generic 500."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_secured(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in security_headers(scope["path"]).items():
                    headers[name] = value
            await send(message)

        try:
            await self.app(scope, receive, send_secured)
        except Exception:
            log.exception("unexpected error answering %s", scope.get("path"))
            if started:
                raise
            try:
                response = error_response(Request(scope), INTERNAL)
            except Exception:
                log.exception("the error page failed too")
                response = plain_error_page(INTERNAL)
            await response(scope, receive, send_secured)
