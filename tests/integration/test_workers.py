"""Extraction off the event loop: a thread, or worker processes that may die."""

from __future__ import annotations

import asyncio
import os
import signal
from concurrent.futures import ProcessPoolExecutor

import pytest

from khabar.analyze.section_keys import SECTIONS
from khabar.types import FeedEntry
from khabar.workers import ExtractorPool, worker_count

PAGE = (
    "<html lang='ar'><head><title>عنوان</title></head><body><article><h1>عنوان</h1>"
    + "".join(
        f"<p>هذه فقرة رقم {i} من مقال تجريبي طويل بما يكفي ليعتبره المستخرج نصاً حقيقياً "
        "وليس قائمة روابط أو تذييلاً للصفحة.</p>"
        for i in range(6)
    )
    + "</article></body></html>"
)
ENTRY = FeedEntry(url="https://example.com/a", title="عنوان", summary="ملخص المقال")


def test_worker_count() -> None:
    assert worker_count(3) == 3
    assert 1 <= worker_count(0) <= 4
    with pytest.raises(ValueError, match="0 or more"):
        worker_count(-1)


@pytest.mark.parametrize("workers", [1, 2])
def test_pool_extracts(workers: int) -> None:
    pool = ExtractorPool(workers)
    try:
        analyzed = asyncio.run(pool.extract(PAGE, ENTRY.url, ENTRY))
        kept = asyncio.run(pool.extract(None, ENTRY.url, ENTRY, "page not fetched: HTTP 404"))
    finally:
        pool.close()
    article = analyzed.extracted
    assert article.error is None
    assert analyzed.section in SECTIONS and analyzed.section_decided_by
    assert kept.extracted.error == "page not fetched: HTTP 404"
    assert kept.extracted.paragraphs == ("ملخص المقال",)
    assert article.paragraphs[0].startswith("هذه فقرة رقم 0")
    assert article.language == "ar"


def test_a_dead_worker_costs_one_page_only() -> None:
    pool = ExtractorPool(2)

    async def scenario() -> tuple[str | None, str | None]:
        await pool.extract(PAGE, ENTRY.url, ENTRY)  # start the workers
        executor = pool._executor
        assert isinstance(executor, ProcessPoolExecutor)
        for process in list(executor._processes.values()):  # type: ignore[attr-defined]
            os.kill(process.pid, signal.SIGKILL)
        crashed = await pool.extract(PAGE, ENTRY.url, ENTRY)
        recovered = await pool.extract(PAGE, ENTRY.url, ENTRY)
        return crashed.extracted.error, recovered.extracted.error

    try:
        crashed, recovered = asyncio.run(scenario())
    finally:
        pool.close()
    assert crashed is not None and "crashed" in crashed
    assert recovered is None
