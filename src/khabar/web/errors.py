"""The single error handler: every failure becomes one JSON shape (API) or one Arabic page."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from khabar.errors import KhabarError
from khabar.web.problems import Problem, WebError, problem_for

__all__ = ["error_response", "install_error_handlers", "wants_json"]

log = logging.getLogger(__name__)


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/openapi.json"


def error_response(
    request: Request, problem: Problem, headers: dict[str, str] | None = None
) -> Response:
    if wants_json(request):
        return JSONResponse(problem.as_json(), status_code=problem.status, headers=headers)
    from khabar.web.html.render import render  # the HTML side depends on this module

    response = render(request, request.app.state.web, "error.html", {"problem": problem})
    response.status_code = problem.status
    response.headers.update(headers or {})
    return response


async def handle_error(request: Request, exc: Exception) -> Response:
    problem = problem_for(exc)
    if problem.status >= 500:
        log.error("error answering %s %s", request.method, request.url.path, exc_info=exc)
    headers = (
        dict(exc.headers) if isinstance(exc, WebError | HTTPException) and exc.headers else None
    )
    return error_response(request, problem, headers)


def install_error_handlers(app: FastAPI) -> None:
    for kind in (KhabarError, WebError, HTTPException, RequestValidationError):
        app.add_exception_handler(kind, handle_error)


def plain_error_page(problem: Problem) -> HTMLResponse:
    """Used when even the template could not render."""
    return HTMLResponse(
        f'<!doctype html><html lang="ar" dir="rtl"><meta charset="utf-8">'
        f"<title>خبر</title><p>{problem.message_ar}</p></html>",
        status_code=problem.status,
    )
