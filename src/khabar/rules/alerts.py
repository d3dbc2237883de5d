"""Alerts and rule hits as values, and the JSON an alert posts (pure, no I/O).

An alert is raised once per (rule, article) or (rule, story) and queued in storage; the
webhook sender (:mod:`khabar.rules.webhook`) delivers it later from the runner's loop, so the
writer never waits for a receiver. ``payload`` is fixed when the alert is raised; the body
posted is that payload with the alert's id (:func:`webhook_body`), so a receiver can tell a
retry of the same alert from a new one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final, Literal

from khabar.rules.match import RuleMatch
from khabar.types import Article, Story

__all__ = [
    "Alert",
    "AlertKind",
    "DeliveryAttempt",
    "DeliveryState",
    "HitAction",
    "NewAlert",
    "RuleHit",
    "article_alert",
    "story_alert",
    "webhook_body",
]

AlertKind = Literal["article", "story"]
DeliveryState = Literal["in_app", "pending", "delivered", "failed"]
HitAction = Literal["hide", "mark"]
MAX_STORY_ARTICLES: Final = 20  # articles listed in a story alert


@dataclass(frozen=True, slots=True)
class RuleHit:
    """A ``hide`` or ``mark`` rule that matched an article."""

    rule_id: int
    action: HitAction
    label: str


@dataclass(frozen=True, slots=True)
class NewAlert:
    """An alert to queue. ``target`` is the webhook URL (None: shown in the app only)."""

    rule_id: int
    rule_name: str
    kind: AlertKind
    subject_id: int
    """The article's id (``kind == "article"``) or the story's."""
    title: str
    matched: tuple[str, ...]
    payload: str
    target: str | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Alert:
    """A stored alert with its delivery record.

    ``rule_id`` is None once the rule is deleted. ``next_attempt_at`` is when the sender tries
    (again); None when there is nothing left to try (delivered, gave up, or in-app only).
    """

    id: int
    rule_id: int | None
    rule_name: str
    kind: AlertKind
    subject_id: int
    title: str
    matched: tuple[str, ...]
    payload: str
    target: str | None
    created_at: datetime
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error: str | None = None
    delivered_at: datetime | None = None

    @property
    def state(self) -> DeliveryState:
        if self.target is None:
            return "in_app"
        if self.delivered_at is not None:
            return "delivered"
        return "pending" if self.next_attempt_at is not None else "failed"


@dataclass(frozen=True, slots=True)
class DeliveryAttempt:
    """One try at posting an alert: ``error`` None means delivered; ``next_attempt_at`` None
    means no more tries."""

    at: datetime
    error: str | None = None
    next_attempt_at: datetime | None = None


def article_alert(
    match: RuleMatch, article: Article, target: str | None, now: datetime
) -> NewAlert:
    """The alert a matching new article raises."""
    body = _envelope("article", match, now) | {"article": _article_data(article)}
    return NewAlert(
        match.rule_id, match.name, "article", article.id, article.title, match.matched,
        _dumps(body), target, now,
    )  # fmt: skip


def story_alert(
    match: RuleMatch,
    story: Story,
    articles: Sequence[Article],
    target: str | None,
    now: datetime,
) -> NewAlert:
    """The alert a newly formed story raises (``articles``: the story's, oldest first)."""
    story_data = {
        "id": story.id,
        "title": story.title,
        "outlets": list(story.outlets),
        "size": story.size,
        "first_seen": _iso(story.first_seen),
        "last_seen": _iso(story.last_seen),
        "articles": [_article_data(a) for a in articles[:MAX_STORY_ARTICLES]],
    }
    body = _envelope("story", match, now) | {"story": story_data}
    return NewAlert(
        match.rule_id, match.name, "story", story.id, story.title, match.matched,
        _dumps(body), target, now,
    )  # fmt: skip


def webhook_body(alert: Alert) -> bytes:
    """The exact bytes posted for ``alert`` (and signed): its payload with ``alert_id``."""
    data = {"alert_id": alert.id, **json.loads(alert.payload)}
    return _dumps(data).encode("utf-8")


def _envelope(kind: AlertKind, match: RuleMatch, now: datetime) -> dict[str, Any]:
    return {
        "event": kind,
        "rule": {"id": match.rule_id, "name": match.name},
        "matched": list(match.matched),
        "time": _iso(now),
    }


def _article_data(a: Article) -> dict[str, Any]:
    return {
        "id": a.id,
        "title": a.title,
        "url": a.url,
        "source_id": a.source_id,
        "source": a.source_title,
        "published": _iso(a.published),
        "language": a.language,
        "section": a.section,
        "story_id": a.story_id,
    }


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
