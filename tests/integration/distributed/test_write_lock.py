"""The write stage shared by several workers, in one process: two SerializedWriters on two
connections to one database stand for two workers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from tests.support.events import FINAL, QUAKE_A, QUAKE_B, QUAKE_C

from khabar import writer as writer_module
from khabar.analyze.article import analyze_article
from khabar.distributed.schema import ensure_schema
from khabar.distributed.writelock import SerializedWriter
from khabar.settings import Settings
from khabar.storage.postgres.storage import PostgresStorage
from khabar.types import ExtractedArticle, FeedEntry, NewSource, Source
from khabar.writer import ArticleWriter

START = datetime(2024, 5, 6, 3, tzinfo=UTC)


@pytest.fixture
def stores(database_url: str) -> Iterator[tuple[PostgresStorage, PostgresStorage]]:
    one, two = PostgresStorage(database_url), PostgresStorage(database_url)
    ensure_schema(database_url)
    yield one, two
    one.close()
    two.close()


def outlet(storage: PostgresStorage, name: str) -> Source:
    found = storage.find_source(f"https://{name}.example/feed")
    return found or storage.add_source(
        NewSource(url=f"https://{name}.example/feed", title=name, kind="feed")
    )


def write(
    writer: SerializedWriter | ArticleWriter,
    source: Source,
    key: str,
    title: str,
    text: str,
    hours: float,
) -> int:
    entry = FeedEntry(
        url=f"https://{key}.example/news", title=title, published=START + timedelta(hours=hours)
    )
    extracted = ExtractedArticle(url=entry.url, title=title, paragraphs=(text,))
    outcome = writer.write(source, entry, analyze_article(extracted, entry))
    assert outcome.created
    return outcome.article.id


def test_a_writer_sees_the_stories_another_writer_started(
    stores: tuple[PostgresStorage, PostgresStorage],
) -> None:
    one, two = stores
    settings = Settings()
    first, second = SerializedWriter(one, settings), SerializedWriter(two, settings)
    write(second, outlet(two, "sky"), "s1", "نهائي دوري الأبطال", FINAL, 0)  # loads its stories
    quake = write(first, outlet(one, "arabiya"), "a1", "زلزال جنوب تركيا", QUAKE_A, 1)
    later = write(second, outlet(two, "bbc"), "b1", "زلزال في هاتاي", QUAKE_B, 2)

    assert two.get_article(later).story_id == quake  # joined the story the other one started
    assert second.stats.full_reloads == 1 and second.stats.refreshed == 1
    assert one.get_story(quake).size == 2


def test_a_write_outside_the_lock_makes_the_next_write_reload_every_story(
    stores: tuple[PostgresStorage, PostgresStorage],
) -> None:
    one, two = stores
    settings = Settings()
    shared = SerializedWriter(one, settings)
    quake = write(shared, outlet(one, "arabiya"), "a1", "زلزال جنوب تركيا", QUAKE_A, 0)
    plain = ArticleWriter(two, settings)  # e.g. `khabar import` run against the same database
    write(plain, outlet(two, "france24"), "f1", "ارتفاع ضحايا زلزال هاتاي", QUAKE_C, 1)
    later = write(shared, outlet(one, "bbc"), "b1", "زلزال في هاتاي", QUAKE_B, 2)

    assert shared.stats.full_reloads == 2
    assert one.get_story(quake).size == 3 and one.get_article(later).story_id == quake


def test_a_write_that_fails_midway_leaves_nothing_behind(
    stores: tuple[PostgresStorage, PostgresStorage], monkeypatch: pytest.MonkeyPatch
) -> None:
    one, _ = stores
    shared = SerializedWriter(one, Settings())
    write(shared, outlet(one, "sky"), "s1", "نهائي دوري الأبطال", FINAL, 0)

    def crash(*args: object) -> None:
        raise RuntimeError("the worker dies between storing and linking")

    monkeypatch.setattr(writer_module, "link_copies", crash)
    with pytest.raises(RuntimeError):
        write(shared, outlet(one, "arabiya"), "a1", "زلزال جنوب تركيا", QUAKE_A, 1)
    assert one.count_articles() == 1  # the stored row went with the rolled-back transaction
    monkeypatch.undo()
    quake = write(shared, outlet(one, "arabiya"), "a1", "زلزال جنوب تركيا", QUAKE_A, 1)
    assert one.get_article(quake).story_id == quake and shared.stats.full_reloads == 2
