"""The related-articles part of the storage contract."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from tests.support.events import FINAL, QUAKE_A, QUAKE_B, QUAKE_C

from khabar.dedupe.link import article_fingerprint, link_copies
from khabar.errors import NotFoundError
from khabar.storage import StorageType
from khabar.stories.link import story_vector
from khabar.stories.related import features_of
from khabar.types import ArticleDraft, NewSource

T0 = datetime(2024, 5, 6, 3, 0, tzinfo=UTC)


def _store(storage: StorageType, source: int, key: str, title: str, text: str, hours: int) -> int:
    draft = ArticleDraft(
        source_id=source,
        key=key,
        url=f"https://{key}.example/news",
        title=title,
        text=text,
        published=T0 + timedelta(hours=hours),
        fingerprint=article_fingerprint(text),
        features=features_of(story_vector(title, text)),
    )
    article_id = storage.upsert_article(draft).article.id
    return link_copies(storage, article_id, timedelta(days=7)).id


def test_related_articles_share_the_subject_but_are_not_copies(storage: StorageType) -> None:
    a = storage.add_source(NewSource(url="https://a.example/rss", title="أ")).id
    b = storage.add_source(NewSource(url="https://b.example/rss", title="ب")).id
    quake = _store(storage, a, "q1", "زلزال يضرب جنوب تركيا", QUAKE_A, 0)
    other = _store(storage, b, "q2", "زلزال في هاتاي التركية", QUAKE_B, 1)
    later = _store(storage, a, "q3", "ارتفاع ضحايا زلزال هاتاي", QUAKE_C, 20)
    final = _store(storage, b, "f1", "ريال مدريد بطلا لأوروبا", FINAL, 2)
    copy = _store(storage, b, "q4", "زلزال جنوب تركيا", QUAKE_A + " انتهى.", 3)
    assert storage.get_article(copy).group_id == quake  # a copy, so never "related"
    related = [x.id for x in storage.related_articles(quake)]
    assert set(related) == {other, later}
    assert final not in related and copy not in related
    assert [x.id for x in storage.related_articles(quake, limit=1)] == related[:1]
    assert quake not in [x.id for x in storage.related_articles(copy)]  # its own group
    assert [x.id for x in storage.related_articles(final)] == []


def test_related_articles_of_a_missing_article_raise(storage: StorageType) -> None:
    with pytest.raises(NotFoundError):
        storage.related_articles(12345)


def test_hidden_articles_are_not_related_not_listed_by_entity_nor_in_stories(
    storage: StorageType,
) -> None:
    from tests.support.events import QUAKE_A as TEXT

    from khabar.analyze.entities import Entity
    from khabar.rules.alerts import RuleHit
    from khabar.rules.model import Condition, RuleSpec

    a = storage.add_source(NewSource(url="https://a.example/rss", title="أ")).id
    b = storage.add_source(NewSource(url="https://b.example/rss", title="ب")).id
    quake = _store(storage, a, "q1", "زلزال يضرب جنوب تركيا", QUAKE_A, 0)
    other = _store(storage, b, "q2", "زلزال في هاتاي التركية", QUAKE_B, 1)
    hide = storage.rules.add_rule(RuleSpec("إخفاء", "hide", (Condition("keyword", ("هاتاي",)),)))
    assert [x.id for x in storage.related_articles(quake)] == [other]
    storage.rules.record_hits(other, [RuleHit(hide.id, "hide", "x")])
    assert storage.related_articles(quake) == []
    turkey = Entity("place", "تركيا", "تركيا", ("تركيا",), 1)
    for n, hidden in enumerate((False, True)):
        draft = ArticleDraft(
            source_id=a,
            key=f"e{n}",
            url=f"https://e{n}.example/",
            title=f"تركيا {n}",
            text=TEXT,
            published=T0 + timedelta(hours=n),
            entities=(turkey,),
        )
        stored = storage.upsert_article(draft).article.id
        if hidden:
            storage.rules.record_hits(stored, [RuleHit(hide.id, "hide", "x")])
        else:
            shown = stored
    assert [x.id for x in storage.entity_articles("تركيا")] == [shown]
