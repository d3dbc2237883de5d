"""The rules page (list, add, delete) and the alerts page, for a logged-in admin.

Rules and alerts name webhook targets (whose URLs may carry tokens) and what is being
watched, so both pages show their content to an admin session only; every form carries the
session's CSRF token (as the sources page).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from khabar.rules import InvalidRuleError, RuleBook
from khabar.rules.book import rule_data
from khabar.web.context import Context, WebContext
from khabar.web.html.admin import _checked_form
from khabar.web.html.render import current_session, render
from khabar.web.problems import Problem

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

ALERTS_PAGE = 50

_DONE = {"added": "أُضيفت القاعدة.", "deleted": "حُذفت القاعدة."}


def _book(ctx: WebContext) -> RuleBook:
    return RuleBook(ctx.service.storage, ctx.settings)


def _is_admin(request: Request, ctx: WebContext) -> bool:
    session = current_session(request, ctx)
    return bool(session and session.admin)


def _rules_page(
    request: Request, ctx: WebContext, extra: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    admin = _is_admin(request, ctx)
    values: dict[str, Any] = {
        "rules": _book(ctx).rules() if admin else [],
        "sources": {s.id: s for s in ctx.service.sources()} if admin else {},
        "form": {},
        **(extra or {}),
    }
    return render(request, ctx, "rules.html", values, status=status)


@router.get("/rules", response_class=HTMLResponse, name="rules")
async def rules_page(request: Request, ctx: Context, done: str = "") -> HTMLResponse:
    return _rules_page(request, ctx, {"notice": _DONE.get(done, "")})


@router.post("/rules", response_class=HTMLResponse)
async def add_rule(request: Request, ctx: Context) -> Response:
    form = await _checked_form(request, ctx)
    try:
        rule = await run_in_threadpool(_book(ctx).add, _data(form))
    except InvalidRuleError as exc:
        problem = Problem(400, "invalid_rule", exc.message_ar, exc.message_en)
        values = {"problem": problem, "form": _kept(form)}
        return _rules_page(request, ctx, values, status=400)
    return RedirectResponse(f"/rules?done=added#rule-{rule.id}", status_code=303)


@router.post("/rules/{rule_id}/delete")
async def delete_rule(request: Request, ctx: Context, rule_id: int) -> Response:
    await _checked_form(request, ctx)
    await run_in_threadpool(_book(ctx).delete, rule_id)
    return RedirectResponse("/rules?done=deleted", status_code=303)


@router.get("/alerts", response_class=HTMLResponse, name="alerts")
async def alerts_page(request: Request, ctx: Context, before: int | None = None) -> HTMLResponse:
    alerts = _book(ctx).alerts(ALERTS_PAGE + 1, before) if _is_admin(request, ctx) else []
    older = alerts[ALERTS_PAGE - 1].id if len(alerts) > ALERTS_PAGE else None
    values = {"alerts": alerts[:ALERTS_PAGE], "older": older, "paged": before is not None}
    return render(request, ctx, "alerts.html", values)


def _lines(form: FormData, name: str) -> list[str]:
    value = form.get(name)
    return value.splitlines() if isinstance(value, str) else []


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _data(form: FormData) -> dict[str, object]:
    return rule_data(
        name=_field(form, "name"),
        action=_field(form, "action"),
        on=_field(form, "on") or "article",
        keywords=_lines(form, "keywords"),
        entities=_lines(form, "entities"),
        regexes=_lines(form, "regexes"),
        match_all=_field(form, "match") == "all",
        sources=[v for v in form.getlist("sources") if isinstance(v, str)],
        label=_field(form, "label"),
        webhook_url=_field(form, "webhook_url"),
        webhook_secret=_field(form, "webhook_secret"),
    )


def _kept(form: FormData) -> dict[str, str]:
    """What the admin typed, to fill the form again (never the secret)."""
    names = ("name", "action", "on", "keywords", "entities", "regexes", "match", "label")
    kept = {name: value for name in names if isinstance(value := form.get(name), str)}
    url = form.get("webhook_url")
    return kept | ({"webhook_url": url} if isinstance(url, str) else {})
