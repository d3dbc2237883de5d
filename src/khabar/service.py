"""The facade the CLI and the web layer call. They never reach into storage or stages."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx

from khabar.analyze.article import analyze_article
from khabar.analyze.section_keys import SECTIONS, section_key
from khabar.analyze.trending import BASELINE, MIN_RECENT, RECENT, daily_series, rank_trending
from khabar.errors import InvalidInputError, KhabarError, SourceExistsError
from khabar.extract import extract_article
from khabar.feeds import discover, parse_opml, write_opml
from khabar.fetch import Fetcher
from khabar.jsonl_import import ImportRecord, article_from_record, read_jsonl, read_page
from khabar.pipeline import Pipeline, Progress
from khabar.reanalyze import ReanalyzeReport, reanalyze
from khabar.scheduler import is_due
from khabar.search.query import Sort
from khabar.settings import Settings
from khabar.storage import ArticleFilter, StorageType, open_storage
from khabar.stories.rank import rank_stories
from khabar.types import (
    Article,
    Embed,
    EntityCount,
    EntityInfo,
    EntityMention,
    ExtractedArticle,
    FeedEntry,
    NewSource,
    PageLink,
    SearchPage,
    Source,
    SourceUpdateResult,
    Story,
)
from khabar.workers import ExtractorPool
from khabar.writer import article_writer

__all__ = ["OUTLETS_MAX_AGE", "ImportReport", "Khabar"]

OUTLETS_MAX_AGE = 5.0
"""Seconds the sources named next to listed articles (:meth:`Khabar.outlets`) may be old.
Listing them counts every stored article per source (11–25 ms at 100k articles,
bench/RESULTS.md), too much for every page view; their names and languages rarely change."""


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did: how many were added, already there, and which failed and why."""

    added: int = 0
    existing: int = 0
    errors: tuple[str, ...] = field(default=())


