"""Alert webhooks against a real HTTP receiver on 127.0.0.1: signature, retries with backoff,
giving up, the SSRF guard, and the runner's delivery loop."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime

from tests.integration.rules.conftest import SECRET, Newsroom, Receiver
from tests.support.events import QUAKE_A, QUAKE_B

from khabar.rules import Alert, RuleSpec, WebhookSender, alert_loop, rule_from_data
from khabar.rules.book import RuleBook
from khabar.rules.webhook import SIGNATURE_HEADER
from khabar.service import Khabar
from khabar.settings import Settings
from khabar.storage import StorageType


def _alert_rule(url: str, **extra: object) -> dict[str, object]:
    return {
        "name": "زلزال",
        "action": "alert",
        "conditions": [{"kind": "keyword", "values": ["زلزال", "هاتاي"]}],
        "webhook_url": url,
        **extra,
    }


async def _settle(sender: WebhookSender, storage: StorageType, timeout: float = 10.0) -> Alert:
    """Deliver due alerts until the only alert is no longer pending."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await sender.deliver_due()
        [alert] = storage.rules.list_alerts()
        if alert.state != "pending":
            return alert
        await asyncio.sleep(0.01)
    raise AssertionError("the alert stayed pending")


def _deliver(service: Khabar, settings: Settings) -> Alert:
    async def run() -> Alert:
        async with WebhookSender(service.storage, settings) as sender:
            return await _settle(sender, service.storage)

    return asyncio.run(run())


def test_a_signed_json_webhook_is_posted_after_the_write_not_during_it(
    newsroom: Newsroom, service: Khabar, settings: Settings, receiver: Receiver
) -> None:
    RuleBook(service.storage, settings).add(_alert_rule(receiver.url))
    article = newsroom.publish("العربية", "q1", "زلزال جنوب تركيا", QUAKE_A)
    assert receiver.received == []  # the writer only queued it
    alert = _deliver(service, settings)
    assert alert.state == "delivered" and alert.attempts == 1 and alert.last_error is None
    [(_, request)] = receiver.received
    assert request.method == "POST" and request.path == "/hook"
    assert request.header("content-type") == "application/json; charset=utf-8"
    assert request.header(SIGNATURE_HEADER) is not None
    assert request.header(SIGNATURE_HEADER).startswith("sha256=")  # type: ignore[union-attr]
    assert receiver.all_signed(SECRET) and not receiver.all_signed("another secret")
    assert request.header("x-khabar-event") == "article"
    assert request.header("x-khabar-alert") == str(alert.id)
    [body] = receiver.bodies()
    assert body["alert_id"] == alert.id and body["event"] == "article"
    assert body["rule"] == {"id": alert.rule_id, "name": "زلزال"}
    assert body["matched"] == ["زلزال", "هاتاي"]
    assert body["article"]["id"] == article.id  # type: ignore[index]
    assert body["article"]["title"] == "زلزال جنوب تركيا"  # type: ignore[index]
    assert datetime.fromisoformat(str(body["time"])).tzinfo is not None


def test_a_rule_with_its_own_secret_signs_with_it(
    newsroom: Newsroom, service: Khabar, settings: Settings, receiver: Receiver
) -> None:
    RuleBook(service.storage, settings).add(_alert_rule(receiver.url, webhook_secret="own"))
    newsroom.publish("العربية", "q1", "زلزال جنوب تركيا", QUAKE_A)
    assert _deliver(service, settings).state == "delivered"
    assert receiver.all_signed("own") and not receiver.all_signed(SECRET)


def test_failed_deliveries_are_retried_with_exponential_backoff(
    newsroom: Newsroom, service: Khabar, settings: Settings, receiver: Receiver
) -> None:
    receiver.statuses = [500, 503]
    RuleBook(service.storage, settings).add(_alert_rule(receiver.url))
    newsroom.publish("العربية", "q1", "زلزال جنوب تركيا", QUAKE_A)
    alert = _deliver(service, settings)
    assert alert.state == "delivered" and alert.attempts == 3
    assert alert.last_error is None and alert.delivered_at is not None
    times = [t for t, _ in receiver.received]
    assert [r.header("x-khabar-attempt") for _, r in receiver.received] == ["1", "2", "3"]
    assert {b["alert_id"] for b in receiver.bodies()} == {alert.id}  # the same alert each time
    assert receiver.all_signed()
    first_wait, second_wait = times[1] - times[0], times[2] - times[1]
    assert first_wait >= settings.webhook_backoff
    assert second_wait >= 2 * settings.webhook_backoff


