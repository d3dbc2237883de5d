"""The one mapping from errors to what a client sees: HTTP status, code, Arabic and English text.

Raw exception text never reaches a client: every message here is a fixed, reviewed string.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from khabar.errors import (
    DatabaseBusyError,
    DatabaseFullError,
    DatabaseReadOnlyError,
    FeedDiscoveryError,
    FeedParseError,
    FetchError,
    InvalidInputError,
    KhabarError,
    NotFoundError,
    SourceError,
    SourceExistsError,
    SSRFBlockedError,
)

__all__ = ["INTERNAL", "Problem", "WebError", "problem_for"]


@dataclass(frozen=True, slots=True)
class Problem:
    """What a client is told about a failed request."""

    status: int
    code: str
    message_ar: str
    message_en: str

    def as_json(self) -> dict[str, dict[str, str]]:
        return {
            "error": {
                "code": self.code,
                "message_ar": self.message_ar,
                "message_en": self.message_en,
            }
        }


class WebError(Exception):
    """Raised by the web layer itself (authentication, CSRF …) to answer with a problem."""

    def __init__(self, problem: Problem, headers: dict[str, str] | None = None) -> None:
        super().__init__(problem.code)
        self.problem = problem
        self.headers = headers or {}


NOT_FOUND = Problem(404, "not_found", "لم نجد ما تبحث عنه.", "Not found.")
INTERNAL = Problem(
    500, "internal_error", "حدث خطأ غير متوقع. حاول مرة أخرى لاحقاً.", "Unexpected server error."
)
INVALID = Problem(400, "invalid_input", "المُدخلات غير صالحة.", "The request is not valid.")

# Order matters: subclasses before their bases.
_KHABAR_PROBLEMS: tuple[tuple[type[KhabarError], Problem], ...] = (
    (NotFoundError, NOT_FOUND),
    (
        DatabaseReadOnlyError,
        Problem(
            503,
            "database_read_only",
            "قاعدة البيانات للقراءة فقط الآن: يمكنك التصفح، أما التعديل فغير متاح.",
            "The database is read-only: reading works, changes are not possible.",
        ),
    ),
    (
        DatabaseFullError,
        Problem(
            507,
            "database_full",
            "قاعدة البيانات ممتلئة (لا مساحة على القرص): يمكنك التصفح، أما التعديل فغير متاح.",
            "The database or disk is full: reading works, changes are not possible.",
        ),
    ),
    (
        DatabaseBusyError,
        Problem(
            503,
            "database_busy",
            "قاعدة البيانات مشغولة الآن. حاول مجدداً بعد قليل.",
            "The database is busy; try again shortly.",
        ),
    ),
    (InvalidInputError, INVALID),
    (
        SourceExistsError,
        Problem(409, "source_exists", "هذا المصدر متابَع بالفعل.", "Source already followed."),
    ),
    (
        SSRFBlockedError,
        Problem(422, "url_not_allowed", "هذا العنوان غير مسموح به.", "This address is refused."),
    ),
    (
        FeedDiscoveryError,
        Problem(
            422, "feed_not_found", "لم نجد خلاصة أخبار في هذا العنوان.", "No feed found at the URL."
        ),
    ),
    (
        FeedParseError,
        Problem(422, "feed_invalid", "تعذّرت قراءة الخلاصة.", "The feed could not be read."),
    ),
    (
        FetchError,
        Problem(422, "fetch_failed", "تعذّر جلب العنوان.", "The URL could not be fetched."),
    ),
    (
        SourceError,
        Problem(422, "source_error", "تعذّر استخدام هذا المصدر.", "The source cannot be used."),
    ),
)

_HTTP_PROBLEMS: dict[int, Problem] = {
    404: NOT_FOUND,
    405: Problem(405, "method_not_allowed", "هذه الطريقة غير مسموحة.", "Method not allowed."),
    401: Problem(401, "unauthorized", "يلزم رمز المشرف.", "Admin token required."),
    403: Problem(403, "forbidden", "غير مسموح.", "Forbidden."),
}


def problem_for(exc: BaseException) -> Problem:
    """The problem a client sees for ``exc``; unexpected errors become a generic 500."""
    if isinstance(exc, WebError):
        return exc.problem
    if isinstance(exc, KhabarError):
        return next((p for cls, p in _KHABAR_PROBLEMS if isinstance(exc, cls)), INTERNAL)
    if isinstance(exc, RequestValidationError):
        return _validation_problem(exc)
    if isinstance(exc, HTTPException):
        return _HTTP_PROBLEMS.get(
            exc.status_code, Problem(exc.status_code, "http_error", "تعذّر تنفيذ الطلب.", "Error.")
        )
    return INTERNAL


def _validation_problem(exc: RequestValidationError) -> Problem:
    """A bad path parameter means the page does not exist; anything else is bad input."""
    for error in exc.errors():
        loc = error.get("loc", ()) if isinstance(error, dict) else ()
        if loc and loc[0] == "path":
            return NOT_FOUND
    return Problem(422, "invalid_input", INVALID.message_ar, INVALID.message_en)
