"""``khabar migrate-db``: a real SQLite installation (copies, stories) moved into PostgreSQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from tests.integration.cli.helpers import khabar
from tests.support.events import FINAL, QUAKE_A, QUAKE_B, QUAKE_C, write_records
from tests.support.postgres import PostgresCluster

from khabar.errors import InvalidInputError
from khabar.migrate_db import migrate_db
from khabar.service import Khabar
from khabar.settings import Settings
from khabar.storage import ArticleFilter, StorageType, open_storage
from khabar.types import ArticleDraft, NewSource, PageLink

ROWS = [
    ("العربية", "a1", "زلزال بقوة ست درجات يضرب جنوب تركيا", QUAKE_A, "2024-05-06T03:00Z"),
    ("سكاي نيوز", "s1", "نهائي دوري الأبطال: ريال مدريد بطلا", FINAL, "2024-05-06T04:00Z"),
    ("بي بي سي", "b1", "زلزال في هاتاي التركية وانهيار مبان", QUAKE_B, "2024-05-06T05:00Z"),
    ("فرانس 24", "f1", "ارتفاع ضحايا زلزال هاتاي", QUAKE_C, "2024-05-07T09:00Z"),
    ("سي إن إن", "c1", "زلزال جنوب تركيا", QUAKE_A + " انتهى.", "2024-05-07T10:00Z"),
]


@pytest.fixture
def installation(tmp_path: Path) -> str:
    """A SQLite file with five articles: one republication, two stories."""
    url = f"sqlite:///{tmp_path / 'khabar.db'}"
    with Khabar(Settings(database_url=url, extract_workers=1)) as service:
        assert service.import_jsonl(write_records(tmp_path / "a.jsonl", ROWS)).added == 5
    return url


def everything(storage: StorageType) -> tuple[object, ...]:
    """What a reader can see of an installation, by id."""
    articles = storage.list_articles(ArticleFilter(limit=100, fold_copies=False))
    stories = storage.list_stories(limit=100)
    return (
        storage.list_sources(),
        articles,
        stories,
        [storage.story_articles(s.id) for s in stories],
        [storage.copies_of(a.id) for a in articles],
        [storage.article_entities(a.id) for a in articles],
        [storage.article_keywords(a.id) for a in articles],
        [storage.related_articles(a.id) for a in articles],
        storage.active_stories(stories[-1].first_seen),
    )


def test_an_installation_moves_with_its_ids_copies_and_stories(
    installation: str, cluster: PostgresCluster, tmp_path: Path
) -> None:
    target = cluster.create_database("khabar_moved")
    result = khabar("migrate-db", "--from", installation, "--to", target, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "copied sources 5, articles 5," in result.stdout and "stories 2" in result.stdout

    before, after = open_storage(installation), open_storage(target)
    try:
        assert everything(after) == everything(before)
        republished = next(
            a for a in after.list_articles(ArticleFilter(fold_copies=False)) if a.copy_kind
        )
        assert republished.copy_kind == "republication" and republished.story_id is not None
        assert after.search.search("زلزال").total == before.search.search("زلزال").total == 3
        new = after.add_source(NewSource(url="https://new.example/feed", kind="feed"))
        assert new.id == 6  # ids go on after the highest one copied
    finally:
        before.close()
        after.close()


def test_page_links_move_and_still_find_our_copies(
    cluster: PostgresCluster, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'links.db'}"
    store = open_storage(url)
    try:
        source = store.add_source(NewSource(url="https://a.example/rss", title="أ")).id
        held = store.upsert_article(_draft(source, "1", ())).article.id
        links = (
            PageLink("read_also", "نملكه", "https://a.example/1?utm_source=x"),
            PageLink("related", "لا نملكه", "https://b.example/2"),
        )
        article = store.upsert_article(_draft(source, "2", links)).article.id
        before = store.article_links(article)
    finally:
        store.close()
    assert [x.article_id for x in before] == [held, None]
    moved = cluster.create_database("khabar_links")
    assert migrate_db(url, moved).copied["article_links"] == 2
    after = open_storage(moved)
    try:
        assert after.article_links(article) == before
    finally:
        after.close()


def _draft(source: int, n: str, links: tuple[PageLink, ...]) -> ArticleDraft:
    return ArticleDraft(
        source_id=source, key=n, url=f"https://a.example/{n}", title=f"عنوان {n}",
        text=f"نص {n}", links=links,
    )  # fmt: skip


def test_a_target_that_holds_data_is_refused_unless_forced(
    installation: str, cluster: PostgresCluster, tmp_path: Path
) -> None:
    target = cluster.create_database("khabar_busy")
    store = open_storage(target)
    store.add_source(NewSource(url="https://kept.example/feed", kind="feed"))
    store.close()

    refused = khabar("migrate-db", "--from", installation, "--to", target, cwd=tmp_path)
    assert refused.returncode == 1 and "--force" in refused.stderr and "sources 1" in refused.stderr
    forced = khabar("migrate-db", "--from", installation, "--to", target, "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    store = open_storage(target)
    try:
        assert [s.id for s in store.list_sources()] == [1, 2, 3, 4, 5]
        assert store.find_source("https://kept.example/feed") is None
    finally:
        store.close()


def test_a_copy_that_fails_keeps_nothing(
    installation: str, cluster: PostgresCluster, tmp_path: Path
) -> None:
    path = installation.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:  # a band row of an article that does not exist
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("INSERT INTO article_bands (band, article_id) VALUES (1, 999)")
    target = cluster.create_database("khabar_failed")
    result = khabar("migrate-db", "--from", installation, "--to", target, cwd=tmp_path)
    assert result.returncode == 1 and "nothing was kept" in result.stderr
    store = open_storage(target)
    try:
        assert store.list_sources() == [] and store.count_articles() == 0
    finally:
        store.close()


def test_a_missing_sqlite_file_is_refused_and_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    with pytest.raises(InvalidInputError, match="no SQLite database"):
        migrate_db(f"sqlite:///{missing}", "postgresql://khabar@127.0.0.1:1/none")
    assert not missing.exists()
