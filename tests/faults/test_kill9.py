"""``kill -9`` in the middle of ``khabar update``, again and again (issue 8, faults).

A real ``khabar update`` process fetches a real local site (feeds and article pages on
127.0.0.1) and is SIGKILLed at a seeded random moment after it first asks for a feed, 10
times for each search engine (FTS5 in the database, tantivy beside it): 20 kills. After every
kill the database must pass SQLite's integrity check and hold no duplicated, half-written or
dangling article, and the FTS5 index must agree with the articles; a last undisturbed update
must then store every page exactly once, each one found by Khabar's search.

The seed is printed in every failure message: ``KHABAR_TEST_KILL_SEED=<seed>`` replays it.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from pathlib import Path

import pytest
from tests.hostile.kit import RSS_HEADERS, hours_ago, rss, rss_item, text_for
from tests.support.httpserver import LocalServer, Reply

from khabar.storage.protocol import ArticleFilter
from khabar.storage.sqlite.storage import SqliteStorage
from khabar.types import NewSource

SOURCES = 3
ITEMS = 4  # articles per source at the start
GROWTH = 2  # articles each source publishes before every update: each run has work to do
KILLS = 10  # per search engine: 20 kills in all
ENGINES = ("fts5", "tantivy")
MAX_DELAY = 1.0  # seconds after the first feed request
HTML_HEADERS = {"Content-Type": "text/html; charset=utf-8"}


def _page(title: str, seed: str) -> bytes:
    paragraphs = "".join(f"<p>{escape(text_for(f'{seed}-{i}', 60))}</p>" for i in range(3))
    return (
        f'<!doctype html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body><article><h1>{escape(title)}</h1>"
        f"{paragraphs}</article></body></html>"
    ).encode()


class Site:
    """``SOURCES`` feeds with their article pages; :meth:`grow` publishes more articles."""

    def __init__(self, server: LocalServer) -> None:
        self.server = server
        self.count = 0

    @property
    def feeds(self) -> list[str]:
        return [self.server.url(f"/s{s}/feed.xml") for s in range(SOURCES)]

    @property
    def pages(self) -> set[str]:
        return {self._url(s, i) for s in range(SOURCES) for i in range(self.count)}

    def _url(self, source: int, item: int) -> str:
        return self.server.url(f"/s{source}/a{item}.html")

    def grow(self, items: int) -> None:
        for i in range(self.count, self.count + items):
            for s in range(SOURCES):
                path = f"/s{s}/a{i}.html"
                self.server.route(path, Reply(200, _page(_title(s, i), path), HTML_HEADERS))
        self.count += items
        for s in range(SOURCES):
            newest_first = [
                rss_item(
                    self.server.origin,
                    f"/s{s}/a{i}.html",
                    _title(s, i),
                    date=hours_ago((self.count - i) / 10),
                )
                for i in reversed(range(self.count))
            ]
            self.server.route(f"/s{s}/feed.xml", Reply(200, rss(newest_first), RSS_HEADERS))


def _title(source: int, item: int) -> str:
    return f"خبر المصدر {source} رقم {item}"


@dataclass
class Khabar:
    """Runs the ``khabar`` command on one database, with loopback allowed."""

    db: Path
    home: Path
    engine: str

    @property
    def env(self) -> dict[str, str]:
        keep = {k: v for k, v in os.environ.items() if not k.startswith("KHABAR_")}
        return {
            **keep,
            "KHABAR_DATABASE_URL": f"sqlite:///{self.db}",
            "KHABAR_SEARCH_ENGINE": self.engine,
            "KHABAR_ALLOW_HOSTS": "127.0.0.1",
            "KHABAR_PER_HOST_DELAY": "0",
            "KHABAR_PER_HOST_CONCURRENCY": "2",
            "KHABAR_EXTRACT_WORKERS": "1",
            "KHABAR_FETCH_DEADLINE": "10",
        }

    def command(self, *args: str) -> list[str]:
        return [str(Path(sys.executable).parent / "khabar"), *args]

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args),
            env=self.env,
            cwd=self.home,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def start_update(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            self.command("update"),
            env=self.env,
            cwd=self.home,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )


def _kill_after_first_feed(
    process: subprocess.Popen[bytes], server: LocalServer, delay: float
) -> bool:
    """SIGKILL ``process`` ``delay`` seconds after it first asks for a feed; False if it had
    already finished by then (a kill that came too late)."""
    asked = len(server.requests)
    deadline = time.monotonic() + 60
    while len(server.requests) == asked and process.poll() is None:
        if time.monotonic() > deadline:
            break
        time.sleep(0.005)
    time.sleep(delay)
    finished = process.poll() is not None
    if not finished:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    return not finished


@pytest.fixture
def site() -> Iterator[Site]:
    with LocalServer() as server:
        server.route("/robots.txt", Reply(200, "User-agent: *\nDisallow:\n"))
        yield Site(server)


def _seed() -> int:
    given = os.environ.get("KHABAR_TEST_KILL_SEED")
    return int(given) if given else random.SystemRandom().randrange(1_000_000)


@pytest.mark.parametrize("engine", ENGINES)
def test_kill_9_during_updates_loses_nothing_and_duplicates_nothing(
    site: Site, tmp_path: Path, engine: str
) -> None:
    khabar = Khabar(tmp_path / "khabar.db", tmp_path, engine)
    site.grow(ITEMS)
    storage = SqliteStorage(khabar.db, search_engine=engine)
    for feed in site.feeds:
        storage.add_source(NewSource(url=feed))
    storage.close()
    seed = _seed()
    rng = random.Random(seed)
    replay = f"(KHABAR_TEST_KILL_SEED={seed}, engine {engine})"
    killed, runs = 0, 0
    while killed < KILLS and runs < KILLS * 3:
        delay = rng.uniform(0.0, MAX_DELAY)
        runs += 1
        site.grow(GROWTH)
        if _kill_after_first_feed(khabar.start_update(), site.server, delay):
            killed += 1
            problems = check_database(khabar.db, complete=False, fts=engine == "fts5")
            assert not problems, f"after kill {killed} at +{delay:.2f} s {replay}: {problems}"
    assert killed >= KILLS, f"only {killed} of {runs} runs were killed mid-update {replay}"
    final = khabar.run("update")
    assert final.returncode == 0, f"{final.stderr} {replay}"
    problems = check_database(khabar.db, complete=True, fts=engine == "fts5")
    problems += search_problems(khabar.db, engine)
    assert not problems, f"after the final update {replay}: {problems}"
    urls = _stored_urls(khabar.db)
    assert sorted(urls) == sorted(site.pages), f"every page stored exactly once {replay}"


# --- what must hold after any kill ---------------------------------------------------------

CHECKS: dict[str, str] = {
    "duplicated article (source, key)": """
        SELECT source_id, key FROM articles GROUP BY source_id, key HAVING count(*) > 1""",
    "duplicated article (source, url)": """
        SELECT source_id, url FROM articles GROUP BY source_id, url HAVING count(*) > 1""",
    "article without title or text": """
        SELECT id FROM articles WHERE coalesce(title, '') = '' OR coalesce(text, '') = ''""",
    "copy group pointing nowhere": """
        SELECT id FROM articles a WHERE group_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM articles g WHERE g.id = a.group_id)""",
    "story pointing nowhere": """
        SELECT id FROM articles a WHERE story_id IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = a.story_id)""",
    "entity row of a missing article": """
        SELECT article_id FROM article_entities e
        WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = e.article_id)""",
    "keyword row of a missing article": """
        SELECT article_id FROM article_keywords k
        WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = k.article_id)""",
    "article without fingerprint (dedupe cannot see it)": """
        SELECT id FROM articles a
        WHERE NOT EXISTS (SELECT 1 FROM article_bands b WHERE b.article_id = a.id)""",
}
FTS_CHECKS: dict[str, str] = {
    "search row of a missing article": """
        SELECT rowid FROM article_terms t
        WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.id = t.rowid)""",
}
FTS_COMPLETE_CHECKS: dict[str, str] = {
    "article missing from the search index": """
        SELECT id FROM articles a
        WHERE NOT EXISTS (SELECT 1 FROM article_terms t WHERE t.rowid = a.id)""",
}
COMPLETE_CHECKS: dict[str, str] = {
    "article in no story": "SELECT id FROM articles WHERE story_id IS NULL",
    "article in no copy group": "SELECT id FROM articles WHERE group_id IS NULL",
}


def check_database(path: Path, *, complete: bool, fts: bool) -> list[str]:
    """Every broken promise found in the database at ``path`` (empty when all hold).
    ``complete``: the last update finished, so every article must be fully linked too;
    ``fts``: the search index is FTS5, inside the database."""
    conn = sqlite3.connect(path)
    try:
        problems = []
        integrity = conn.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            problems.append(f"integrity_check: {integrity[:5]}")
        if conn.execute("PRAGMA foreign_key_check").fetchall():
            problems.append("foreign_key_check failed")
        if fts:
            try:
                conn.execute("INSERT INTO article_terms(article_terms) VALUES ('integrity-check')")
            except sqlite3.DatabaseError as exc:
                problems.append(f"search index integrity-check: {exc}")
        checks = {
            **CHECKS,
            **(COMPLETE_CHECKS if complete else {}),
            **(FTS_CHECKS if fts else {}),
            **(FTS_COMPLETE_CHECKS if fts and complete else {}),
        }
        for what, sql in checks.items():
            rows = conn.execute(sql).fetchall()
            if rows:
                problems.append(f"{what}: {[tuple(r) for r in rows[:5]]}")
        return problems
    finally:
        conn.close()


def _stored_urls(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT url FROM articles")]
    finally:
        conn.close()


def search_problems(path: Path, engine: str) -> list[str]:
    """Through Khabar's own search (either engine): every article is found by its title,
    and nothing found is missing from the database."""
    storage = SqliteStorage(path, search_engine=engine)
    try:
        articles = {
            a.id: a.title
            for a in storage.list_articles(
                ArticleFilter(limit=10_000, fold_copies=False, include_hidden=True)
            )
        }
        problems = []
        for article_id, title in articles.items():
            hits = storage.search.search(f'"{title}"', limit=50).hits
            if article_id not in {h.article.id for h in hits}:
                problems.append(f"article {article_id} ({title}) not found by search")
            problems += [
                f"search found missing article {h.article.id}"
                for h in hits
                if h.article.id not in articles
            ]
        return problems[:10]
    finally:
        storage.close()
