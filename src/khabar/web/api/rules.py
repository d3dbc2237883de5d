"""``/api/v1/rules`` (list, add, read, delete) and ``/api/v1/alerts``: admin token only.

Rules name what is watched and where alerts go (webhook URLs may carry tokens), so reading
needs the admin token as well as changing. A rule's webhook secret is never sent back
(``has_webhook_secret`` says whether it has its own). A rule the validation refuses answers
400 with the code ``invalid_rule`` and a message naming the field.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from khabar.rules import Alert, InvalidRuleError, Rule, RuleBook, rule_to_data
from khabar.web.api.models import ErrorResponse
from khabar.web.api.routes import Admin
from khabar.web.context import Context, WebContext
from khabar.web.problems import Problem, WebError

__all__ = ["router"]

_ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorResponse} for code in (400, 401, 403, 404, 422, 429, 500)
}

router = APIRouter(prefix="/api/v1", responses=_ERRORS, dependencies=[Admin])


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ConditionIO(_Model):
    kind: Literal["keyword", "entity", "regex"] = Field(
        description="keyword: words or phrases (Arabic spelling variants, harakat and و/ال "
        "prefixes never matter); entity: entity names; regex: a pattern searched in the "
        "normalized title and text."
    )
    values: list[str] = Field(min_length=1, max_length=50)
    match: Literal["any", "all"] = "any"


class RuleIn(_Model):
    name: str
    action: Literal["hide", "mark", "alert"]
    on: Literal["article", "story"] = Field(
        "article", description="story: a story the moment it first spans two outlets."
    )
    conditions: list[ConditionIO] = Field(
        default_factory=list, description="Every condition must hold."
    )
    sources: list[int] = Field(default_factory=list, description="Empty: every source.")
    label: str | None = Field(None, description="What a mark rule shows (default: the name).")
    webhook_url: str | None = None
    webhook_secret: str | None = Field(
        None, description="HMAC key of X-Khabar-Signature (default: the server's setting)."
    )


class RuleOut(_Model):
    id: int
    name: str
    action: Literal["hide", "mark", "alert"]
    on: Literal["article", "story"]
    conditions: list[ConditionIO]
    sources: list[int]
    label: str | None
    webhook_url: str | None
    has_webhook_secret: bool
    created_at: datetime

    @classmethod
    def of(cls, rule: Rule) -> RuleOut:
        data = rule_to_data(rule.spec)
        data.pop("webhook_secret")
        extra = {"has_webhook_secret": bool(rule.spec.webhook_secret)}
        created = {"created_at": rule.created_at.astimezone(UTC)}
        return cls.model_validate({"id": rule.id, **data, **extra, **created})


class RuleList(_Model):
    rules: list[RuleOut]


class AlertOut(_Model):
    id: int
    rule_id: int | None = Field(description="null once the rule is deleted.")
    rule_name: str
    kind: Literal["article", "story"]
    subject_id: int = Field(description="The article's id, or the story's.")
    title: str
    matched: list[str]
    target: str | None = Field(description="The webhook URL; null: shown in the app only.")
    state: Literal["in_app", "pending", "delivered", "failed"]
    attempts: int
    next_attempt_at: datetime | None
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime

    @classmethod
    def of(cls, a: Alert) -> AlertOut:
        return cls(
            id=a.id, rule_id=a.rule_id, rule_name=a.rule_name, kind=a.kind,
            subject_id=a.subject_id, title=a.title, matched=list(a.matched), target=a.target,
            state=a.state, attempts=a.attempts, next_attempt_at=a.next_attempt_at,
            last_error=a.last_error, delivered_at=a.delivered_at, created_at=a.created_at,
        )  # fmt: skip


class AlertList(_Model):
    alerts: list[AlertOut]
    next_before: int | None = Field(description="Pass as ``before`` for the next page.")


def _book(ctx: WebContext) -> RuleBook:
    return RuleBook(ctx.service.storage, ctx.settings)


@router.get("/rules", tags=["rules"])
async def list_rules(ctx: Context) -> RuleList:
    return RuleList(rules=[RuleOut.of(r) for r in _book(ctx).rules()])


@router.post("/rules", status_code=201, tags=["rules"])
async def add_rule(ctx: Context, body: RuleIn) -> RuleOut:
    """Add a rule; it applies to the articles (and stories) stored from now on."""
    try:
        return RuleOut.of(await run_in_threadpool(_book(ctx).add, body.model_dump()))
    except InvalidRuleError as exc:
        raise WebError(Problem(400, "invalid_rule", exc.message_ar, exc.message_en)) from exc


@router.get("/rules/{rule_id}", tags=["rules"])
async def get_rule(ctx: Context, rule_id: int) -> RuleOut:
    return RuleOut.of(_book(ctx).rule(rule_id))


@router.delete("/rules/{rule_id}", status_code=204, tags=["rules"])
async def delete_rule(ctx: Context, rule_id: int) -> Response:
    """Delete a rule: what it hid or marked shows again; its alerts stay, undelivered ones
    are no longer sent."""
    await run_in_threadpool(_book(ctx).delete, rule_id)
    return Response(status_code=204)


@router.get("/alerts", tags=["rules"])
async def list_alerts(
    ctx: Context,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    before: Annotated[int | None, Query(ge=1, description="``next_before`` of a page")] = None,
) -> AlertList:
    """Alerts, newest first, with their webhook delivery state."""
    found = _book(ctx).alerts(limit + 1, before)
    items = found[:limit]
    more = len(found) > limit
    return AlertList(
        alerts=[AlertOut.of(a) for a in items], next_before=items[-1].id if more else None
    )
