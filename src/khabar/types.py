"""Stage-boundary values and domain records.

Every arrow of the pipeline (see ``docs/design.md``) carries one of these frozen values:

    FetchRequest -> FetchResult -> ParsedFeed(FeedEntry...) -> ExtractedArticle
        -> ArticleDraft -> Article

Datetimes are always timezone-aware UTC.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from khabar.analyze.entities import Entity
    from khabar.analyze.keywords import Keyword
    from khabar.dedupe.fingerprint import Fingerprint
    from khabar.stories.vectors import TermVector

__all__ = [
    "AnalyzedArticle",
    "Article",
    "ArticleDraft",
    "Attribution",
    "CopyKind",
    "Embed",
    "EmbedKind",
    "EntityCount",
    "EntityInfo",
    "EntityMention",
    "ExtractedArticle",
    "FeedEntry",
    "FetchRequest",
    "FetchResult",
    "Link",
    "LinkKind",
    "NewSource",
    "PageLink",
    "ParsedFeed",
    "SearchHit",
    "SearchPage",
    "Source",
    "SourceFetchState",
    "SourceKind",
    "SourceUpdateResult",
    "Story",
    "UpdateStatus",
]

SourceKind = Literal["feed", "sitemap"]
FeedFormat = Literal["rss", "atom", "rdf", "json", "sitemap", "unknown"]
FetchPurpose = Literal["feed", "page", "robots", "discovery"]
UpdateStatus = Literal["new", "unchanged", "failed", "skipped"]
EmbedKind = Literal["tweet", "youtube", "instagram", "facebook"]


# --- fetch -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FetchRequest:
    """What to fetch, with the validators remembered from the previous fetch."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    purpose: FetchPurpose = "page"


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What the network gave back. ``status == 304`` means not modified: ``body`` is empty."""

    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    body: bytes
    text: str
    charset: str | None
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


# --- feeds -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item of a feed or sitemap, as the publisher described it."""

    url: str
    guid: str | None = None
    title: str | None = None
    summary: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    author: str | None = None
    categories: tuple[str, ...] = ()
    image: str | None = None
    language: str | None = None

    @property
    def key(self) -> str:
        """The identity of the entry inside its source: GUID, else URL."""
        return self.guid or self.url


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """What the feed parser produced from one feed or sitemap document."""

    url: str
    format: FeedFormat
    title: str | None = None
    site_url: str | None = None
    description: str | None = None
    language: str | None = None
    entries: tuple[FeedEntry, ...] = ()
    warnings: tuple[str, ...] = ()


# --- extract -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Attribution:
    """The original source an article names: "المصدر: عربي21", "(واس)", "نقلاً عن …".

    ``name`` is as written, ``normalized_name`` the outlet's canonical name when it is a known
    agency or outlet (else ``name`` with its spacing cleaned), ``evidence`` the matched text.
    """

    name: str
    normalized_name: str
    evidence: str


@dataclass(frozen=True, slots=True)
class Link:
    """A link the page shows next to the article ("اقرأ أيضاً", "ذات صلة").

    ``text`` holds the full text of another article when the page glued it in (paragraphs
    separated by blank lines); it is never part of the article's own text.
    """

    title: str
    url: str | None = None
    text: str = ""


@dataclass(frozen=True, slots=True)
class Embed:
    """A social post or media item embedded in the article, kept out of its text."""

    kind: EmbedKind
    url: str | None = None
    text: str = ""
    author: str | None = None
    """The post's author handle without "@" (tweets, Instagram), when the embed names it."""
    published: date | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """The clean article extracted from a page (or the feed's own text when the page failed).

    ``error`` is set when extraction could not use the page; the other fields then hold what
    the feed entry said, so nothing is silently dropped.
    """

    url: str
    title: str | None
    paragraphs: tuple[str, ...]
    html: str = ""
    author: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    image: str | None = None
    canonical_url: str | None = None
    language: str | None = None
    site_name: str | None = None
    tags: tuple[str, ...] = ()
    error: str | None = None
    attribution: Attribution | None = None
    read_also: tuple[Link, ...] = ()
    related: tuple[Link, ...] = ()
    embeds: tuple[Embed, ...] = ()

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


# --- analyze -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AnalyzedArticle:
    """The extracted article with what analysis decided about it."""

    extracted: ExtractedArticle
    section: str
    section_confidence: float
    section_decided_by: str
    fingerprint: Fingerprint | None = None
    """The body's content hash and MinHash signature, for dedupe."""
    story_vector: TermVector | None = None
    """The title and lead as weighted terms (and entity names), for stories."""
    entities: tuple[Entity, ...] = ()
    """People, organizations and places it names (Arabic articles), most mentioned first."""
    keywords: tuple[Keyword, ...] = ()
    """The phrases that say what it is about (Arabic articles), best first."""


# --- sources -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewSource:
    """A source a user asked to follow."""

    url: str
    kind: SourceKind = "feed"
    title: str | None = None
    site_url: str | None = None
    category: str | None = None
    country: str | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class SourceFetchState:
    """What one update of a source changes on the source row."""

    fetched_at: datetime
    next_fetch_at: datetime
    error_count: int
    last_error: str | None
    etag: str | None = None
    last_modified: str | None = None
    title: str | None = None
    site_url: str | None = None
    last_new_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Source:
    """A followed feed or sitemap, as storage knows it."""

    id: int
    url: str
    kind: SourceKind
    title: str | None
    site_url: str | None
    category: str | None
    country: str | None
    language: str | None
    created_at: datetime
    paused: bool = False
    etag: str | None = None
    last_modified: str | None = None
    last_fetched_at: datetime | None = None
    next_fetch_at: datetime | None = None
    last_new_at: datetime | None = None
    error_count: int = 0
    last_error: str | None = None
    article_count: int = 0
    section_priors: tuple[tuple[str, float], ...] = ()
    """The source's own section shares, estimated from its stored articles by ``khabar
    reanalyze`` (:mod:`khabar.analyze.section_priors`); empty until then."""

    @property
    def display_name(self) -> str:
        return self.title or self.site_url or self.url


