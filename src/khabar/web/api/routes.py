"""The JSON API, version 1. Changes need ``Authorization: Bearer <admin_token>``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from khabar.analyze.section_keys import SECTION_NAMES, section_key
from khabar.search.query import MAX_QUERY_LENGTH, InvalidQueryError, Sort
from khabar.types import Article
from khabar.web.api.models import (
    ArticleDetail,
    ArticleList,
    ArticleSummary,
    DayCount,
    EntityDetail,
    EntityMentionList,
    EntityMentionOut,
    ErrorResponse,
    NewSourceIn,
    SearchResult,
    SectionList,
    SectionOut,
    SourceList,
    SourceOut,
    StoryDetail,
    StoryList,
    StoryOut,
    TagDetail,
    TrendingList,
    TrendingOut,
)
from khabar.web.context import Context
from khabar.web.format import decode_cursor, encode_cursor
from khabar.web.problems import NOT_FOUND, Problem, WebError

__all__ = ["router"]

_bearer = HTTPBearer(auto_error=False, description="The server's admin token.")

_ERRORS: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorResponse} for code in (400, 401, 403, 404, 409, 422, 429, 500)
}

router = APIRouter(prefix="/api/v1", responses=_ERRORS)

NO_TOKEN = Problem(401, "unauthorized", "يلزم رمز المشرف.", "An admin bearer token is required.")
WRONG_TOKEN = Problem(403, "forbidden", "رمز المشرف غير صحيح.", "Wrong admin token.")
ADMIN_OFF = Problem(
    403, "admin_disabled", "الإدارة معطّلة على هذا الخادم.", "Admin is disabled on this server."
)


async def require_admin(
    ctx: Context,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    if not ctx.signer.enabled:
        raise WebError(ADMIN_OFF)
    if credentials is None:
        raise WebError(NO_TOKEN, {"WWW-Authenticate": "Bearer"})
    if not ctx.signer.check_token(credentials.credentials):
        raise WebError(WRONG_TOKEN)


Admin = Depends(require_admin)


@router.get("/sources", tags=["sources"])
async def list_sources(ctx: Context) -> SourceList:
    return SourceList(sources=[SourceOut.of(s) for s in ctx.service.sources()])


@router.get("/sources/{source_id}", tags=["sources"])
async def get_source(ctx: Context, source_id: int) -> SourceOut:
    return SourceOut.of(ctx.service.source(source_id))


@router.post("/sources", status_code=201, dependencies=[Admin], tags=["sources"])
async def add_source(ctx: Context, body: NewSourceIn) -> SourceOut:
    """Follow a feed, a sitemap or a site (its feed is discovered)."""
    return SourceOut.of(await ctx.service.add_source(body.url, category=body.category))


@router.delete("/sources/{source_id}", status_code=204, dependencies=[Admin], tags=["sources"])
async def delete_source(ctx: Context, source_id: int) -> Response:
    ctx.service.source(source_id)  # a missing source is a 404, not a silent success
    await run_in_threadpool(ctx.service.delete_source, source_id)  # may wait for a lock
    return Response(status_code=204)


@router.get("/articles", tags=["articles"])
async def list_articles(
    ctx: Context,
    source_id: int | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(description="``next_cursor`` of the previous page")] = None,
    language: str | None = None,
    section: Annotated[str | None, Query(description="A section key (see /sections).")] = None,
) -> ArticleList:
    """Articles, newest first, one page at a time."""
    before = decode_cursor(cursor) if cursor else None
    found = ctx.service.articles(
        source_id=source_id, limit=limit + 1, before=before, language=language, section=section
    )
    return _article_page(found, limit)


def _article_page(found: list[Article], limit: int) -> ArticleList:
    """The first ``limit`` of ``found`` (read one more than asked) and the next page's cursor."""
    items = found[:limit]
    return ArticleList(
        articles=[ArticleSummary.of(a) for a in items], next_cursor=_next(found, limit)
    )


def _next(found: list[Article], limit: int) -> str | None:
    last = found[limit - 1] if len(found) > limit else None
    return encode_cursor(last.sort_time, last.id) if last else None


@router.get("/sections", tags=["sections"])
async def list_sections() -> SectionList:
    """The fixed sections articles are sorted into."""
    return SectionList(sections=[SectionOut(key=k, name=n) for k, n in SECTION_NAMES.items()])


@router.get("/sections/{key}", tags=["sections"])
async def section_articles(
    ctx: Context,
    key: str,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(description="``next_cursor`` of the previous page")] = None,
) -> ArticleList:
    """A section's articles (key or Arabic name), newest first, copies folded."""
    section = section_key(key)
    if section is None:
        raise WebError(NOT_FOUND)
    before = decode_cursor(cursor) if cursor else None
    return _article_page(
        ctx.service.articles(section=section, limit=limit + 1, before=before), limit
    )


