"""What one worker process holds while it runs jobs: connections, the fetcher, the extractors.

- ``storage``: reads and fetch records, used on the event loop (short queries);
- ``writer``: a :class:`~.writelock.SerializedWriter` on its own connection, used only by a
  one-thread executor — waiting for the database-wide write lock never blocks the event loop
  (fetches, heartbeats and other jobs go on meanwhile);
- ``fetcher``: the usual :class:`~khabar.fetch.Fetcher` with politeness shared across workers
  (:class:`~.hostgate.SharedPoliteness`);
- ``pipeline``: the stages of :class:`~khabar.pipeline.Pipeline` (page fetch → extract →
  analyze), with extraction in the usual :class:`~khabar.workers.ExtractorPool`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

from khabar.distributed.hostgate import HostGate, SharedPoliteness
from khabar.distributed.writelock import SerializedWriter
from khabar.fetch import Fetcher
from khabar.pipeline import Pipeline
from khabar.settings import Settings
from khabar.storage import UpsertOutcome
from khabar.storage.postgres.storage import PostgresStorage
from khabar.types import AnalyzedArticle, FeedEntry, Source
from khabar.workers import ExtractorPool
from khabar.writer import ArticleWriter

__all__ = ["WorkerRuntime", "shared_fetcher"]


def shared_fetcher(settings: Settings, gate: HostGate) -> Fetcher:
    """A Fetcher whose per-host spacing and cooldowns are shared through ``gate``."""
    fetcher = Fetcher(settings)
    # Fetcher builds its own Politeness and takes no other; every hop (robots.txt and
    # redirects too) asks ``fetcher._politeness`` for its slot, so replacing it is enough.
    fetcher._politeness = SharedPoliteness(settings, gate)
    return fetcher


@dataclass
class WorkerRuntime:
    settings: Settings
    storage: PostgresStorage
    writer: SerializedWriter
    fetcher: Fetcher
    pipeline: Pipeline
    _write_thread: ThreadPoolExecutor

    @classmethod
    @asynccontextmanager
    async def open(cls, settings: Settings) -> AsyncIterator[WorkerRuntime]:
        url = settings.database_url
        async with AsyncExitStack() as stack:
            storage = PostgresStorage(url)
            stack.callback(storage.close)
            write_storage = PostgresStorage(url)
            stack.callback(write_storage.close)
            gate = HostGate(url, settings.per_host_delay)
            stack.callback(gate.close)
            extractor = ExtractorPool(settings.extract_workers, settings.section_model)
            stack.callback(extractor.close)
            thread = ThreadPoolExecutor(1, thread_name_prefix="khabar-write")
            stack.callback(thread.shutdown)
            fetcher = await stack.enter_async_context(shared_fetcher(settings, gate))
            # The pipeline's own writer is never used here: writes go through ``writer``.
            pipeline = Pipeline(
                storage, fetcher, settings, extractor, ArticleWriter(storage, settings)
            )
            writer = SerializedWriter(write_storage, settings)
            yield cls(settings, storage, writer, fetcher, pipeline, thread)

    async def write(
        self, source: Source, entry: FeedEntry, analyzed: AnalyzedArticle
    ) -> UpsertOutcome:
        """Write one article under the write lock, then index it (in the write thread)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._write_thread, self._write, source, entry, analyzed)

    def _write(self, source: Source, entry: FeedEntry, analyzed: AnalyzedArticle) -> UpsertOutcome:
        outcome = self.writer.write(source, entry, analyzed)
        self.writer.storage.search.update()
        return outcome
