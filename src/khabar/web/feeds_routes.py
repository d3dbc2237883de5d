"""Every list view as Atom 1.0, RSS 2.0 and JSON Feed 1.1 (URL scheme: ``docs/feeds.md``)::

    /feeds/latest.{fmt}              the newest articles (the home page)
    /feeds/search.{fmt}?q=QUERY      a search in the query language, newest first
    /feeds/{kind}/{value}.{fmt}      one list: section/KEY, source/ID, tag/TAG
                                     (story/ID and entity/ID slot in here as rows of VIEWS)

``fmt`` is ``atom``, ``rss`` or ``json``; ``?limit=`` takes 1–200 items (default 50; more is
cut to 200). Errors answer with the JSON error shape of the API, whatever the format asked.
Responses carry ``ETag``, ``Last-Modified`` and ``Cache-Control``; a matching
``If-None-Match`` (or a fresh ``If-Modified-Since``) gets ``304``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from khabar.analyze.section_keys import SECTION_NAMES, section_key
from khabar.errors import InvalidInputError, NotFoundError
from khabar.search.query import InvalidQueryError
from khabar.types import Article
from khabar.web.api.routes import invalid_query
from khabar.web.context import Context, WebContext
from khabar.web.feeds_out import (
    CACHE_CONTROL,
    FORMATS,
    FeedFormat,
    FeedMeta,
    build_feed,
    not_modified,
    rfc822,
)
from khabar.web.feeds_out.tags import clean_tag, has_tag, tag_query
from khabar.web.problems import NOT_FOUND, Problem, WebError, problem_for

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "VIEWS", "FeedView", "parse_limit", "router"]

DEFAULT_LIMIT: Final = 50
MAX_LIMIT: Final = 200
TAG_WINDOW: Final = 4
"""Search hits read per wanted item of a tag feed (most hits that mention a tag carry it)."""
TAG_MAX_HITS: Final = 400
"""At most this many hits are read for a tag feed: search cuts a snippet for every hit."""
SITE_NAME: Final = "خبر"

BAD_LIMIT = Problem(
    400,
    "invalid_limit",
    "قيمة limit يجب أن تكون عدداً صحيحاً موجباً (الحد ٢٠٠).",
    "limit must be a positive whole number (at most 200 items are served).",
)
MISSING_QUERY = Problem(
    400, "missing_query", "أضف نص البحث في المعامل q.", "Give the search query in the q parameter."
)
UNKNOWN_SECTION = Problem(
    404,
    "unknown_section",
    "قسم غير معروف؛ الأقسام: " + "، ".join(SECTION_NAMES.values()) + ".",
    "Unknown section; sections are " + ", ".join(SECTION_NAMES) + ".",
)

_URL_SAFE: Final = "%:/?#[]@!$&'()*+,;=~"  # reserved characters and escapes stay as they are

_METHODS: Final = ["GET", "HEAD"]  # readers and validators probe feeds with HEAD

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True, slots=True)
class FeedView:
    """One list view, ready to become a feed. Paths are relative to the site root."""

    title: str
    description: str
    page: str  # the reader page showing the same list
    path: str  # the canonical feed path without its extension
    articles: list[Article]
    query: str = ""  # the canonical feed query string (search feeds)


Loader = Callable[[WebContext, str, int], FeedView]


def parse_limit(text: str | None) -> int:
    """``?limit=``: missing → 50, above 200 → 200, 0 → 1; anything not a number → 400."""
    value = (text or "").strip()
    if not value:
        return DEFAULT_LIMIT
    if not (value.isascii() and value.isdigit()):
        raise WebError(BAD_LIMIT)
    return max(1, min(int(value), MAX_LIMIT))


# --- the views ---------------------------------------------------------------------------


def _latest(ctx: WebContext, _value: str, limit: int) -> FeedView:
    articles = ctx.service.articles(limit=limit)
    return FeedView("الأحدث", "أحدث الأخبار من كل المصادر", "", "feeds/latest", articles)


def _section(ctx: WebContext, value: str, limit: int) -> FeedView:
    key = section_key(value)
    if key is None:
        raise WebError(UNKNOWN_SECTION)
    name = SECTION_NAMES[key]
    page = "search?q=" + quote(f"section:{key}") + "&sort=date"
    articles = ctx.service.articles(section=key, limit=limit)
    return FeedView(name, f"أحدث أخبار قسم {name}", page, f"feeds/section/{key}", articles)


def _source(ctx: WebContext, value: str, limit: int) -> FeedView:
    if not (value.isascii() and value.isdigit()):
        raise WebError(NOT_FOUND)
    source = ctx.service.source(int(value))
    articles = ctx.service.articles(source_id=source.id, limit=limit)
    name = source.display_name
    return FeedView(
        name, f"أحدث ما نشره {name}", f"sources/{source.id}", f"feeds/source/{source.id}", articles
    )


def _tag(ctx: WebContext, value: str, limit: int) -> FeedView:
    tag = clean_tag(value)
    if not tag:
        raise WebError(NOT_FOUND)
    query = tag_query(tag)
    found = ctx.service.search(query, limit=min(limit * TAG_WINDOW, TAG_MAX_HITS), sort="date")
    articles = [hit.article for hit in found.hits if has_tag(hit.article, tag)][:limit]
    page = "search?q=" + quote(query) + "&sort=date"
    path = "feeds/tag/" + quote(tag, safe="")
    return FeedView(f"وسم: {tag}", f"أحدث الأخبار الموسومة «{tag}»", page, path, articles)


def _search(ctx: WebContext, value: str, limit: int) -> FeedView:
    query = value.strip()
    if not query:
        raise WebError(MISSING_QUERY)
    found = ctx.service.search(query, limit=limit, sort="date")
    articles = [hit.article for hit in found.hits]
    encoded = "q=" + quote(query, safe="")
    return FeedView(
        f"بحث: {query}",
        f"أحدث نتائج البحث عن «{query}»",
        f"search?{encoded}&sort=date",
        "feeds/search",
        articles,
        query=encoded,
    )


VIEWS: Final[dict[str, Loader]] = {"section": _section, "source": _source, "tag": _tag}
"""``/feeds/{kind}/{value}.{fmt}``: one row per kind of list (stories and entities go here)."""


# --- routes ------------------------------------------------------------------------------


@router.api_route("/feeds/latest.{fmt}", methods=_METHODS, name="feed_latest")
async def latest_feed(
    request: Request, ctx: Context, fmt: str, limit: str | None = None
) -> Response:
    return _serve(request, ctx, fmt, limit, _latest, "")


@router.api_route("/feeds/search.{fmt}", methods=_METHODS, name="feed_search")
async def search_feed(
    request: Request, ctx: Context, fmt: str, q: str = "", limit: str | None = None
) -> Response:
    return _serve(request, ctx, fmt, limit, _search, q)


@router.api_route("/feeds/{kind}/{value:path}.{fmt}", methods=_METHODS, name="feed_list")
async def list_feed(
    request: Request, ctx: Context, kind: str, value: str, fmt: str, limit: str | None = None
) -> Response:
    loader = VIEWS.get(kind)
    if loader is None:
        return _problem(NOT_FOUND)
    return _serve(request, ctx, fmt, limit, loader, value)


@router.api_route("/feeds/{rest:path}", methods=_METHODS, name="feed_unknown")
async def unknown_feed(rest: str) -> Response:
    """Any other path under /feeds/ gets the JSON 404, not the reader's HTML error page."""
    return _problem(NOT_FOUND)