class Khabar:
    """Everything a user can do with Khabar, in one place."""

    def __init__(
        self,
        settings: Settings,
        storage: StorageType | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.settings = settings
        self.storage = storage or open_storage(
            settings.database_url, search_engine=settings.search_engine
        )
        self._transport = transport
        self._extractors = ExtractorPool(settings.extract_workers, settings.section_model)
        self._writer = article_writer(self.storage, settings)  # the write lock on PostgreSQL
        self._outlets: _Outlets | None = None

    def _pipeline(self, fetcher: Fetcher) -> Pipeline:
        return Pipeline(self.storage, fetcher, self.settings, self._extractors, self._writer)

    def close(self) -> None:
        self._extractors.close()
        self.storage.close()

    def __enter__(self) -> Khabar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @asynccontextmanager
    async def _fetcher(self) -> AsyncIterator[Fetcher]:
        async with Fetcher(self.settings, transport=self._transport) as fetcher:
            yield fetcher

    # --- sources -----------------------------------------------------------------------

    async def add_source(self, url: str, *, category: str | None = None) -> Source:
        """Follow a feed, a sitemap or a site (its feed is discovered)."""
        url = _check_url(url)
        if (existing := self.storage.find_source(url)) is not None:
            raise SourceExistsError(url, f"already followed as source {existing.id}")
        async with self._fetcher() as fetcher:
            new, _ = await discover(url, fetcher.fetch)
        if category:
            new = dataclasses.replace(new, category=category)
        if (existing := self.storage.find_source(new.url)) is not None:
            raise SourceExistsError(new.url, f"already followed as source {existing.id}")
        self._outlets = None
        # A write may wait for another process's lock: never on the event loop.
        return await asyncio.to_thread(self.storage.add_source, new)

    async def preview_source(self, url: str) -> tuple[NewSource, list[FeedEntry]]:
        """What following ``url`` would give, without storing anything."""
        async with self._fetcher() as fetcher:
            new, feed = await discover(_check_url(url), fetcher.fetch)
        return new, list(feed.entries[:10])

    def import_opml(self, data: bytes, origin: str) -> ImportReport:
        self._outlets = None
        added = existing = 0
        for new in parse_opml(data, origin):
            try:
                self.storage.add_source(new)
                added += 1
            except SourceExistsError:
                existing += 1
        return ImportReport(added, existing)

    def export_opml(self) -> str:
        return write_opml(self.storage.list_sources())

    def sources(self) -> list[Source]:
        return self.storage.list_sources()

    def outlets(self, wanted: Iterable[int] = ()) -> Mapping[int, Source]:
        """Every source by id, to name the outlet of listed articles: read again when older
        than :data:`OUTLETS_MAX_AGE`, after a change made here, or when a source in
        ``wanted`` is missing (a source added by another process). Their other fields (health,
        article counts) may be that old too: pages about sources use :meth:`sources`."""
        cached = self._outlets
        now = time.monotonic()
        if cached is None or not cached.fresh(now) or not cached.has(wanted):
            cached = _Outlets(now, {s.id: s for s in self.storage.list_sources()})
            self._outlets = cached
        return cached.by_id

    def source(self, source_id: int) -> Source:
        return self.storage.get_source(source_id)

    def pause_source(self, source_id: int, paused: bool = True) -> Source:
        self._outlets = None
        return self.storage.set_source_paused(source_id, paused)

    def delete_source(self, source_id: int) -> None:
        self._outlets = None
        self.storage.delete_source(source_id)
        self.storage.search.update()

    # --- updating ----------------------------------------------------------------------

    def due_sources(self, now: datetime | None = None) -> list[Source]:
        moment = now or datetime.now(UTC)
        return [
            s
            for s in self.storage.list_sources()
            if not s.paused and is_due(s.next_fetch_at, moment)
        ]

    async def update(
        self,
        source_id: int | None = None,
        *,
        only_due: bool = False,
        progress: Progress | None = None,
    ) -> list[SourceUpdateResult]:
        """Update one source, every source, or only those that are due."""
        if source_id is not None:
            targets = [self.storage.get_source(source_id)]
        elif only_due:
            targets = self.due_sources()
        else:
            targets = [s for s in self.storage.list_sources() if not s.paused]
        async with self._fetcher() as fetcher:
            pipeline = Pipeline(
                self.storage, fetcher, self.settings, self._extractors, self._writer
            )
            try:
                return await pipeline.update_sources(targets, progress)
            finally:
                self._outlets = None  # titles and health learned by the fetch

    # --- reading -----------------------------------------------------------------------

    def articles(
        self,
        *,
        source_id: int | None = None,
        limit: int = 50,
        before: tuple[datetime, int] | None = None,
        language: str | None = None,
        section: str | None = None,
        fold_copies: bool = True,
    ) -> list[Article]:
        """Stored articles, newest first; ``section`` takes a key or its Arabic name;
        copies of one text are listed once unless ``fold_copies`` is False."""
        key = None
        if section is not None and (key := section_key(section)) is None:
            raise InvalidInputError(f"unknown section {section!r} (known: {', '.join(SECTIONS)})")
        flt = ArticleFilter(
            source_id=source_id,
            language=language,
            section=key,
            limit=limit,
            before=before,
            fold_copies=fold_copies,
        )
        return self.storage.list_articles(flt)

    def article(self, article_id: int) -> Article:
        return self.storage.get_article(article_id)

    def top_stories(self, limit: int = 10, hours: float = 48.0) -> list[Story]:
        """Stories with articles from more than one outlet or copy, best first
        (:func:`khabar.stories.rank.rank_stories`), within ``hours`` of the newest."""
        newest = self.storage.list_stories(limit=1)
        if not newest:
            return []
        since = newest[0].last_seen - timedelta(hours=hours)
        return rank_stories(self.storage.list_stories(since=since, min_size=2, limit=500), limit)

    def story(self, story_id: int) -> Story:
        return self.storage.get_story(story_id)

    def story_articles(self, story_id: int) -> list[Article]:
        """A story's articles, oldest first."""
        return self.storage.story_articles(story_id)

    def related(self, article_id: int, limit: int = 5) -> list[Article]:
        """Articles on the same subject (not copies of this one), best first."""
        return self.storage.related_articles(article_id, limit)

    def entity(self, key: str) -> EntityInfo:
        return self.storage.get_entity(key)

    def entity_articles(
        self, key: str, *, limit: int = 50, before: tuple[datetime, int] | None = None
    ) -> list[Article]:
        """Articles naming an entity, newest first, copies folded."""
        return self.storage.entity_articles(key, limit=limit, before=before)

    def entity_stories(self, key: str, limit: int = 5) -> list[Story]:
        """Stories told by several articles, among them recent ones naming an entity, most
        recently active first."""
        return self.storage.entity_stories(key, limit=limit)

    def entity_trend(self, key: str, days: int = 30) -> list[tuple[date, int]]:
        """Articles naming an entity per day, the ``days`` days up to its last mention."""
        last = self.storage.get_entity(key).last_seen.astimezone(UTC).date()
        first = last - timedelta(days=days - 1)
        since = datetime.combine(first, datetime.min.time(), UTC)
        return daily_series(self.storage.entity_days(key, since), first, last)

    def tag_articles(
        self, tag: str, *, limit: int = 50, before: tuple[datetime, int] | None = None
    ) -> list[Article]:
        """Articles carrying an outlet tag (exactly as stored), newest first, copies folded."""
        return self.storage.tag_articles(tag, limit=limit, before=before)

    def tag_trend(self, tag: str, days: int = 30) -> list[tuple[date, int]]:
        """Articles carrying a tag per day, the ``days`` days up to its newest (none: empty)."""
        newest = self.storage.tag_articles(tag, limit=1)
        if not newest:
            return []
        last = newest[0].sort_time.astimezone(UTC).date()
        first = last - timedelta(days=days - 1)
        since = datetime.combine(first, datetime.min.time(), UTC)
        return daily_series(self.storage.tag_days(tag, since), first, last)

    def trending(self, limit: int = 20) -> list[EntityCount]:
        """Entities named most above their usual day (``khabar.analyze.trending``), measured
        up to the newest stored article."""
        newest = self.storage.list_articles(ArticleFilter(limit=1, fold_copies=False))
        if not newest:
            return []
        split = newest[0].sort_time - RECENT
        counts = self.storage.entity_counts(split, split - BASELINE, MIN_RECENT)
        outlets = {s.title for s in self.outlets().values() if s.title}
        return rank_trending(counts, limit, outlets)

    def article_entities(self, article_id: int) -> list[EntityMention]:
        return self.storage.article_entities(article_id)

    def article_links(self, article_id: int) -> list[PageLink]:
        """The read-also and related links of the article's page, with our copies."""
        return self.storage.article_links(article_id)

    def article_embeds(self, article_id: int) -> list[Embed]:
        """The social posts and media the article's page embedded, in page order."""
        return self.storage.article_embeds(article_id)

    def article_keywords(self, article_id: int) -> list[str]:
        return self.storage.article_keywords(article_id)

    def copies(self, article_id: int) -> list[Article]:
        """The other stored copies of an article's text (duplicates and republications)."""
        return self.storage.copies_of(article_id)

    def search(
        self, query: str, *, limit: int = 20, offset: int = 0, sort: Sort | None = None
    ) -> SearchPage:
        """Search in the query language of ``khabar.search.query``; ``sort`` overrides ``sort:``.

        Raises ``InvalidQueryError`` (an ``InvalidInputError``) when the query cannot be read.
        """
        return self.storage.search.search(query, limit=limit, offset=offset, sort=sort)

    def count_articles(self) -> int:
        return self.storage.count_articles()

    # --- offline tools -----------------------------------------------------------------

    @staticmethod
    def extract_file(path: Path, url: str | None = None) -> ExtractedArticle:
        """Extract one saved page (``.html`` or ``.html.gz``) without touching the network."""
        return extract_article(read_page(path), url or path.resolve().as_uri())

    async def extract_url(self, url: str) -> ExtractedArticle:
        """Fetch one page (safely, politely) and extract it without storing anything."""
        async with self._fetcher() as fetcher:
            pipeline = Pipeline(
                self.storage, fetcher, self.settings, self._extractors, self._writer
            )
            analyzed = await pipeline.article_for(FeedEntry(url=_check_url(url)))
            return analyzed.extracted

    def import_jsonl(self, path: Path) -> ImportReport:
        """Store already-collected articles given as JSON lines (see ``khabar.imports``)."""
        added = existing = 0
        errors: list[str] = []
        for item in read_jsonl(path):
            if isinstance(item, InvalidInputError):
                errors.append(str(item))
                continue
            try:
                created = self._import_record(item)
            except KhabarError as exc:
                errors.append(f"{path}:{item.line}: {exc}")
                continue
            added, existing = added + created, existing + (not created)
        self.storage.search.update()
        return ImportReport(added, existing, tuple(errors))

    def reanalyze(
        self,
        *,
        section_model: str | None = None,
        source_id: int | None = None,
        only_missing: bool = False,
        limit: int | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> ReanalyzeReport:
        """Analyze stored articles again (:mod:`khabar.reanalyze`), with ``section_model``
        or else the ``section_model`` setting."""
        if source_id is not None:
            self.storage.get_source(source_id)  # NotFoundError names a wrong id
        return reanalyze(
            self.storage,
            section_model=self.settings.section_model if section_model is None else section_model,
            source_id=source_id,
            only_missing=only_missing,
            limit=limit,
            progress=progress,
        )

    def _import_record(self, record: ImportRecord) -> bool:
        source = self._import_source(record.source)
        entry, article = article_from_record(record)
        priors = dict(source.section_priors) or None
        analyzed = analyze_article(
            article, entry, section_model=self.settings.section_model, section_priors=priors
        )
        return self._writer.write(source, entry, analyzed).created

    def _import_source(self, name: str) -> Source:
        url = name if name.startswith(("http://", "https://")) else f"urn:khabar:import:{name}"
        found = self.storage.find_source(url)
        if found is not None:
            return found
        return self.storage.add_source(NewSource(url=url, title=name, kind="feed"))


@dataclass(frozen=True, slots=True)
class _Outlets:
    """The sources read at ``read_at`` (monotonic seconds), by id."""

    read_at: float
    by_id: Mapping[int, Source]

    def fresh(self, now: float) -> bool:
        return now - self.read_at <= OUTLETS_MAX_AGE

    def has(self, wanted: Iterable[int]) -> bool:
        return all(i in self.by_id for i in wanted)


def _check_url(url: str) -> str:
    url = url.strip()
    if not url.startswith(("http://", "https://")):
        raise InvalidInputError(f"{url!r} is not an http(s) URL")
    return url
