"""The sources page with its health, login, and the admin forms (add, import, pause, delete).

Every POST form carries the session's CSRF token; admin actions also need a logged-in session.
"""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from khabar.errors import InvalidInputError, KhabarError
from khabar.web.context import Context, WebContext
from khabar.web.html.render import attach_session, current_session, render
from khabar.web.problems import Problem, WebError, problem_for

__all__ = ["ADMIN_DISABLED", "CSRF_FAILED", "router"]

router = APIRouter(include_in_schema=False)

MAX_OPML_BYTES = 2 * 1024 * 1024

ADMIN_DISABLED = Problem(
    403,
    "admin_disabled",
    "الإدارة معطّلة: لم يُضبط رمز المشرف (admin_token) على هذا الخادم.",
    "Admin is disabled: no admin_token is configured.",
)
CSRF_FAILED = Problem(
    403,
    "csrf_failed",
    "انتهت صلاحية النموذج أو لم يُرسل من هذا الموقع. أعد تحميل الصفحة وحاول مجدداً.",
    "Missing or wrong CSRF token.",
)
NOT_ADMIN = Problem(403, "not_admin", "يلزم تسجيل الدخول مشرفاً.", "Admin login required.")
BAD_LOGIN = Problem(403, "bad_token", "رمز المشرف غير صحيح.", "Wrong admin token.")

_DONE = {
    "added": "أُضيف المصدر.",
    "imported": "اكتمل استيراد ملف OPML.",
    "paused": "أُوقف تحديث المصدر مؤقتاً.",
    "resumed": "استؤنف تحديث المصدر.",
    "deleted": "حُذف المصدر ومقالاته.",
}


async def _checked_form(request: Request, ctx: WebContext, *, admin: bool = True) -> FormData:
    """The posted form, once admin is enabled, the CSRF token matches and (if asked) admin."""
    if not ctx.signer.enabled:
        raise WebError(ADMIN_DISABLED)
    form = await request.form()
    session = current_session(request, ctx)
    token = form.get("csrf")
    if not ctx.signer.check_csrf(session, token if isinstance(token, str) else None):
        raise WebError(CSRF_FAILED)
    if admin and not (session and session.admin):
        raise WebError(NOT_ADMIN)
    return form


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _sources_page(
    request: Request, ctx: WebContext, extra: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    values: dict[str, Any] = {"sources": ctx.service.sources(), "form_url": "", **(extra or {})}
    return render(request, ctx, "sources.html", values, status=status)


@router.get("/sources", response_class=HTMLResponse, name="sources")
async def sources_page(
    request: Request, ctx: Context, done: str = "", added: int = 0, existing: int = 0
) -> HTMLResponse:
    notice = _DONE.get(done, "")
    report = {"added": added, "existing": existing} if done == "imported" else None
    return _sources_page(request, ctx, {"notice": notice, "report": report})


@router.post("/sources", response_class=HTMLResponse)
async def add_source(request: Request, ctx: Context) -> Response:
    form = await _checked_form(request, ctx)
    url, category = _text(form, "url"), _text(form, "category") or None
    try:
        source = await ctx.service.add_source(url, category=category)
    except KhabarError as exc:
        problem = problem_for(exc)
        values = {"problem": problem, "form_url": url}
        return _sources_page(request, ctx, values, status=problem.status)
    return RedirectResponse(f"/sources?done=added#source-{source.id}", status_code=303)


@router.post("/sources/import", response_class=HTMLResponse)
async def import_opml(request: Request, ctx: Context) -> Response:
    form = await _checked_form(request, ctx)
    upload = form.get("opml")
    try:
        if not isinstance(upload, UploadFile):
            raise InvalidInputError("no OPML file was uploaded")
        data = await upload.read(MAX_OPML_BYTES + 1)
        if len(data) > MAX_OPML_BYTES or not data:
            raise InvalidInputError("the OPML file is empty or too large")
        report = await run_in_threadpool(
            ctx.service.import_opml, data, upload.filename or "upload.opml"
        )
    except KhabarError as exc:
        problem = problem_for(exc)
        return _sources_page(request, ctx, {"problem": problem}, status=problem.status)
    target = f"/sources?done=imported&added={report.added}&existing={report.existing}"
    return RedirectResponse(target, status_code=303)


@router.post("/sources/{source_id}/pause")
async def pause_source(request: Request, ctx: Context, source_id: int) -> Response:
    form = await _checked_form(request, ctx)
    paused = _text(form, "paused") != "0"
    await run_in_threadpool(ctx.service.pause_source, source_id, paused)
    done = "paused" if paused else "resumed"
    return RedirectResponse(f"/sources?done={done}#source-{source_id}", status_code=303)


@router.post("/sources/{source_id}/delete")
async def delete_source(request: Request, ctx: Context, source_id: int) -> Response:
    await _checked_form(request, ctx)
    await run_in_threadpool(ctx.service.delete_source, source_id)
    return RedirectResponse("/sources?done=deleted", status_code=303)


@router.get("/sources.opml", name="export_opml")
async def export_opml(ctx: Context) -> Response:
    headers = {"Content-Disposition": 'attachment; filename="khabar-sources.opml"'}
    return Response(ctx.service.export_opml(), media_type="text/x-opml", headers=headers)


@router.get("/login", response_class=HTMLResponse, name="login")
async def login_page(request: Request, ctx: Context) -> HTMLResponse:
    return render(request, ctx, "login.html")


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, ctx: Context) -> Response:
    form = await _checked_form(request, ctx, admin=False)
    if not ctx.signer.check_token(_text(form, "token")):
        return render(request, ctx, "login.html", {"problem": BAD_LOGIN}, status=403)
    response = RedirectResponse("/sources", status_code=303)
    # A new nonce on login: a session planted before login cannot become admin.
    attach_session(request, response, ctx, ctx.signer.new(time.time(), admin=True))
    return response


@router.post("/logout")
async def logout(request: Request, ctx: Context) -> Response:
    await _checked_form(request, ctx, admin=False)
    response = RedirectResponse("/", status_code=303)
    attach_session(request, response, ctx, ctx.signer.new(time.time()))
    return response
