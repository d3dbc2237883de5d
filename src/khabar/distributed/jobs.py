"""The work of each job, as plain async functions of a :class:`~.runtime.WorkerRuntime`.

Jobs (registered in :mod:`.app`):

- **update one source**: fetch its feed (conditional GET), parse it, keep the entries storage
  does not know yet, queue one page job per entry, record the fetch (errors, next due time);
- **one page**: fetch the entry's page, extract and analyze it, then write it (store → link
  copies → assign its story, under the database-wide write lock) and index it.

Both are idempotent: a source not due any more is skipped (unless forced), an entry already
stored is skipped, a write is one transaction. A worker killed in the middle of either leaves
the job to be run again from the start by another worker.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Literal

from khabar.distributed.runtime import WorkerRuntime
from khabar.errors import FeedParseError, FetchError, NotFoundError
from khabar.feeds import parse_feed
from khabar.scheduler import is_due
from khabar.storage import StorageType
from khabar.types import FeedEntry, FetchRequest, Source, SourceUpdateResult, UpdateStatus

__all__ = ["DeferPage", "PageOutcome", "due_source_ids", "process_page", "update_source"]

DeferPage = Callable[[Source, FeedEntry], Awaitable[bool]]
PageOutcome = Literal["stored", "existing", "known", "gone"]


def _now() -> datetime:
    return datetime.now(UTC)


def due_source_ids(storage: StorageType, now: datetime) -> list[int]:
    """The sources to update now: not paused and due."""
    return [s.id for s in storage.list_sources() if not s.paused and is_due(s.next_fetch_at, now)]


async def update_source(
    rt: WorkerRuntime, source_id: int, defer_page: DeferPage, *, force: bool = False
) -> SourceUpdateResult | None:
    """Read one source's feed and queue its new entries; None when there was nothing to do."""
    try:
        source = rt.storage.get_source(source_id)
    except NotFoundError:
        return None  # deleted since the job was queued
    if source.paused or not (force or is_due(source.next_fetch_at, _now())):
        return None  # another job updated it meanwhile, or the user paused it
    request = FetchRequest(source.url, source.etag, source.last_modified, purpose="feed")
    pipeline = rt.pipeline
    try:
        fetched = await rt.fetcher.fetch(request)
        if fetched.not_modified:
            pipeline._record(
                source, error=None, new=0, etag=fetched.etag, last_modified=fetched.last_modified
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
        pipeline._record(source, error=str(exc), new=0, retry_after=retry)
        return SourceUpdateResult(source.id, source.url, "failed", error=str(exc))
    feed = await pipeline._expand_sitemap_index(feed)
    entries = unique_entries(feed.entries)
    known = rt.storage.known_keys(source.id, [e.key for e in entries])
    fresh = [e for e in entries if e.key not in known][: rt.settings.max_entries_per_update]
    queued = sum([await defer_page(source, entry) for entry in fresh])
    pipeline._record(
        source,
        error=None,
        new=len(fresh),
        etag=fetched.etag,
        last_modified=fetched.last_modified,
        title=feed.title,
        site_url=feed.site_url,
    )
    status: UpdateStatus = "new" if fresh else "unchanged"
    return SourceUpdateResult(
        source.id, source.url, status, new=queued, unchanged=len(entries) - len(fresh)
    )


async def process_page(rt: WorkerRuntime, source_id: int, entry: FeedEntry) -> PageOutcome:
    """Fetch, extract, analyze and write one entry's article."""
    try:
        source = rt.storage.get_source(source_id)
    except NotFoundError:
        return "gone"
    if rt.storage.known_keys(source.id, [entry.key]):
        return "known"  # written by an earlier run of this job (or another one)
    analyzed = await rt.pipeline.article_for(entry, source)
    outcome = await rt.write(source, entry, analyzed)
    return "stored" if outcome.created else "existing"


def unique_entries(entries: Sequence[FeedEntry]) -> list[FeedEntry]:
    """Entries with distinct keys, first occurrence kept (feeds repeat GUIDs)."""
    seen: dict[str, FeedEntry] = {}
    for entry in entries:
        seen.setdefault(entry.key, entry)
    return list(seen.values())
