"""What every hostile-source test needs: feeds with distinct texts, settings, and the scenario.

The scenario (:func:`run_hostile`) is the issue's promise, checked the same way for each case:

1. a *victim* source is healthy and its articles are stored;
2. the victim turns hostile while a *bystander* source is updated in the same round;
3. the bystander's articles arrive, the victim's stored articles are all still there, and the
   victim's outcome is a clear recorded error (``source.last_error`` names it) or a safe result;
4. the victim heals and the next round stores its new article (nothing is stuck).
"""

from __future__ import annotations

import asyncio
import os
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from pathlib import Path

from tests.support.httpserver import LocalServer, Reply
from tests.support.texts import distinct_paragraph

from khabar.service import Khabar
from khabar.settings import Settings
from khabar.types import Article, NewSource, Source, SourceUpdateResult

RSS_HEADERS = {"Content-Type": "application/rss+xml; charset=utf-8"}
HTML_HEADERS = {"Content-Type": "text/html; charset=utf-8"}


def text_for(seed: str, words: int = 40) -> str:
    """An Arabic text of ``words`` words, different for every seed (so dedupe never folds two
    test articles together)."""
    return distinct_paragraph(seed, words)


def rss_item(
    base: str,
    path: str,
    title: str,
    *,
    guid: str | None = None,
    summary: str | None = None,
    date: str | None = None,
) -> str:
    guid_xml = "" if guid == "" else f"<guid>{escape(guid or base + path)}</guid>"
    date_xml = f"<pubDate>{escape(date)}</pubDate>" if date is not None else ""
    return (
        f"<item><title>{escape(title)}</title><link>{base}{path}</link>{guid_xml}"
        f"<description>{escape(summary or text_for(path))}</description>{date_xml}</item>"
    )


def rss(items: list[str], title: str = "خلاصة اختبار") -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>http://example.invalid/</link>"
        f"{''.join(items)}</channel></rss>"
    ).encode()


def hours_ago(hours: float) -> str:
    return format_datetime(datetime.now(UTC) - timedelta(hours=hours))


def good_feed(server: LocalServer, name: str, count: int = 2) -> bytes:
    """A healthy feed of ``count`` items under ``/<name>/``."""
    items = [
        rss_item(server.origin, f"/{name}/a{i}.html", f"خبر {name} {i}", date=hours_ago(i + 1))
        for i in range(count)
    ]
    return rss(items)


def settings_for(tmp_path: Path, **changes: object) -> Settings:
    """Loopback allowed, no politeness delay, short timeouts, a 1 MB cap, feed text only."""
    base = Settings(
        database_url=f"sqlite:///{tmp_path / 'khabar.db'}",
        allow_hosts=("127.0.0.1",),
        per_host_delay=0.0,
        per_host_concurrency=4,
        connect_timeout=2.0,
        read_timeout=2.0,
        fetch_deadline=4.0,
        max_body_bytes=1_000_000,
        fetch_pages=False,
        extract_workers=1,
    )
    return base.replace(**changes)


def follow(service: Khabar, url: str) -> int:
    return service.storage.add_source(NewSource(url=url)).id


def update(service: Khabar) -> dict[int, SourceUpdateResult]:
    return {r.source_id: r for r in asyncio.run(service.update())}


def stored(service: Khabar, source_id: int) -> list[Article]:
    return service.articles(source_id=source_id, limit=1000)


@dataclass
class Outcome:
    """What the hostile round did to the victim (and what it did not do to the rest)."""

    result: SourceUpdateResult
    source: Source
    articles: list[Article]
    service: Khabar
    peak_bytes: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def error(self) -> str:
        return self.source.last_error or ""


