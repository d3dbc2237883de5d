"""The pure parts of webhook delivery: signatures, backoff, the body and the delivery state."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

from khabar.rules import Alert, sign, verify_signature
from khabar.rules.alerts import article_alert, webhook_body
from khabar.rules.match import RuleMatch
from khabar.rules.webhook import MAX_BACKOFF, retry_at
from khabar.types import Article

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def test_the_signature_is_the_hex_hmac_sha256_of_the_body() -> None:
    body = '{"event":"article","title":"غزة"}'.encode()
    expected = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert sign(body, "s3cret") == f"sha256={expected}"
    assert verify_signature(body, "s3cret", f"sha256={expected}")
    assert not verify_signature(body + b" ", "s3cret", f"sha256={expected}")
    assert not verify_signature(body, "other", f"sha256={expected}")
    assert not verify_signature(body, "s3cret", None)


def test_retries_back_off_exponentially_and_stop() -> None:
    delays = [retry_at(tries, T0, backoff=30.0, max_attempts=5) for tries in range(1, 6)]
    assert [(d - T0).total_seconds() for d in delays[:4] if d] == [30.0, 60.0, 120.0, 240.0]
    assert delays[4] is None
    far = retry_at(20, T0, backoff=30.0, max_attempts=50)
    assert far is not None and (far - T0).total_seconds() == MAX_BACKOFF


def _article() -> Article:
    return Article(
        id=12, source_id=3, key="k", url="https://x.example/12", title="غزة: قرار جديد",
        text="نص", html="", summary=None, canonical_url=None, guid=None, author=None,
        published=T0, updated=None, image=None, language="ar", categories=(),
        extraction_error=None, fetched_at=T0, source_title="الجزيرة", story_id=12,
    )  # fmt: skip


def test_the_body_names_the_rule_the_article_the_matched_terms_and_the_time() -> None:
    match = RuleMatch(5, "غزة", "alert", "غزة", ("غزة",))
    new = article_alert(match, _article(), "https://hooks.example/k", T0 + timedelta(minutes=1))
    alert = Alert(
        id=40, rule_id=5, rule_name=new.rule_name, kind=new.kind, subject_id=new.subject_id,
        title=new.title, matched=new.matched, payload=new.payload, target=new.target,
        created_at=new.created_at, next_attempt_at=new.created_at,
    )  # fmt: skip
    data = json.loads(webhook_body(alert))
    assert data == {
        "alert_id": 40,
        "event": "article",
        "rule": {"id": 5, "name": "غزة"},
        "matched": ["غزة"],
        "time": "2024-03-01T12:01:00Z",
        "article": {
            "id": 12,
            "title": "غزة: قرار جديد",
            "url": "https://x.example/12",
            "source_id": 3,
            "source": "الجزيرة",
            "published": "2024-03-01T12:00:00Z",
            "language": "ar",
            "section": None,
            "story_id": 12,
        },
    }
    assert "غزة".encode() in webhook_body(alert)  # UTF-8, not \\u escapes
    assert alert.state == "pending"
