"""Reading pages: latest articles, one source, one article, search."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from khabar.analyze.section_keys import SECTION_NAMES, SECTIONS, section_key
from khabar.search.query import SORTS, InvalidQueryError, Sort, parse_query
from khabar.types import Article, Source
from khabar.web.context import Context, WebContext
from khabar.web.format import decode_cursor, encode_cursor
from khabar.web.html.render import render
from khabar.web.problems import NOT_FOUND, WebError

__all__ = ["PAGE_SIZE", "SEARCH_PAGE_SIZE", "router"]

PAGE_SIZE = 30
SEARCH_PAGE_SIZE = 20
TOP_STORIES = 8
RELATED = 5
SEARCH_LANGUAGES = ("ar", "en", "fr", "tr", "fa", "ur")

router = APIRouter(include_in_schema=False)


def _page(
    ctx: WebContext, before: str | None, source_id: int | None = None, section: str | None = None
) -> tuple[list[Article], str | None]:
    """One page of articles, newest first, and the cursor of the next (older) page."""
    cursor = decode_cursor(before) if before else None
    found = ctx.service.articles(
        source_id=source_id, section=section, limit=PAGE_SIZE + 1, before=cursor
    )
    items = found[:PAGE_SIZE]
    older = encode_cursor(items[-1].sort_time, items[-1].id) if len(found) > PAGE_SIZE else None
    return items, older


def _outlets(ctx: WebContext, articles: Iterable[Article]) -> Mapping[int, Source]:
    """The sources of ``articles`` by id (and the others), to name each article's outlet."""
    return ctx.service.outlets(a.source_id for a in articles)


@router.get("/", response_class=HTMLResponse, name="home")
async def home(request: Request, ctx: Context, before: str | None = None) -> HTMLResponse:
    articles, older = _page(ctx, before)
    values = {
        "stories": ctx.service.top_stories(TOP_STORIES) if before is None else [],
        "articles": articles,
        "older": older,
        "paged": before is not None,
        "outlets": _outlets(ctx, articles),
    }
    return render(request, ctx, "home.html", values)


@router.get("/sections/{key}", response_class=HTMLResponse, name="section")
async def section_page(
    request: Request, ctx: Context, key: str, before: str | None = None
) -> HTMLResponse:
    """The newest articles of one section (a key, or its Arabic name), copies folded."""
    section = section_key(key)
    if section is None:
        raise WebError(NOT_FOUND)
    articles, older = _page(ctx, before, section=section)
    values = {
        "section": section,
        "section_name": SECTION_NAMES[section],
        "articles": articles,
        "older": older,
        "paged": before is not None,
        "outlets": _outlets(ctx, articles),
    }
    return render(request, ctx, "section.html", values)


@router.get("/sources/{source_id}", response_class=HTMLResponse, name="source")
async def source_page(
    request: Request, ctx: Context, source_id: int, before: str | None = None
) -> HTMLResponse:
    source = ctx.service.source(source_id)
    articles, older = _page(ctx, before, source_id)
    values = {
        "source": source,
        "articles": articles,
        "older": older,
        "paged": before is not None,
        "outlets": {source.id: source},
    }
    return render(request, ctx, "source.html", values)


@router.get("/articles/{article_id}", response_class=HTMLResponse, name="article")
async def article_page(
    request: Request, ctx: Context, article_id: int, view: str = "text"
) -> HTMLResponse:
    article = ctx.service.article(article_id)
    source = ctx.service.source(article.source_id)
    values = {
        "article": article,
        "source": source,
        "copies": ctx.service.copies(article_id),
        "related": ctx.service.related(article_id, RELATED),
        "entities": ctx.service.article_entities(article_id),
        "keywords": ctx.service.article_keywords(article_id),
        "links": ctx.service.article_links(article_id),
        "embeds": ctx.service.article_embeds(article_id),
        "story": ctx.service.story(article.story_id) if article.story_id else None,
        "show_html": view == "html" and bool(article.html.strip()),
    }
    return render(request, ctx, "article.html", values)


@router.get("/search", response_class=HTMLResponse, name="search")
async def search_page(
    request: Request,
    ctx: Context,
    q: str = "",
    page: str = "1",
    sort: str = "",
    source: str = "",
    section: str = "",
    lang: str = "",
    date_from: Annotated[str, Query(alias="from")] = "",
    date_to: Annotated[str, Query(alias="to")] = "",
) -> HTMLResponse:
    """Search results; an unreadable query is shown in the page with status 400. The form's
    filter fields are added to the query as filters, so the query shows them."""
    number = int(page) if page.isascii() and page.isdigit() and int(page) > 0 else 1
    query = with_filters(q, source, section, lang, date_from, date_to)
    chosen = _sort(sort)
    sources = list(ctx.service.outlets().values())  # for the outlet filter
    values: dict[str, object] = {
        "query": query,
        "chosen_sort": chosen,
        "sort": chosen or "relevance",
        "result": None,
        "page": number,
        "pages": 0,
        "outlets": {},
        "sources": sources,
        "languages": SEARCH_LANGUAGES,
        "notes": (),
        "problem": None,
    }
    if not query:
        return render(request, ctx, "search.html", values)
    try:
        # Parsed here too (pure, cheap) for the effective sort and the notes to show.
        parsed = parse_query(query, sort=chosen)
        offset = (number - 1) * SEARCH_PAGE_SIZE
        result = ctx.service.search(query, limit=SEARCH_PAGE_SIZE, offset=offset, sort=chosen)
    except InvalidQueryError as exc:
        values["problem"] = exc
        return render(request, ctx, "search.html", values, status=400)
    values.update(
        sort=parsed.sort,
        notes=parsed.warnings,
        result=result,
        pages=-(-result.total // SEARCH_PAGE_SIZE),
        # Past the counting cap the pages go on while pages stay full.
        more=number * SEARCH_PAGE_SIZE < result.total
        or (result.total_is_lower_bound and len(result.hits) == SEARCH_PAGE_SIZE),
        outlets=_outlets(ctx, (h.article for h in result.hits)),
    )
    return render(request, ctx, "search.html", values)


def with_filters(q: str, source: str, section: str, lang: str, start: str, end: str) -> str:
    """``q`` with the search form's filter fields appended as query filters (pure); a value
    that is not a source id, a section key, a language code or an ISO date is left out."""
    parts = [q.strip()]
    if source.isascii() and source.isdigit():
        parts.append(f"source:{source}")
    if section in SECTIONS:
        parts.append(f"section:{section}")
    if lang in SEARCH_LANGUAGES:
        parts.append(f"lang:{lang}")
    for name, value in (("from", start), ("to", end)):
        if _iso_day(value):
            parts.append(f"{name}:{value}")
    return " ".join(p for p in parts if p)


def _iso_day(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def _sort(value: str) -> Sort | None:
    """The ``sort`` parameter; anything unknown falls back to the query's own choice."""
    return next((s for s in SORTS if s == value), None)