# --- articles ----------------------------------------------------------------------------


LinkKind = Literal["read_also", "related"]


@dataclass(frozen=True, slots=True)
class PageLink:
    """A link the outlet's page showed with the article: an inline "اقرأ أيضاً" box
    (``read_also``) or a "ذات صلة" list (``related``), in page order."""

    kind: LinkKind
    title: str
    url: str
    article_id: int | None = None
    """Our stored copy of the linked article, when we hold one (filled when read)."""


@dataclass(frozen=True, slots=True)
class ArticleDraft:
    """What gets written for one article: the key is (source_id, key)."""

    source_id: int
    key: str
    url: str
    title: str
    text: str
    html: str = ""
    summary: str | None = None
    canonical_url: str | None = None
    guid: str | None = None
    author: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    image: str | None = None
    language: str | None = None
    categories: tuple[str, ...] = ()
    extraction_error: str | None = None
    section: str | None = None
    section_confidence: float | None = None
    section_decided_by: str | None = None
    fingerprint: Fingerprint | None = None
    credited: str | None = None
    """The outlet the article names as its original (attribution or byline), by canonical name."""
    features: tuple[tuple[int, float], ...] = ()
    """The heaviest (feature id, weight) pairs of its story vector, for related articles."""
    entities: tuple[Entity, ...] = ()
    keywords: tuple[Keyword, ...] = ()
    links: tuple[PageLink, ...] = ()
    embeds: tuple[Embed, ...] = ()
    """Social posts and media the page embedded (kept out of ``text``)."""


CopyKind = Literal["duplicate", "republication"]


@dataclass(frozen=True, slots=True)
class Article:
    """A stored article."""

    id: int
    source_id: int
    key: str
    url: str
    title: str
    text: str
    html: str
    summary: str | None
    canonical_url: str | None
    guid: str | None
    author: str | None
    published: datetime | None
    updated: datetime | None
    image: str | None
    language: str | None
    categories: tuple[str, ...]
    extraction_error: str | None
    fetched_at: datetime
    source_title: str | None = None
    section: str | None = None
    section_confidence: float | None = None
    section_decided_by: str | None = None
    credited: str | None = None
    copy_kind: CopyKind | None = None
    """``duplicate`` (same outlet or same URL) or ``republication`` (another outlet's copy)."""
    copy_of: int | None = None
    """The closest stored copy this one was matched to."""
    group_id: int | None = None
    """The article that stands for all copies of this text in lists (itself when it leads)."""
    original_outlet: str | None = None
    """Where the text first appeared, by outlet name — possibly an outlet we do not follow."""
    original_id: int | None = None
    """Our copy from the original outlet, when we hold one."""
    copies: int = 0
    """How many other stored articles are copies of this one (when it leads its group)."""
    story_id: int | None = None
    hidden: bool = False
    """A ``hide`` rule matched it: lists and search leave it out (``khabar.rules``)."""
    marks: tuple[str, ...] = ()
    """Labels of the ``mark`` rules that matched it, shown next to it."""

    @property
    def duplicate_of(self) -> int | None:
        return self.copy_of if self.copy_kind == "duplicate" else None

    @property
    def republication_of(self) -> int | None:
        return self.copy_of if self.copy_kind == "republication" else None

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(p for p in self.text.split("\n\n") if p.strip())

    @property
    def sort_time(self) -> datetime:
        """Where it sorts: its publication time, never later than when it was stored
        (``khabar.storage.times.sort_time``)."""
        published = self.published
        return min(published, self.fetched_at) if published is not None else self.fetched_at


@dataclass(frozen=True, slots=True)
class Story:
    """Articles from one or more outlets about the same event.

    ``id`` is the id of the article that started it; ``title`` the title of its most central
    article; ``outlets`` the outlets' names in order of their first article.
    """

    id: int
    title: str
    title_article_id: int | None
    first_seen: datetime
    last_seen: datetime
    size: int
    outlets: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EntityInfo:
    """A person, organization or place across stored articles, merged by ``key``."""

    key: str
    type: str
    name: str
    articles: int
    first_seen: datetime
    last_seen: datetime


@dataclass(frozen=True, slots=True)
class EntityMention:
    """An entity as one article names it."""

    key: str
    type: str
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class EntityCount:
    """How many articles named an entity in a period (a day of a trend, or a trending window)."""

    key: str
    type: str
    name: str
    recent: int
    before: int = 0


# --- search ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result. ``snippet`` is escaped HTML with matches wrapped in ``<mark>``."""

    article: Article
    score: float
    snippet: str


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of results. ``total`` counts matches up to the engine's cap; when there are
    more, ``total_is_lower_bound`` is True and ``total`` means "more than this many"."""

    query: str
    hits: tuple[SearchHit, ...]
    total: int
    offset: int
    limit: int
    total_is_lower_bound: bool = False


# --- update ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SourceUpdateResult:
    """The summary of updating one source (one row of ``khabar update``'s table)."""

    source_id: int
    source_url: str
    status: UpdateStatus
    new: int = 0
    unchanged: int = 0
    failed: int = 0
    error: str | None = None
    page_errors: tuple[str, ...] = field(default=())
