"""Admin sessions and CSRF tokens, all derived from the configured admin token.

The session cookie is ``<nonce>.<admin 0|1>.<expires epoch>.<hmac>``; the CSRF token of a
session is an HMAC of its nonce, so it needs no server-side store. Changing the admin token
invalidates every session. With an empty admin token nothing can be signed: admin is disabled.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

__all__ = ["SESSION_COOKIE", "Session", "SessionSigner"]

SESSION_COOKIE = "khabar_session"
SESSION_SECONDS = 12 * 3600


@dataclass(frozen=True, slots=True)
class Session:
    """One browser's session: a random nonce, whether it logged in as admin, when it ends."""

    nonce: str
    admin: bool
    expires: int


class SessionSigner:
    """Signs sessions and CSRF tokens with a key derived from the admin token."""

    def __init__(self, admin_token: str) -> None:
        self._token = admin_token
        self._key = (
            hmac.new(admin_token.encode(), b"khabar-web-session-v1", hashlib.sha256).digest()
            if admin_token
            else b""
        )

    @property
    def enabled(self) -> bool:
        return bool(self._token)

    def check_token(self, candidate: str) -> bool:
        """Whether ``candidate`` is the admin token (constant time; never true when disabled)."""
        if not self.enabled:
            return False
        return hmac.compare_digest(_digest(candidate), _digest(self._token))

    def new(self, now: float, *, admin: bool = False) -> Session:
        return Session(secrets.token_urlsafe(18), admin, int(now) + SESSION_SECONDS)

    def dumps(self, session: Session) -> str:
        payload = f"{session.nonce}.{int(session.admin)}.{session.expires}"
        return f"{payload}.{self._sign('session:' + payload)}"

    def loads(self, value: str | None, now: float) -> Session | None:
        """The session in a cookie value, or None when missing, forged or expired."""
        if not self.enabled or not value or value.count(".") != 3:
            return None
        payload, _, signature = value.rpartition(".")
        if not hmac.compare_digest(signature, self._sign("session:" + payload)):
            return None
        nonce, admin, expires = payload.split(".")
        if not expires.isdigit() or int(expires) <= now:
            return None
        return Session(nonce, admin == "1", int(expires))

    def csrf_token(self, session: Session) -> str:
        return self._sign("csrf:" + session.nonce)

    def check_csrf(self, session: Session | None, token: str | None) -> bool:
        if session is None or not token:
            return False
        return hmac.compare_digest(token, self.csrf_token(session))

    def _sign(self, message: str) -> str:
        return hmac.new(self._key, message.encode(), hashlib.sha256).hexdigest()


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()
