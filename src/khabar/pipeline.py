"""The short template that runs the stages for one source.

fetch feed → parse → keep new entries → fetch each page → extract → store → index.
Every decision lives elsewhere (``scheduler``, ``feeds``, ``extract``); this module only wires
values from one stage to the next and records what happened. A failing source or page is
recorded and the run goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import ParamSpec, TypeVar

from khabar.errors import FeedParseError, FetchError, KhabarError, StorageError
from khabar.feeds import is_child_sitemap, parse_feed
from khabar.fetch import Fetcher
from khabar.scheduler import next_fetch_at
from khabar.settings import Settings
from khabar.storage import StorageType
from khabar.types import (
    AnalyzedArticle,
    FeedEntry,
    FetchRequest,
    ParsedFeed,
    Source,
    SourceFetchState,
    SourceUpdateResult,
    UpdateStatus,
)
from khabar.workers import ExtractorPool
from khabar.writer import Writer

__all__ = ["Pipeline", "Progress"]

Progress = Callable[[SourceUpdateResult], None]
log = logging.getLogger(__name__)
_P = ParamSpec("_P")
_T = TypeVar("_T")
_HTML_TYPES = ("text/html", "application/xhtml+xml", "")
MAX_CHILD_SITEMAPS = 3  # news sites index years of monthly sitemaps; only the newest matter


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Pipeline:
    storage: StorageType
    fetcher: Fetcher
    settings: Settings
    extractor: ExtractorPool
    writer: Writer
    _writing: asyncio.Lock = field(default_factory=asyncio.Lock, init=False)

    async def _off_loop(self, write: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
        """Run a storage write in a worker thread, one at a time: a database locked by another
        process makes that thread wait, never the event loop (the web reader shares it)."""
        async with self._writing:
            return await asyncio.to_thread(write, *args, **kwargs)

    async def update_sources(
        self, sources: Sequence[Source], progress: Progress | None = None
    ) -> list[SourceUpdateResult]:
        """Update every source concurrently (politeness is the fetcher's job)."""

        async def one(source: Source) -> SourceUpdateResult:
            result = await self.update_isolated(source)
            if progress is not None:
                progress(result)
            return result

        return list(await asyncio.gather(*(one(s) for s in sources)))

    async def update_isolated(self, source: Source) -> SourceUpdateResult:
        """``update_source``, with a bug on one source recorded for it and not raised: the
        other sources of the round are updated whatever one of them does."""
        try:
            return await self.update_source(source)
        except StorageError as exc:  # locked, read-only, full: the database's fault, not the
            # source's; nothing is recorded on it, so it stays due and the next round retries
            log.warning("source %s (%s) not updated: %s", source.id, source.url, exc)
            return SourceUpdateResult(source.id, source.url, "failed", error=str(exc))
        except KhabarError as exc:
            log.warning("source %s (%s) not updated: %s", source.id, source.url, exc)
            error = str(exc)
        except Exception as exc:  # a bug, not bad input: keep the round and the scheduler alive
            log.exception("internal error updating source %s (%s)", source.id, source.url)
            error = f"internal error: {type(exc).__name__}: {exc}"
        with contextlib.suppress(KhabarError):
            await self._off_loop(self._record, source, error=error, new=0)
        return SourceUpdateResult(source.id, source.url, "failed", error=error)

    async def update_source(self, source: Source) -> SourceUpdateResult:
        request = FetchRequest(source.url, source.etag, source.last_modified, purpose="feed")
        try:
            fetched = await self.fetcher.fetch(request)
            if fetched.not_modified:
                await self._off_loop(
                    self._record,
                    source,
                    error=None,
                    new=0,
                    etag=fetched.etag,
                    last_modified=fetched.last_modified,
                )
                return SourceUpdateResult(source.id, source.url, "unchanged")
            feed = parse_feed(
                fetched.body,
                fetched.final_url,
                content_type=fetched.headers.get("content-type"),
                text=fetched.text,
            )
        except (FetchError, FeedParseError) as exc:
            retry = getattr(exc, "retry_after", None)
            await self._off_loop(self._record, source, error=str(exc), new=0, retry_after=retry)
            return SourceUpdateResult(source.id, source.url, "failed", error=str(exc))
        feed = await self._expand_sitemap_index(feed)
        return await self._store_feed(source, feed, fetched.etag, fetched.last_modified)

    async def _expand_sitemap_index(self, feed: ParsedFeed) -> ParsedFeed:
        """A sitemap index lists other sitemaps: read the newest few for their articles."""
        children = newest_child_sitemaps(feed.entries)
        if not children:
            return feed
        entries = [e for e in feed.entries if not is_child_sitemap(e)]
        warnings = list(feed.warnings)
        for child in children:
            try:
                page = await self.fetcher.fetch(FetchRequest(child.url, purpose="feed"))
                entries.extend(parse_feed(page.body, page.final_url, text=page.text).entries)
            except (FetchError, FeedParseError) as exc:
                warnings.append(f"child sitemap skipped: {exc}")
        return dataclasses.replace(feed, entries=tuple(entries), warnings=tuple(warnings))

    async def _store_feed(
        self, source: Source, feed: ParsedFeed, etag: str | None, last_modified: str | None
    ) -> SourceUpdateResult:
        entries = _unique(feed.entries)
        known = self.storage.known_keys(source.id, [e.key for e in entries])
        # A GUID that changes on every fetch must not store the same page again: known URLs
        # of this source count as known entries too.
        seen = self.storage.known_urls(source.id, [e.url for e in entries if e.key not in known])
        fresh = [e for e in entries if e.key not in known and e.url not in seen]
        fresh = fresh[: self.settings.max_entries_per_update]
        analyzed = await asyncio.gather(*(self.article_for(e, source) for e in fresh))
        new, page_errors = 0, []
        for entry, article in zip(fresh, analyzed, strict=True):
            outcome = await self._off_loop(self.writer.write, source, entry, article)
            new += int(outcome.created)
            if article.extracted.error:
                page_errors.append(f"{entry.url}: {article.extracted.error}")
        await self._off_loop(self.storage.search.update)
        await self._off_loop(
            self._record,
            source,
            error=None,
            new=new,
            etag=etag,
            last_modified=last_modified,
            title=feed.title,
            site_url=feed.site_url,
        )
        status: UpdateStatus = "new" if new else "unchanged"
        return SourceUpdateResult(
            source.id,
            source.url,
            status,
            new=new,
            unchanged=len(entries) - len(fresh),
            failed=len(page_errors),
            page_errors=tuple(page_errors),
        )

    async def article_for(self, entry: FeedEntry, source: Source | None = None) -> AnalyzedArticle:
        """Fetch the entry's page, extract and analyze it (with the ``source``'s section
        shares); on any page problem keep the feed's text (with the reason) and analyze that."""
        priors = source.section_priors if source is not None else ()

        async def analyzed(html: str | None, url: str, reason: str = "") -> AnalyzedArticle:
            return await self.extractor.extract(html, url, entry, reason, priors)

        if not self.settings.fetch_pages:
            return await analyzed(None, entry.url, "page fetching is off")
        try:
            page = await self.fetcher.fetch(FetchRequest(entry.url, purpose="page"))
        except KhabarError as exc:
            return await analyzed(None, entry.url, f"page not fetched: {exc}")
        if page.content_type not in _HTML_TYPES:
            return await analyzed(None, page.final_url, f"page is {page.content_type}, not HTML")
        return await analyzed(page.text, page.final_url)

    def _record(
        self,
        source: Source,
        *,
        error: str | None,
        new: int,
        retry_after: float | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        title: str | None = None,
        site_url: str | None = None,
    ) -> None:
        now = _now()
        errors = source.error_count + 1 if error else 0
        due = next_fetch_at(
            now,
            recent_publish_times=self.storage.recent_publish_times(source.id),
            error_count=errors,
            retry_after=retry_after,
            min_interval=self.settings.min_interval,
            max_interval=self.settings.max_interval,
        )
        state = SourceFetchState(
            fetched_at=now,
            next_fetch_at=due,
            error_count=errors,
            last_error=error,
            etag=etag,
            last_modified=last_modified,
            title=title,
            site_url=site_url,
            last_new_at=now if new else None,
        )
        self.storage.record_fetch(source.id, state)


def newest_child_sitemaps(entries: Sequence[FeedEntry]) -> list[FeedEntry]:
    """The child sitemaps of an index worth reading now: the most recently changed ones."""
    children = [e for e in entries if is_child_sitemap(e)]
    oldest = datetime.min.replace(tzinfo=UTC)
    children.sort(key=lambda e: e.updated or e.published or oldest, reverse=True)
    return children[:MAX_CHILD_SITEMAPS]


def _unique(entries: Sequence[FeedEntry]) -> list[FeedEntry]:
    """Entries with distinct keys, first occurrence kept (feeds repeat GUIDs)."""
    seen: dict[str, FeedEntry] = {}
    for entry in entries:
        seen.setdefault(entry.key, entry)
    return list(seen.values())
