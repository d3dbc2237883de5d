"""The stories part of the storage contract: story records, states and membership."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from khabar.analyze.entities import Entity
from khabar.errors import NotFoundError
from khabar.storage import StorageType
from khabar.stories.cluster import Member, StoryState
from khabar.stories.vectors import TermVector
from khabar.types import ArticleDraft, NewSource

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
VECTOR = TermVector({11: 0.6, 42: 0.8})


def _article(storage: StorageType, source_id: int, key: str, hours: float, *named: Entity) -> int:
    draft = ArticleDraft(
        source_id=source_id,
        key=key,
        url=f"https://x.example/{key}",
        title=f"عنوان {key}",
        text="نص",
        published=T0 + timedelta(hours=hours),
        entities=named,
    )
    return storage.upsert_article(draft).article.id


def _state(story_id: int, members: list[tuple[int, float]], outlets: tuple[str, ...]) -> StoryState:
    kept = tuple(
        Member(str(a), T0 + timedelta(hours=h), f"عنوان {a}", outlets[0], VECTOR)
        for a, h in members
    )
    return StoryState(
        story_id=str(story_id),
        title=kept[0].title,
        title_article_id=kept[0].article_id,
        first_seen=kept[0].published,
        last_seen=kept[-1].published,
        size=len(kept),
        outlets=outlets,
        centroid=TermVector({11: 1.2, 42: 1.6}),
        members=kept,
    )


def test_a_story_keeps_its_record_state_and_articles(storage: StorageType) -> None:
    a = storage.add_source(NewSource(url="https://a.example/rss", title="أ")).id
    b = storage.add_source(NewSource(url="https://b.example/rss", title="ب")).id
    first, second = _article(storage, a, "1", 0), _article(storage, b, "2", 5)
    storage.save_story(_state(first, [(first, 0)], ("أ",)), first)
    state = _state(first, [(first, 0), (second, 5)], ("أ", "ب"))
    story = storage.save_story(state, second)
    assert story.id == first and story.size == 2 and story.outlets == ("أ", "ب")
    assert story.title == "عنوان " + str(first) and story.title_article_id == first
    assert story.first_seen == T0 and story.last_seen == T0 + timedelta(hours=5)
    assert storage.get_story(first) == story
    assert [x.id for x in storage.story_articles(first)] == [first, second]
    assert storage.get_article(second).story_id == first
    (resumed,) = storage.active_stories(T0)
    assert resumed.members[1].article_id == str(second) and resumed.size == 2
    assert dict(resumed.centroid.weights) == pytest.approx({11: 1.2, 42: 1.6})


def test_stories_list_newest_first_and_resume_by_time(storage: StorageType) -> None:
    s = storage.add_source(NewSource(url="https://a.example/rss", title="أ")).id
    old, new = _article(storage, s, "1", 0), _article(storage, s, "2", 100)
    storage.save_story(_state(old, [(old, 0)], ("أ",)), old)
    storage.save_story(_state(new, [(new, 100)], ("أ",)), new)
    assert [x.id for x in storage.list_stories()] == [new, old]
    assert [x.id for x in storage.list_stories(limit=1)] == [new]
    assert [x.id for x in storage.list_stories(since=T0 + timedelta(hours=50))] == [new]
    assert storage.list_stories(min_size=2) == []
    assert [x.story_id for x in storage.active_stories(T0 + timedelta(hours=50))] == [str(new)]


def test_missing_stories_and_articles_raise(storage: StorageType) -> None:
    with pytest.raises(NotFoundError):
        storage.get_story(5)
    with pytest.raises(NotFoundError):
        storage.save_story(_state(7, [(7, 0)], ("أ",)), 7)
    assert storage.story_articles(5) == []


def test_hidden_articles_leave_their_story_page(storage: StorageType) -> None:
    from khabar.rules.alerts import RuleHit
    from khabar.rules.model import Condition, RuleSpec

    a = storage.add_source(NewSource(url="https://a.example/rss", title="أ")).id
    first, second = _article(storage, a, "1", 0), _article(storage, a, "2", 5)
    storage.save_story(_state(first, [(first, 0)], ("أ",)), first)
    storage.save_story(_state(first, [(first, 0), (second, 5)], ("أ",)), second)
    hide = storage.rules.add_rule(RuleSpec("إخفاء", "hide", (Condition("keyword", ("x",)),)))
    storage.rules.record_hits(second, [RuleHit(hide.id, "hide", "x")])
    assert [x.id for x in storage.story_articles(first)] == [first]


GAZA = Entity("place", "غزة", "غزه", ("غزة",), 2)


def test_an_entitys_stories_are_those_its_recent_articles_belong_to(
    storage: StorageType,
) -> None:
    s = storage.add_source(NewSource(url="https://a.example/rss", title="أ")).id

    def article(key: str, hours: float, *named: Entity) -> int:
        return _article(storage, s, key, hours, *named)

    def story(*members: tuple[int, float]) -> int:
        for n in range(1, len(members) + 1):
            storage.save_story(_state(members[0][0], list(members[:n]), ("أ",)), members[n - 1][0])
        return members[0][0]

    a1, a2 = article("1", 0, GAZA), article("2", 5, GAZA)
    older = story((a1, 0), (a2, 5))
    single = story((article("3", 10, GAZA), 10))  # one article: not a story to show
    a4, a5 = article("4", 20), article("5", 30, GAZA)
    newer = story((a4, 20), (a5, 30))
    story((article("6", 40), 40), (article("7", 41), 41))  # never names غزة

    assert [x.id for x in storage.entity_stories("غزه")] == [newer, older]
    assert [x.id for x in storage.entity_stories("غزه", limit=1)] == [newer]
    assert [x.id for x in storage.entity_stories("غزه", scan=1)] == [newer]
    assert [x.id for x in storage.entity_stories("غزه", min_size=1)] == [newer, single, older]
    assert storage.entity_stories("لا احد") == []
