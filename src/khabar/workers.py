"""Where CPU-bound extraction runs: one thread of this process, or a pool of processes.

trafilatura is pure CPU under the GIL, so threads cannot run two extractions at once. With
``extract_workers`` > 1 the pages go to worker processes (``spawn``: no fork of a process with
threads), which keeps every core busy while the event loop fetches, stores and indexes.
A worker that dies (a page that crashes lxml, the OOM killer) costs that page only: the pool is
rebuilt and the page falls back to the feed's text with the reason recorded.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from khabar.extract import extract_article, fallback_from_entry
from khabar.types import ExtractedArticle, FeedEntry

__all__ = ["ExtractorPool", "worker_count"]

MAX_AUTO_WORKERS = 4  # beyond this the event loop, not extraction, is the bottleneck


def worker_count(setting: int) -> int:
    """``extract_workers`` → how many extractors: 0 means one per CPU core (at most 4)."""
    if setting < 0:
        raise ValueError(f"extract_workers must be 0 or more, not {setting}")
    return setting or min(os.cpu_count() or 1, MAX_AUTO_WORKERS)


class ExtractorPool:
    """Runs :func:`khabar.extract.extract_article` off the event loop."""

    def __init__(self, workers: int) -> None:
        self.workers = worker_count(workers)
        self._executor: Executor | None = None

    def _get(self) -> Executor:
        if self._executor is None:
            if self.workers == 1:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="khabar-extract")
            else:
                context = multiprocessing.get_context("spawn")
                self._executor = ProcessPoolExecutor(self.workers, mp_context=context)
        return self._executor

    async def extract(self, html: str, url: str, entry: FeedEntry | None) -> ExtractedArticle:
        loop = asyncio.get_running_loop()
        executor = self._get()
        try:
            return await loop.run_in_executor(executor, extract_article, html, url, entry)
        except BrokenProcessPool:
            self._reset(executor)
            return fallback_from_entry(entry, url, "the extraction worker crashed on this page")

    def _reset(self, broken: Executor) -> None:
        if self._executor is broken:
            self._executor = None
        broken.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
