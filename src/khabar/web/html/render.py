"""The Jinja2 environment of the reader and the helpers templates call."""

from __future__ import annotations

import time
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.templating import Jinja2Templates

from khabar.analyze.section_keys import SECTION_NAMES
from khabar.web import format as fmt
from khabar.web.auth import SESSION_COOKIE, SESSION_SECONDS, Session
from khabar.web.context import WebContext

__all__ = ["attach_session", "current_session", "make_templates", "render"]

TEMPLATES_DIR = Path(__file__).parent / "templates"

_FORMS = {
    "articles": fmt.ARTICLES,
    "sources": fmt.SOURCES,
    "results": fmt.RESULTS,
    "errors": fmt.ERRORS,
}


EMBED_NAMES = {"tweet": "تغريدة", "youtube": "فيديو على يوتيوب", "instagram": "منشور على إنستغرام",
               "facebook": "منشور على فيسبوك"}  # fmt: skip
"""How the article page names an embedded item of each kind."""


def make_templates(zone: tzinfo) -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        digits=fmt.arabic_digits,
        count=lambda n, noun: fmt.arabic_count(int(n), _FORMS[noun]),
        ago=lambda moment: fmt.relative_time(moment, datetime.now(UTC), zone),
        when=lambda moment: fmt.absolute_time(moment, zone),
        hijri=lambda moment: fmt.hijri_date(moment, zone),
        day=fmt.arabic_day,
        embed_names=EMBED_NAMES,
        iso=fmt.iso_utc,
        lead=fmt.lead_text,
        safe_url=fmt.safe_url,
        section_names=SECTION_NAMES,
    )
    return Jinja2Templates(env=env)


def current_session(request: Request, ctx: WebContext) -> Session | None:
    return ctx.signer.loads(request.cookies.get(SESSION_COOKIE), time.time())


def attach_session(request: Request, response: Response, ctx: WebContext, session: Session) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        ctx.signer.dumps(session),
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )


def render(
    request: Request,
    ctx: WebContext,
    template: str,
    values: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> HTMLResponse:
    """Render a page; pages with forms get a session (and its CSRF token) when admin is on."""
    session = current_session(request, ctx)
    fresh = session is None and ctx.signer.enabled
    if session is None and ctx.signer.enabled:
        session = ctx.signer.new(time.time())
    context: dict[str, Any] = {
        "admin_enabled": ctx.signer.enabled,
        "is_admin": bool(session and session.admin),
        "csrf": ctx.signer.csrf_token(session) if session else "",
        "query": "",
        **(values or {}),
    }
    response = ctx.templates.TemplateResponse(request, template, context, status_code=status)
    if fresh and session is not None:
        attach_session(request, response, ctx, session)
    return response