@router.get("/tags/{tag}", tags=["tags"])
async def tag_articles(
    ctx: Context,
    tag: str,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(description="``next_cursor`` of the previous page")] = None,
) -> TagDetail:
    """Articles carrying an outlet tag (exactly as stored), newest first, and its daily count."""
    before = decode_cursor(cursor) if cursor else None
    found = ctx.service.tag_articles(tag, limit=limit + 1, before=before)
    if not found and before is None:
        raise WebError(NOT_FOUND)
    trend = [DayCount(day=d, articles=n) for d, n in ctx.service.tag_trend(tag, 30)]
    articles = [ArticleSummary.of(a) for a in found[:limit]]
    return TagDetail(tag=tag, trend=trend, articles=articles, next_cursor=_next(found, limit))


@router.get("/articles/{article_id}", tags=["articles"])
async def get_article(ctx: Context, article_id: int) -> ArticleDetail:
    article = ctx.service.article(article_id)
    links, embeds = ctx.service.article_links(article_id), ctx.service.article_embeds(article_id)
    return ArticleDetail.of(article, links, embeds)


@router.get("/articles/{article_id}/related", tags=["articles"])
async def related_articles(
    ctx: Context, article_id: int, limit: Annotated[int, Query(ge=1, le=20)] = 5
) -> ArticleList:
    """Articles on the same subject (never copies of this one), best first."""
    found = ctx.service.related(article_id, limit)
    return ArticleList(articles=[ArticleSummary.of(a) for a in found], next_cursor=None)


@router.get("/trending", tags=["entities"])
async def trending(ctx: Context, limit: Annotated[int, Query(ge=1, le=100)] = 20) -> TrendingList:
    """Entities named most above their usual day: last 24 h against the 7 days before."""
    return TrendingList(entities=[TrendingOut.of(t) for t in ctx.service.trending(limit)])


@router.get("/entities/{key}", tags=["entities"])
async def get_entity(
    ctx: Context, key: str, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> EntityDetail:
    """A person, organization or place: its articles (newest first), daily mentions and the
    stories its recent articles belong to."""
    entity = ctx.service.entity(key)
    articles = ctx.service.entity_articles(key, limit=limit)
    trend = ctx.service.entity_trend(key, 30)
    return EntityDetail.of(entity, articles, trend, ctx.service.entity_stories(key))


@router.get("/articles/{article_id}/entities", tags=["entities"])
async def article_entities(ctx: Context, article_id: int) -> EntityMentionList:
    ctx.service.article(article_id)  # 404 for an unknown article
    found = ctx.service.article_entities(article_id)
    keywords = ctx.service.article_keywords(article_id)
    return EntityMentionList(entities=[EntityMentionOut.of(e) for e in found], keywords=keywords)


@router.get("/stories", tags=["stories"])
async def list_stories(ctx: Context, limit: Annotated[int, Query(ge=1, le=100)] = 20) -> StoryList:
    """Top stories: covered by several outlets, recent (the home page's ranking)."""
    return StoryList(stories=[StoryOut.of(s) for s in ctx.service.top_stories(limit)])


@router.get("/stories/{story_id}", tags=["stories"])
async def get_story(ctx: Context, story_id: int) -> StoryDetail:
    story = StoryOut.of(ctx.service.story(story_id))
    articles = [ArticleSummary.of(a) for a in ctx.service.story_articles(story_id)]
    return StoryDetail(**story.model_dump(), articles=articles)


@router.get("/search", tags=["search"])
async def search(
    ctx: Context,
    q: Annotated[
        str,
        Query(
            description='Words, "phrases", OR, -exclusion, prefix*, and the filters source:, '
            "section:, lang:, from:YYYY-MM-DD, to:YYYY-MM-DD, sort:relevance|date; at most "
            f"{MAX_QUERY_LENGTH} characters.",
        ),
    ] = "",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    sort: Annotated[
        Sort | None, Query(description="Overrides sort: in the query (default: relevance).")
    ] = None,
) -> SearchResult:
    """Full-text search (Arabic-aware); snippets are escaped HTML with ``<mark>``.

    A query that cannot be read answers 400 with the code ``invalid_query`` and a message
    naming the problem and its position.
    """
    try:
        page = ctx.service.search(q, limit=limit, offset=offset, sort=sort)
    except InvalidQueryError as exc:
        raise WebError(invalid_query(exc)) from exc
    return SearchResult.of(page)


def invalid_query(exc: InvalidQueryError) -> Problem:
    return Problem(400, "invalid_query", exc.message_ar, exc.message_en)