def _serve(
    request: Request, ctx: WebContext, fmt: str, limit: str | None, load: Loader, value: str
) -> Response:
    chosen = next((f for f in FORMATS if f == fmt), None)
    if chosen is None:
        return _problem(NOT_FOUND)
    try:
        view = load(ctx, value, parse_limit(limit))
    except WebError as exc:
        return _problem(exc.problem)
    except InvalidQueryError as exc:
        return _problem(invalid_query(exc))
    except (NotFoundError, InvalidInputError) as exc:  # user-fixable; bugs go to the handler
        return _problem(problem_for(exc))
    document = build_feed(chosen, _meta(request, view, chosen), view.articles)
    headers = {
        "ETag": document.etag,
        "Last-Modified": rfc822(document.updated),
        "Cache-Control": CACHE_CONTROL,
    }
    conditions = (request.headers.get("if-none-match"), request.headers.get("if-modified-since"))
    if not_modified(document.etag, document.updated, *conditions):
        return Response(status_code=304, headers=headers)
    return Response(document.body, media_type=document.media_type, headers=headers)


def _meta(request: Request, view: FeedView, fmt: FeedFormat) -> FeedMeta:
    site = str(request.base_url)
    feed_id = f"{site}{view.path}.{fmt}" + (f"?{view.query}" if view.query else "")
    return FeedMeta(
        title=f"{SITE_NAME} — {view.title}",
        feed_id=feed_id,
        self_url=quote(str(request.url), safe=_URL_SAFE),
        html_url=site + view.page,
        site_url=site,
        description=view.description,
    )


def _problem(problem: Problem) -> JSONResponse:
    return JSONResponse(problem.as_json(), status_code=problem.status)
