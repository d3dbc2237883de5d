"""Response and request bodies of the JSON API (they make ``/openapi.json`` meaningful).

Datetimes are ISO 8601 in UTC.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from khabar.types import (
    Article,
    Embed,
    EntityCount,
    EntityInfo,
    EntityMention,
    PageLink,
    SearchHit,
    SearchPage,
    Source,
    Story,
)

__all__ = [
    "ArticleDetail",
    "ArticleList",
    "ArticleSummary",
    "DayCount",
    "EntityDetail",
    "EntityMentionList",
    "EntityMentionOut",
    "ErrorBody",
    "ErrorResponse",
    "NewSourceIn",
    "SearchHitOut",
    "SearchResult",
    "SectionList",
    "SectionOut",
    "SourceList",
    "SourceOut",
    "StoryDetail",
    "StoryList",
    "StoryOut",
    "TagDetail",
    "TrendingList",
    "TrendingOut",
]


def _utc(moment: datetime | None) -> datetime | None:
    return moment.astimezone(UTC) if moment is not None else None


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class ErrorBody(_Model):
    code: str = Field(examples=["not_found"])
    message_ar: str
    message_en: str


class ErrorResponse(_Model):
    error: ErrorBody


class NewSourceIn(_Model):
    url: str = Field(description="A feed, sitemap or site URL (its feed is discovered).")
    category: str | None = None


class SourceOut(_Model):
    id: int
    url: str
    kind: str
    title: str | None
    name: str = Field(description="What the reader shows: title, else site URL, else URL.")
    site_url: str | None
    category: str | None
    country: str | None
    language: str | None
    created_at: datetime
    paused: bool
    last_fetched_at: datetime | None
    next_fetch_at: datetime | None
    last_new_at: datetime | None
    error_count: int
    last_error: str | None
    article_count: int

    @classmethod
    def of(cls, s: Source) -> SourceOut:
        return cls(
            id=s.id, url=s.url, kind=s.kind, title=s.title, name=s.display_name,
            site_url=s.site_url, category=s.category, country=s.country, language=s.language,
            created_at=s.created_at.astimezone(UTC), paused=s.paused,
            last_fetched_at=_utc(s.last_fetched_at), next_fetch_at=_utc(s.next_fetch_at),
            last_new_at=_utc(s.last_new_at), error_count=s.error_count,
            last_error=s.last_error, article_count=s.article_count,
        )  # fmt: skip


class SourceList(_Model):
    sources: list[SourceOut]


class ArticleSummary(_Model):
    id: int
    source_id: int
    source_title: str | None
    url: str
    title: str
    summary: str | None
    author: str | None
    published: datetime | None
    updated: datetime | None
    fetched_at: datetime
    image: str | None
    language: str | None
    categories: list[str]
    section: str | None = Field(
        description="Section key: politics, economy, sports, culture, technology, health, "
        "society or other (null when not analyzed)."
    )
    copies: int = Field(description="How many other stored articles carry the same text.")
    copy_kind: Literal["duplicate", "republication"] | None = Field(
        description="This article copies another one: 'duplicate' (same outlet or URL) or "
        "'republication' (another outlet's copy); null when it leads its group."
    )
    duplicate_of: int | None = Field(description="The stored copy this one was matched to.")
    group_id: int | None = Field(description="The article that stands for every copy in lists.")
    original_outlet: str | None = Field(
        description="Where the text first appeared (may be an outlet Khabar does not follow)."
    )
    original_id: int | None = Field(description="Our copy from the original outlet, if held.")
    story_id: int | None = Field(description="The story (event across outlets) it belongs to.")
    marks: list[str] = Field(description="Labels of the 'mark' rules it matched.")

    @classmethod
    def of(cls, a: Article) -> ArticleSummary:
        return cls.model_validate(_summary_fields(a))


class PageLinkOut(_Model):
    kind: Literal["read_also", "related"] = Field(
        description="'read_also': an inline اقرأ أيضاً box; 'related': a ذات صلة list."
    )
    title: str
    url: str = Field(description="Where the outlet's page pointed.")
    article_id: int | None = Field(description="Our stored copy of that article, if held.")

    @classmethod
    def of(cls, link: PageLink) -> PageLinkOut:
        return cls(kind=link.kind, title=link.title, url=link.url, article_id=link.article_id)


class EmbedOut(_Model):
    kind: Literal["tweet", "youtube", "instagram", "facebook"]
    url: str | None
    text: str = Field(description="The post's text, or the video's title or caption.")
    author: str | None = Field(description="The author's handle, without '@'.")
    published: date | None
    language: str | None

    @classmethod
    def of(cls, e: Embed) -> EmbedOut:
        return cls(
            kind=e.kind, url=e.url, text=e.text, author=e.author,
            published=e.published, language=e.language,
        )  # fmt: skip


class ArticleDetail(ArticleSummary):
    canonical_url: str | None
    text: str
    html: str = Field(description="Sanitized HTML of the article body (may be empty).")
    extraction_error: str | None = Field(
        description="Why the page could not be extracted; the feed's text was kept instead."
    )
    links: list[PageLinkOut] = Field(
        description="The read-also and related links its page showed, in page order."
    )
    embeds: list[EmbedOut] = Field(
        description="Social posts and media its page embedded (not part of text), in order."
    )

    @classmethod
    def of(
        cls, a: Article, links: Sequence[PageLink] = (), embeds: Sequence[Embed] = ()
    ) -> ArticleDetail:
        extra = {
            "canonical_url": a.canonical_url,
            "text": a.text,
            "html": a.html,
            "extraction_error": a.extraction_error,
            "links": [PageLinkOut.of(link) for link in links],
            "embeds": [EmbedOut.of(e) for e in embeds],
        }
        return cls.model_validate(_summary_fields(a) | extra)


def _summary_fields(a: Article) -> dict[str, object]:
    return {
        "id": a.id, "source_id": a.source_id, "source_title": a.source_title, "url": a.url,
        "title": a.title, "summary": a.summary, "author": a.author,
        "published": _utc(a.published), "updated": _utc(a.updated),
        "fetched_at": a.fetched_at.astimezone(UTC), "image": a.image,
        "language": a.language, "categories": list(a.categories), "section": a.section,
        "copies": a.copies, "copy_kind": a.copy_kind, "duplicate_of": a.copy_of,
        "group_id": a.group_id, "original_outlet": a.original_outlet,
        "original_id": a.original_id, "story_id": a.story_id, "marks": list(a.marks),
    }  # fmt: skip


class StoryOut(_Model):
    id: int = Field(description="The id of the article that started the story.")
    title: str = Field(description="The title of its most central article.")
    title_article_id: int | None
    first_seen: datetime
    last_seen: datetime
    size: int = Field(description="How many stored articles it holds.")
    outlets: list[str] = Field(description="Outlets in order of their first article.")

    @classmethod
    def of(cls, s: Story) -> StoryOut:
        return cls(
            id=s.id,
            title=s.title,
            title_article_id=s.title_article_id,
            first_seen=s.first_seen.astimezone(UTC),
            last_seen=s.last_seen.astimezone(UTC),
            size=s.size,
            outlets=list(s.outlets),
        )


class StoryList(_Model):
    stories: list[StoryOut]


class StoryDetail(StoryOut):
    articles: list[ArticleSummary] = Field(description="Every article of the story, oldest first.")


class EntityMentionOut(_Model):
    key: str = Field(description="Merge key: the same entity in every article.")
    type: Literal["person", "organization", "place"]
    name: str
    count: int = Field(description="Mentions in this article.")

    @classmethod
    def of(cls, e: EntityMention) -> EntityMentionOut:
        return cls(key=e.key, type=e.type, name=e.name, count=e.count)  # type: ignore[arg-type]


class EntityMentionList(_Model):
    entities: list[EntityMentionOut]
    keywords: list[str] = Field(description="Key phrases of the article, best first.")


class DayCount(_Model):
    day: date
    articles: int


class EntityDetail(_Model):
    key: str
    type: Literal["person", "organization", "place"]
    name: str
    articles_total: int
    first_seen: datetime
    last_seen: datetime
    trend: list[DayCount] = Field(description="Articles per UTC day, last 30 days of mentions.")
    articles: list[ArticleSummary]
    stories: list[StoryOut] = Field(
        description="Stories told by several articles, among them recent ones naming it."
    )

    @classmethod
    def of(
        cls,
        e: EntityInfo,
        articles: list[Article],
        trend: list[tuple[date, int]],
        stories: list[Story],
    ) -> EntityDetail:
        return cls(
            key=e.key,
            type=e.type,  # type: ignore[arg-type]
            name=e.name,
            articles_total=e.articles,
            first_seen=e.first_seen.astimezone(UTC),
            last_seen=e.last_seen.astimezone(UTC),
            trend=[DayCount(day=d, articles=n) for d, n in trend],
            articles=[ArticleSummary.of(a) for a in articles],
            stories=[StoryOut.of(s) for s in stories],
        )


class TrendingOut(_Model):
    key: str
    type: Literal["person", "organization", "place"]
    name: str
    last_24h: int = Field(description="Articles naming it in the last 24 h.")
    previous_7d: int = Field(description="Articles naming it in the 7 days before.")

    @classmethod
    def of(cls, t: EntityCount) -> TrendingOut:
        return cls(
            key=t.key,
            type=t.type,  # type: ignore[arg-type]
            name=t.name,
            last_24h=t.recent,
            previous_7d=t.before,
        )


class TrendingList(_Model):
    entities: list[TrendingOut]


class ArticleList(_Model):
    articles: list[ArticleSummary]
    next_cursor: str | None = Field(
        description="Pass as ``cursor`` to get the next (older) page; null on the last page."
    )


class SearchHitOut(_Model):
    article: ArticleSummary
    score: float
    snippet: str = Field(description="Escaped HTML; matched words are wrapped in <mark>.")

    @classmethod
    def of(cls, hit: SearchHit) -> SearchHitOut:
        return cls(article=ArticleSummary.of(hit.article), score=hit.score, snippet=hit.snippet)


class SearchResult(_Model):
    query: str
    total: int = Field(description="Matches, counted up to a cap (see total_is_lower_bound).")
    total_is_lower_bound: bool = Field(
        description="True when counting stopped at the cap: there are more than total matches."
    )
    offset: int
    limit: int
    hits: list[SearchHitOut]

    @classmethod
    def of(cls, page: SearchPage) -> SearchResult:
        hits = [SearchHitOut.of(h) for h in page.hits]
        return cls(
            query=page.query,
            total=page.total,
            total_is_lower_bound=page.total_is_lower_bound,
            offset=page.offset,
            limit=page.limit,
            hits=hits,
        )


class SectionOut(_Model):
    key: str = Field(examples=["politics"])
    name: str = Field(description="The section's Arabic name.", examples=["سياسة"])


class SectionList(_Model):
    sections: list[SectionOut]


class TagDetail(_Model):
    tag: str
    trend: list[DayCount] = Field(
        description="Articles carrying it per UTC day, the 30 days up to the newest."
    )
    articles: list[ArticleSummary]
    next_cursor: str | None = Field(
        description="Pass as ``cursor`` to get the next (older) page; null on the last page."
    )