def test_delivery_gives_up_after_the_last_attempt(
    newsroom: Newsroom, service: Khabar, settings: Settings, receiver: Receiver
) -> None:
    receiver.statuses = [500] * 10
    RuleBook(service.storage, settings).add(_alert_rule(receiver.url))
    newsroom.publish("العربية", "q1", "زلزال جنوب تركيا", QUAKE_A)
    alert = _deliver(service, settings)
    assert alert.state == "failed" and alert.attempts == settings.webhook_max_attempts
    assert alert.last_error == "HTTP 500" and alert.next_attempt_at is None
    assert len(receiver.received) == settings.webhook_max_attempts


def test_a_webhook_to_the_metadata_address_is_refused_and_never_retried(
    newsroom: Newsroom, service: Khabar, settings: Settings
) -> None:
    # Stored behind the admin's back (RuleBook refuses it): delivery refuses it again.
    spec: RuleSpec = rule_from_data(_alert_rule("http://169.254.169.254/latest/meta-data/"))
    service.storage.rules.add_rule(spec)
    newsroom.publish("العربية", "q1", "زلزال جنوب تركيا", QUAKE_A)
    started = time.monotonic()
    alert = _deliver(service, settings)
    assert time.monotonic() - started < 2.0  # refused before any connection
    assert alert.state == "failed" and alert.attempts == 1 and alert.next_attempt_at is None
    assert alert.last_error is not None and "link-local" in alert.last_error


def test_a_loopback_receiver_is_refused_unless_allow_hosts_lets_it_through(
    newsroom: Newsroom, service: Khabar, settings: Settings, receiver: Receiver
) -> None:
    RuleBook(service.storage, settings).add(_alert_rule(receiver.url))
    newsroom.publish("العربية", "q1", "زلزال جنوب تركيا", QUAKE_A)
    alert = _deliver(service, settings.replace(allow_hosts=()))
    assert alert.state == "failed" and "loopback" in (alert.last_error or "")
    assert receiver.received == []


def test_a_host_name_is_checked_on_the_address_it_resolves_to(
    newsroom: Newsroom, service: Khabar, settings: Settings, receiver: Receiver
) -> None:
    # "localhost" passes the URL check; the guard refuses the address at connect time.
    hook = f"http://localhost:{receiver.server.port}/hook"
    RuleBook(service.storage, settings.replace(allow_hosts=())).add(_alert_rule(hook))
    newsroom.publish("العربية", "q1", "زلزال جنوب تركيا", QUAKE_A)
    alert = _deliver(service, settings.replace(allow_hosts=()))
    assert alert.state == "failed" and alert.attempts == 1
    assert "loopback" in (alert.last_error or "") and receiver.received == []


def test_the_runner_loop_delivers_alerts_as_they_are_queued(
    newsroom: Newsroom, service: Khabar, settings: Settings, receiver: Receiver
) -> None:
    RuleBook(service.storage, settings).add(_alert_rule(receiver.url))

    async def run() -> None:
        loop = asyncio.create_task(alert_loop(service.storage, settings, tick=0.02))
        try:
            newsroom.publish("العربية", "q1", "زلزال جنوب تركيا", QUAKE_A)
            newsroom.publish("بي بي سي", "q2", "زلزال في هاتاي", QUAKE_B, hours=1)
            deadline = time.monotonic() + 10
            while not _all_delivered(service.storage, 2) and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
        finally:
            loop.cancel()

    asyncio.run(run())
    assert _all_delivered(service.storage, 2)
    titles = {b["article"]["title"] for b in receiver.bodies()}  # type: ignore[index]
    assert titles == {"زلزال في هاتاي", "زلزال جنوب تركيا"} and len(receiver.received) == 2


def _all_delivered(storage: StorageType, count: int) -> bool:
    alerts = storage.rules.list_alerts()
    return len(alerts) == count and all(a.state == "delivered" for a in alerts)
