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

from khabar.analyze.article import analyze_article
from khabar.extract import extract_article, fallback_from_entry
from khabar.types import AnalyzedArticle, ExtractedArticle, FeedEntry

Priors = tuple[tuple[str, float], ...]
"""A source's section shares (``Source.section_priors``); empty when not estimated."""

__all__ = ["ExtractorPool", "extract_and_analyze", "worker_count"]

MAX_AUTO_WORKERS = 4  # beyond this the event loop, not extraction, is the bottleneck


def worker_count(setting: int) -> int:
    """``extract_workers`` → how many extractors: 0 means one per CPU core (at most 4)."""
    if setting < 0:
        raise ValueError(f"extract_workers must be 0 or more, not {setting}")
    return setting or min(os.cpu_count() or 1, MAX_AUTO_WORKERS)


def extract_and_analyze(
    html: str | None,
    url: str,
    entry: FeedEntry | None,
    reason: str = "",
    section_model: str = "",
    section_priors: Priors = (),
) -> AnalyzedArticle:
    """What one worker does for one page (a module-level function: it must pickle)."""
    if html is None:
        extracted = fallback_from_entry(entry, url, reason or "no page")
    else:
        extracted = extract_article(html, url, entry)
    return _analyze(extracted, entry, section_model, section_priors)


def _analyze(
    extracted: ExtractedArticle, entry: FeedEntry | None, section_model: str, priors: Priors
) -> AnalyzedArticle:
    shares = dict(priors) or None
    return analyze_article(extracted, entry, section_model=section_model, section_priors=shares)


class ExtractorPool:
    """Runs :func:`khabar.extract.extract_article` off the event loop."""

    def __init__(self, workers: int, section_model: str = "") -> None:
        self.workers = worker_count(workers)
        self.section_model = section_model
        self._executor: Executor | None = None

    def _get(self) -> Executor:
        if self._executor is None:
            if self.workers == 1:
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="khabar-extract")
            else:
                context = multiprocessing.get_context("spawn")
                self._executor = ProcessPoolExecutor(self.workers, mp_context=context)
        return self._executor

    async def extract(
        self,
        html: str | None,
        url: str,
        entry: FeedEntry | None,
        reason: str = "",
        section_priors: Priors = (),
    ) -> AnalyzedArticle:
        """Extract ``html`` (or keep the entry's text when it is None, for ``reason``), then
        analyze (with the source's ``section_priors``); both run in the worker, where the CPU
        is."""
        loop = asyncio.get_running_loop()
        executor = self._get()
        work = (html, url, entry, reason, self.section_model, section_priors)
        try:
            return await loop.run_in_executor(executor, extract_and_analyze, *work)
        except BrokenProcessPool:
            self._reset(executor)
            crashed = fallback_from_entry(entry, url, "the extraction worker crashed on this page")
            return _analyze(crashed, entry, self.section_model, section_priors)

    def _reset(self, broken: Executor) -> None:
        if self._executor is broken:
            self._executor = None
        broken.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
