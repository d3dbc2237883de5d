"""The rules part of the storage contract: rules, their hits on articles, alerts and deliveries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from khabar.errors import NotFoundError
from khabar.rules import (
    Condition,
    DeliveryAttempt,
    NewAlert,
    RuleHit,
    RuleSpec,
)
from khabar.storage import ArticleFilter, StorageType
from khabar.types import ArticleDraft, NewSource

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
HIDE = RuleSpec("إخفاء الرياضة", "hide", (Condition("keyword", ("كرة القدم",)),))
MARK = RuleSpec("غزة", "mark", (Condition("keyword", ("غزة",)),), label="غزة")
ALERT = RuleSpec(
    "تنبيه",
    "alert",
    (Condition("regex", (r"الامم\s+المتحد",), "all"), Condition("entity", ("مجلس الأمن",))),
    sources=(1, 2),
    webhook_url="https://hooks.example/k",
    webhook_secret="s3cret",
)


def _source(storage: StorageType, name: str = "أ") -> int:
    return storage.add_source(NewSource(url=f"https://{name}.example/rss", title=name)).id


def _article(storage: StorageType, source_id: int, key: str, title: str = "عنوان") -> int:
    draft = ArticleDraft(
        source_id=source_id,
        key=key,
        url=f"https://x.example/{key}",
        title=title,
        text="نص الخبر",
        published=T0,
    )
    return storage.upsert_article(draft).article.id


def _alert(rule_id: int, subject: int, target: str | None = "https://hooks.example/k") -> NewAlert:
    return NewAlert(
        rule_id=rule_id,
        rule_name="تنبيه",
        kind="article",
        subject_id=subject,
        title="عنوان",
        matched=("غزة", "الامم المتحده"),
        payload='{"event":"article"}',
        target=target,
        created_at=T0,
    )


def test_rules_round_trip_with_their_secret(storage: StorageType) -> None:
    first = storage.rules.add_rule(HIDE)
    second = storage.rules.add_rule(ALERT)
    assert second.id > first.id
    assert storage.rules.get_rule(second.id).spec == ALERT
    assert storage.rules.get_rule(second.id).spec.webhook_secret == "s3cret"
    assert [r.spec for r in storage.rules.list_rules()] == [HIDE, ALERT]
    assert first.created_at.tzinfo is not None and first.created_at.utcoffset() == timedelta(0)
    storage.rules.delete_rule(first.id)
    assert [r.id for r in storage.rules.list_rules()] == [second.id]
    with pytest.raises(NotFoundError):
        storage.rules.get_rule(first.id)
    with pytest.raises(NotFoundError):
        storage.rules.delete_rule(first.id)


def test_hits_hide_and_mark_articles_in_lists_and_search(storage: StorageType) -> None:
    source = _source(storage)
    hidden = _article(storage, source, "1", "مباراة كرة القدم")
    marked = _article(storage, source, "2", "غزة اليوم")
    plain = _article(storage, source, "3", "غزة والضفة")
    hide, mark = storage.rules.add_rule(HIDE), storage.rules.add_rule(MARK)
    article = storage.rules.record_hits(hidden, [RuleHit(hide.id, "hide", "x")])
    assert article.hidden and article.marks == ()
    article = storage.rules.record_hits(marked, [RuleHit(mark.id, "mark", "غزة")])
    assert not article.hidden and article.marks == ("غزة",)
    assert storage.rules.record_hits(marked, [RuleHit(mark.id, "mark", "غزة")]).marks == ("غزة",)
    assert storage.get_article(marked).marks == ("غزة",)

    listed = [a.id for a in storage.list_articles(ArticleFilter())]
    assert hidden not in listed and {marked, plain} <= set(listed)
    assert hidden not in [a.id for a in storage.list_articles(ArticleFilter(source_id=source))]
    everything = storage.list_articles(ArticleFilter(include_hidden=True))
    assert hidden in [a.id for a in everything]
    storage.search.update()
    assert storage.search.search("كرة").total == 0
    assert {h.article.id for h in storage.search.search("غزة").hits} == {marked, plain}


def test_an_article_shows_every_mark_and_deleting_a_rule_takes_back_what_it_did(
    storage: StorageType,
) -> None:
    source = _source(storage)
    article_id = _article(storage, source, "1")
    hide = storage.rules.add_rule(HIDE)
    first = storage.rules.add_rule(MARK)
    second = storage.rules.add_rule(RuleSpec("عاجل", "mark", MARK.conditions, label="عاجل"))
    hits = [
        RuleHit(second.id, "mark", "عاجل"),
        RuleHit(first.id, "mark", "غزة"),
        RuleHit(hide.id, "hide", "إخفاء"),
    ]
    article = storage.rules.record_hits(article_id, hits)
    assert article.marks == ("غزة", "عاجل") and article.hidden
    storage.rules.delete_rule(hide.id)
    assert not storage.get_article(article_id).hidden
    storage.rules.delete_rule(first.id)
    assert storage.get_article(article_id).marks == ("عاجل",)


def test_hits_of_unknown_articles_fail_and_of_deleted_rules_are_ignored(
    storage: StorageType,
) -> None:
    source = _source(storage)
    article_id = _article(storage, source, "1")
    rule = storage.rules.add_rule(HIDE)
    with pytest.raises(NotFoundError):
        storage.rules.record_hits(article_id + 100, [RuleHit(rule.id, "hide", "x")])
    storage.rules.delete_rule(rule.id)
    assert not storage.rules.record_hits(article_id, [RuleHit(rule.id, "hide", "x")]).hidden


def test_an_alert_is_queued_once_per_rule_and_subject(storage: StorageType) -> None:
    rule = storage.rules.add_rule(ALERT)
    alert = storage.rules.add_alert(_alert(rule.id, 7))
    assert alert is not None and alert.state == "pending" and alert.attempts == 0
    assert alert.next_attempt_at == T0 and alert.matched == ("غزة", "الامم المتحده")
    assert alert.rule_id == rule.id and alert.payload == '{"event":"article"}'
    assert storage.rules.add_alert(_alert(rule.id, 7)) is None
    in_app = storage.rules.add_alert(_alert(rule.id, 8, target=None))
    assert in_app is not None and in_app.state == "in_app" and in_app.next_attempt_at is None
    assert [a.id for a in storage.rules.list_alerts()] == [in_app.id, alert.id]
    assert [a.id for a in storage.rules.list_alerts(limit=1)] == [in_app.id]
    assert [a.id for a in storage.rules.list_alerts(before=in_app.id)] == [alert.id]
    assert storage.rules.get_alert(alert.id) == alert
    with pytest.raises(NotFoundError):
        storage.rules.get_alert(alert.id + 100)


def test_deliveries_are_recorded_and_only_due_alerts_are_handed_out(
    storage: StorageType,
) -> None:
    rule = storage.rules.add_rule(ALERT)
    first = storage.rules.add_alert(_alert(rule.id, 1))
    second = storage.rules.add_alert(_alert(rule.id, 2))
    assert first is not None and second is not None
    assert storage.rules.due_alerts(T0 - timedelta(seconds=1)) == []
    assert [a.id for a in storage.rules.due_alerts(T0)] == [first.id, second.id]

    later = T0 + timedelta(seconds=30)
    failed = storage.rules.record_delivery(first.id, DeliveryAttempt(T0, "HTTP 500", later))
    assert failed.attempts == 1 and failed.last_error == "HTTP 500"
    assert failed.state == "pending" and failed.next_attempt_at == later
    assert [a.id for a in storage.rules.due_alerts(T0 + timedelta(seconds=1))] == [second.id]
    assert [a.id for a in storage.rules.due_alerts(later, limit=1)] == [second.id]

    done = storage.rules.record_delivery(first.id, DeliveryAttempt(later))
    assert done.state == "delivered" and done.delivered_at == later and done.attempts == 2
    assert done.last_error is None and done.next_attempt_at is None
    gave_up = storage.rules.record_delivery(second.id, DeliveryAttempt(T0, "refused", None))
    assert gave_up.state == "failed" and gave_up.delivered_at is None
    assert storage.rules.due_alerts(later + timedelta(days=1)) == []
    with pytest.raises(NotFoundError):
        storage.rules.record_delivery(second.id + 100, DeliveryAttempt(T0))


def test_deleting_a_rule_keeps_its_alerts_and_cancels_their_deliveries(
    storage: StorageType,
) -> None:
    rule = storage.rules.add_rule(ALERT)
    alert = storage.rules.add_alert(_alert(rule.id, 1))
    assert alert is not None
    storage.rules.delete_rule(rule.id)
    kept = storage.rules.get_alert(alert.id)
    assert kept.rule_id is None and kept.rule_name == "تنبيه"
    assert kept.state == "failed" and kept.last_error and "deleted" in kept.last_error
    assert storage.rules.due_alerts(T0 + timedelta(days=1)) == []