def run_hostile(
    server: LocalServer,
    tmp_path: Path,
    make_hostile: Callable[[LocalServer], None],
    *,
    victim_url: str | None = None,
    origin: str | None = None,
    settings: Settings | None = None,
    check: Callable[[Outcome], None],
    measure_memory: bool = False,
    heal: Callable[[bytes], None] | None = None,
) -> Outcome:
    """Run the four-step scenario of the module docstring around ``make_hostile``.

    ``make_hostile`` re-routes ``/victim/feed.xml`` (or whatever ``victim_url`` serves);
    ``check`` asserts the victim's outcome of the hostile round; ``heal`` serves the given
    healthy feed at ``victim_url`` again (default: the ``/victim/feed.xml`` route);
    ``origin`` is where the bystander is fetched from (default: ``server.origin``).
    """
    server.route("/victim/feed.xml", Reply(200, good_feed(server, "victim"), RSS_HEADERS))
    server.route("/bystander/feed.xml", Reply(200, good_feed(server, "bystander"), RSS_HEADERS))
    with Khabar(settings or settings_for(tmp_path)) as service:
        victim = follow(service, victim_url or server.url("/victim/feed.xml"))
        first = update(service)[victim]
        assert (first.status, first.new) == ("new", 2), first
        before = {a.id: a.title for a in stored(service, victim)}

        make_hostile(server)
        bystander = follow(service, (origin or server.origin) + "/bystander/feed.xml")
        with _watch(measure_memory) as watch:
            results = update(service)
        assert results[bystander].new == 2, ("the bystander must still update", results[bystander])
        after = {a.id: a.title for a in stored(service, victim)}
        assert before.items() <= after.items(), "stored articles of the victim were lost"
        outcome = Outcome(
            results[victim],
            service.source(victim),
            stored(service, victim),
            service,
            peak_bytes=watch.peak,
            seconds=watch.seconds,
        )
        check(outcome)

        healed = [
            rss_item(server.origin, "/victim/healed.html", "خبر بعد الشفاء", date=hours_ago(0)),
            *(rss_item(server.origin, f"/victim/a{i}.html", f"خبر victim {i}") for i in range(2)),
        ]
        if heal is None:
            server.route("/victim/feed.xml", Reply(200, rss(healed), RSS_HEADERS))
        else:
            heal(rss(healed))
        last = update(service)[victim]
        assert last.status in ("new", "unchanged") and last.error is None, last
        assert service.source(victim).error_count == 0
        titles = {a.title for a in stored(service, victim)}
        assert "خبر بعد الشفاء" in titles, "the next update must finish the work"
        return outcome


@dataclass
class _Watch:
    peak: int = 0
    seconds: float = 0.0


@contextmanager
def _watch(memory: bool) -> Iterator[_Watch]:
    """Peak traced Python memory above the starting level (when asked) and wall time."""
    import time

    watch = _Watch()
    started = time.monotonic()
    if memory:
        tracemalloc.start()
        baseline = tracemalloc.get_traced_memory()[0]
    try:
        yield watch
    finally:
        if memory:
            watch.peak = tracemalloc.get_traced_memory()[1] - baseline
            tracemalloc.stop()
        watch.seconds = time.monotonic() - started


@contextmanager
def traced_peak() -> Iterator[_Watch]:
    """Peak traced Python memory of a block, above its starting level."""
    with _watch(True) as watch:
        yield watch


def expect_error(*fragments: str, names: str = "/victim/") -> Callable[[Outcome], None]:
    """A check: the victim failed, and its recorded error has every fragment (any case)."""

    def check(outcome: Outcome) -> None:
        assert outcome.result.status == "failed", outcome.result
        error = outcome.error.lower()
        for fragment in fragments:
            assert fragment.lower() in error, (fragment, outcome.error)
        assert names in outcome.error, ("the error names the source", outcome.error)
        assert outcome.source.error_count == 1

    return check


@contextmanager
def rss_growth(every: float = 0.01) -> Iterator[_Watch]:
    """Peak growth of the process's resident memory during a block, sampled every ``every`` s.

    Coarser than tracemalloc (the allocator may reuse freed pages, so it can read low) but
    free of its slowdown; for blocks too slow to trace.
    """
    import threading
    import time

    page = os.sysconf("SC_PAGE_SIZE")

    def resident() -> int:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * page

    watch = _Watch()
    baseline = resident()
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            watch.peak = max(watch.peak, resident() - baseline)
            done.wait(every)

    sampler = threading.Thread(target=sample, daemon=True)
    started = time.monotonic()
    sampler.start()
    try:
        yield watch
    finally:
        done.set()
        sampler.join()
        watch.seconds = time.monotonic() - started
