"""Entity pages (a person, organization or place across articles), tag pages and the trending
view."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from khabar.types import Article
from khabar.web.context import Context
from khabar.web.format import decode_cursor, encode_cursor
from khabar.web.html.render import render
from khabar.web.problems import NOT_FOUND, WebError

__all__ = ["Bar", "router", "trend_bars"]

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 30
TREND_DAYS = 30
CHART_WIDTH, CHART_HEIGHT = 300, 60


@dataclass(frozen=True, slots=True)
class Bar:
    """One day of the mention chart, in SVG units."""

    day: date
    count: int
    x: float
    y: float
    width: float
    height: float


def trend_bars(days: Sequence[tuple[date, int]]) -> list[Bar]:
    """Bars for a per-day count series, scaled to the chart (pure)."""
    if not days:
        return []
    top = max(count for _, count in days) or 1
    width = CHART_WIDTH / len(days)
    bars = []
    for n, (day, count) in enumerate(days):
        height = CHART_HEIGHT * count / top
        bars.append(Bar(day, count, n * width, CHART_HEIGHT - height, width * 0.8, height))
    return bars


@router.get("/entities/{key}", response_class=HTMLResponse, name="entity")
async def entity_page(
    request: Request, ctx: Context, key: str, before: str | None = None
) -> HTMLResponse:
    entity = ctx.service.entity(key)
    cursor = decode_cursor(before) if before else None
    found = ctx.service.entity_articles(key, limit=PAGE_SIZE + 1, before=cursor)
    values = _timeline(ctx, found, before, ctx.service.entity_trend(key, TREND_DAYS))
    stories = ctx.service.entity_stories(key) if cursor is None else []
    return render(request, ctx, "entity.html", {"entity": entity, "stories": stories, **values})


@router.get("/tags/{tag:path}", response_class=HTMLResponse, name="tag")
async def tag_page(
    request: Request, ctx: Context, tag: str, before: str | None = None
) -> HTMLResponse:
    """Articles carrying an outlet tag, newest first, with its daily count; 404 when none."""
    cursor = decode_cursor(before) if before else None
    found = ctx.service.tag_articles(tag, limit=PAGE_SIZE + 1, before=cursor)
    if not found and cursor is None:
        raise WebError(NOT_FOUND)
    values = _timeline(ctx, found, before, ctx.service.tag_trend(tag, TREND_DAYS))
    return render(request, ctx, "tag.html", {"tag": tag, **values})


def _timeline(
    ctx: Context, found: Sequence[Article], before: str | None, days: Sequence[tuple[date, int]]
) -> dict[str, object]:
    """What an entity or tag page shows below its name: one page of articles (``found`` has
    one more than a page when an older page exists) and the mention-trend chart."""
    items = found[:PAGE_SIZE]
    older = encode_cursor(items[-1].sort_time, items[-1].id) if len(found) > PAGE_SIZE else None
    return {
        "articles": items,
        "older": older,
        "paged": before is not None,
        "bars": trend_bars(days),
        "chart": (CHART_WIDTH, CHART_HEIGHT),
        "outlets": ctx.service.outlets(a.source_id for a in items),
    }


@router.get("/trending", response_class=HTMLResponse, name="trending")
async def trending_page(request: Request, ctx: Context) -> HTMLResponse:
    return render(request, ctx, "trending.html", {"trending": ctx.service.trending(30)})
