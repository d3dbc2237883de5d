"""Posting queued alerts to webhooks: signed JSON, exponential backoff, SSRF-guarded.

The writer only queues alerts (:mod:`khabar.rules.engine`); :func:`alert_loop` (started by
``khabar run`` next to the scheduler) delivers the due ones every few seconds, so a slow or
failing receiver never holds up the storing of articles.

One delivery is a ``POST`` of :func:`khabar.rules.alerts.webhook_body` with

- ``Content-Type: application/json; charset=utf-8``;
- ``X-Khabar-Signature: sha256=<hex HMAC-SHA256 of the body>`` keyed with the rule's
  ``webhook_secret``, else the ``webhook_secret`` setting (:func:`sign`; a receiver checks it
  with :func:`verify_signature` or the same three lines in its own language);
- ``X-Khabar-Event`` (``article``/``story``), ``X-Khabar-Alert`` (the alert id, also in the
  body: a retry of a delivery the receiver did get carries the same id) and
  ``X-Khabar-Attempt``.

Any 2xx answer delivers it. Anything else (another status — redirects are not followed —, a
network error, no answer within ``fetch_deadline``) is retried after ``webhook_backoff`` ×
2^(tries − 1) seconds (at most one hour), until ``webhook_max_attempts`` tries are spent.
Given up at once: a target the SSRF guard refuses (checked on the URL and again on the
address connected to, like every fetch; ``allow_hosts`` lets chosen hosts through), an
unusable URL, or no secret to sign with. Every try is recorded on the alert (attempts, last
error, delivered_at).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import TYPE_CHECKING, Final

import httpx

from khabar.errors import FetchError, NotFoundError, SSRFBlockedError
from khabar.fetch.network_errors import network_error
from khabar.fetch.ssrf import AllowList, check_url
from khabar.fetch.transport import GuardedTransport
from khabar.rules.alerts import Alert, DeliveryAttempt, webhook_body
from khabar.settings import Settings

if TYPE_CHECKING:
    from khabar.storage.protocol import StorageType

__all__ = [
    "ALERT_TICK",
    "MAX_BACKOFF",
    "SIGNATURE_HEADER",
    "WebhookSender",
    "alert_loop",
    "retry_at",
    "sign",
    "verify_signature",
]

log = logging.getLogger("khabar.rules")

SIGNATURE_HEADER: Final = "X-Khabar-Signature"
MAX_BACKOFF: Final = 3600.0
ALERT_TICK: Final = 5.0  # seconds between two looks for due alerts
BATCH: Final = 20  # alerts tried per look


class _GiveUp(Exception):
    """A failure that another try cannot fix."""


class _Failed(Exception):
    """A failure worth another try."""


def sign(body: bytes, secret: str) -> str:
    """The ``X-Khabar-Signature`` value of ``body``: ``sha256=`` + hex HMAC-SHA256."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify_signature(body: bytes, secret: str, header: str | None) -> bool:
    """What a receiver does: whether ``header`` is the signature of ``body`` (constant time)."""
    return header is not None and hmac.compare_digest(header, sign(body, secret))


def retry_at(tries: int, now: datetime, *, backoff: float, max_attempts: int) -> datetime | None:
    """When to try again after ``tries`` failed tries; None once ``max_attempts`` are spent."""
    if tries >= max_attempts:
        return None
    delay = min(backoff * 2 ** max(0, tries - 1), MAX_BACKOFF)
    return now + timedelta(seconds=delay)


def _now() -> datetime:
    return datetime.now(UTC)


class WebhookSender:
    """Delivers due alerts from one storage; use as an async context manager."""

    def __init__(
        self,
        storage: StorageType,
        settings: Settings,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self._storage = storage
        self._settings = settings
        self._allow = AllowList.parse(settings.allow_hosts)
        self._clock = clock
        timeout = httpx.Timeout(
            settings.read_timeout, connect=settings.connect_timeout, pool=settings.connect_timeout
        )
        self._client = httpx.AsyncClient(
            transport=transport or GuardedTransport(self._allow),
            timeout=timeout,
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": settings.user_agent},
        )

    async def __aenter__(self) -> WebhookSender:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def deliver_due(self) -> list[Alert]:
        """Try every alert that is due (at most a batch); returns them as recorded."""
        due = self._storage.rules.due_alerts(self._clock(), BATCH)
        return [await self.deliver(alert) for alert in due]

    async def deliver(self, alert: Alert) -> Alert:
        """Try to post one alert now and record the try."""
        tries = alert.attempts + 1
        try:
            await self._post(alert, tries)
        except _GiveUp as exc:
            attempt = DeliveryAttempt(self._clock(), str(exc), None)
        except _Failed as exc:
            now = self._clock()
            later = retry_at(
                tries,
                now,
                backoff=self._settings.webhook_backoff,
                max_attempts=self._settings.webhook_max_attempts,
            )
            attempt = DeliveryAttempt(now, str(exc), later)
        else:
            attempt = DeliveryAttempt(self._clock())
        recorded = self._storage.rules.record_delivery(alert.id, attempt)
        if attempt.error is not None:
            log.info("alert %d to %s: try %d failed: %s", alert.id, alert.target, tries,
                     attempt.error)  # fmt: skip
        return recorded

    async def _post(self, alert: Alert, tries: int) -> None:
        target = alert.target
        if target is None:
            raise _GiveUp("no webhook target")
        body = webhook_body(alert)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            SIGNATURE_HEADER: sign(body, self._secret(alert)),
            "X-Khabar-Event": alert.kind,
            "X-Khabar-Alert": str(alert.id),
            "X-Khabar-Attempt": str(tries),
        }
        status = await self._send(target, body, headers)
        if not 200 <= status < 300:
            raise _Failed(f"HTTP {status}")

    async def _send(self, target: str, body: bytes, headers: dict[str, str]) -> int:
        try:
            check_url(target, self._allow)
            async with asyncio.timeout(self._settings.fetch_deadline):
                async with self._client.stream("POST", target, content=body, headers=headers) as r:
                    return r.status_code  # the answer's body is never read
        except SSRFBlockedError as exc:
            raise _GiveUp(exc.reason) from exc
        except FetchError as exc:  # a URL check_url cannot read
            raise _GiveUp(exc.reason) from exc
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise _GiveUp(network_error(target, exc, self._settings, target).reason) from exc
        except httpx.HTTPError as exc:
            raise _Failed(network_error(target, exc, self._settings, target).reason) from exc
        except TimeoutError as exc:
            deadline = self._settings.fetch_deadline
            raise _Failed(f"no answer within {deadline:g} s (fetch_deadline)") from exc

    def _secret(self, alert: Alert) -> str:
        secret = self._settings.webhook_secret
        if alert.rule_id is not None:
            with contextlib.suppress(NotFoundError):  # deleted meanwhile: the setting's secret
                secret = self._storage.rules.get_rule(alert.rule_id).spec.webhook_secret or secret
        if not secret:
            raise _GiveUp("no secret to sign with: set the rule's webhook_secret or the setting")
        return secret


async def alert_loop(storage: StorageType, settings: Settings, tick: float = ALERT_TICK) -> None:
    """Deliver due alerts forever; one failing round never stops the loop."""
    async with WebhookSender(storage, settings) as sender:
        while True:
            try:
                await sender.deliver_due()
            except Exception:  # the loop must survive any bug in one round; it is logged
                log.exception("alert delivery round failed")
            await asyncio.sleep(tick)
