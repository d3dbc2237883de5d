"""Story pages: one event across outlets, its timeline, the original and its copies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from khabar.types import Article
from khabar.web.context import Context
from khabar.web.html.render import render

__all__ = ["Version", "fold_versions", "router"]

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True, slots=True)
class Version:
    """One outlet's version of the story, with the copies of its text folded under it."""

    article: Article
    copies: tuple[Article, ...]


def fold_versions(articles: Sequence[Article]) -> list[Version]:
    """Articles in time order, each copy folded under the article leading its group when that
    article is in the story too (pure)."""
    present = {a.id for a in articles}
    copies: dict[int, list[Article]] = {}
    leaders: list[Article] = []
    for article in articles:
        lead = article.group_id
        if lead is not None and lead != article.id and lead in present:
            copies.setdefault(lead, []).append(article)
        else:
            leaders.append(article)
    return [Version(a, tuple(copies.get(a.id, ()))) for a in leaders]


@router.get("/stories/{story_id}", response_class=HTMLResponse, name="story")
async def story_page(request: Request, ctx: Context, story_id: int) -> HTMLResponse:
    story = ctx.service.story(story_id)
    articles = ctx.service.story_articles(story_id)
    values = {"story": story, "versions": fold_versions(articles)}
    return render(request, ctx, "story.html", values)
