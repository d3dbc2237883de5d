"""The httpx transport whose every connection goes through the SSRF guard.

httpx 0.28's ``AsyncHTTPTransport`` builds an ``httpcore.AsyncConnectionPool`` without a way to
pass a network backend, so we let it build its pool and then replace ``_pool`` with one that uses
:class:`~khabar.fetch.ssrf.GuardedBackend` (verified against httpx 0.28.1 / httpcore 1.0.9). No
proxy is used: a proxy would make the connect-time address check meaningless.
"""

from __future__ import annotations

import httpcore
import httpx

from khabar.fetch.ssrf import AllowList, GuardedBackend, Resolver

__all__ = ["GuardedTransport"]

DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """``httpx.AsyncHTTPTransport`` with connect-time SSRF checks and no proxy."""

    def __init__(
        self,
        allow: AllowList,
        *,
        resolve: Resolver | None = None,
        limits: httpx.Limits = DEFAULT_LIMITS,
    ) -> None:
        super().__init__(trust_env=False, limits=limits)
        self.backend = GuardedBackend(allow, resolve)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=self.backend,
        )
