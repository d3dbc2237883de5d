"""The entities-and-keywords part of the storage contract."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from khabar.analyze.entities import Entity
from khabar.analyze.keywords import Keyword
from khabar.errors import NotFoundError
from khabar.storage import StorageType
from khabar.types import ArticleDraft, NewSource

T0 = datetime(2024, 5, 6, 12, 0, tzinfo=UTC)
GAZA = Entity("place", "غزة", "غزه", ("غزة", "غزه"), 3)
UN = Entity("organization", "الأمم المتحدة", "الامم المتحده", ("الأمم المتحدة",), 1)
TRUMP = Entity("person", "دونالد ترامب", "دونالد ترامب", ("دونالد ترامب", "ترمب"), 2)


def _store(
    storage: StorageType, source: int, key: str, hours: float, *entities: Entity, **kw: object
) -> int:
    draft = ArticleDraft(
        source_id=source,
        key=key,
        url=f"https://{key}.example/",
        title=f"عنوان {key}",
        published=T0 + timedelta(hours=hours),
        entities=entities,
        keywords=(Keyword("وقف إطلاق النار", "وقف اطلاق نار", 2.5), Keyword("غزة", "غزه", 1.0)),
        **({"text": "نص"} | kw),
    )  # type: ignore[arg-type]
    return storage.upsert_article(draft).article.id


def test_an_articles_entities_and_keywords(storage: StorageType) -> None:
    s = storage.add_source(NewSource(url="https://a.example/rss", title="أ")).id
    first = _store(storage, s, "a", 0, GAZA, TRUMP, UN)
    mentions = storage.article_entities(first)
    assert [(m.key, m.type, m.name, m.count) for m in mentions] == [
        ("غزه", "place", "غزة", 3),
        ("دونالد ترامب", "person", "دونالد ترامب", 2),
        ("الامم المتحده", "organization", "الأمم المتحدة", 1),
    ]
    assert storage.article_keywords(first) == ["وقف إطلاق النار", "غزة"]
    _store(storage, s, "a", 0, UN, text="نص معدل")  # the article rewritten: rows replaced
    assert [m.key for m in storage.article_entities(first)] == ["الامم المتحده"]


def test_entities_merge_across_articles_by_key(storage: StorageType) -> None:
    s = storage.add_source(NewSource(url="https://a.example/rss", title="أ")).id
    ids = [_store(storage, s, f"k{n}", n * 24, GAZA) for n in range(3)]
    other = Entity("place", "غزه", "غزه", ("غزه",), 1)  # another spelling, same key
    ids.append(_store(storage, s, "k3", 3 * 24 + 1, other, TRUMP))
    info = storage.get_entity("غزه")
    assert (info.name, info.type, info.articles) == ("غزة", "place", 4)
    assert info.first_seen == T0 and info.last_seen == T0 + timedelta(hours=73)
    assert [a.id for a in storage.entity_articles("غزه")] == ids[::-1]
    page = storage.entity_articles("غزه", limit=2)
    rest = storage.entity_articles("غزه", before=(page[-1].sort_time, page[-1].id))
    assert [a.id for a in page + rest] == ids[::-1]
    days = storage.entity_days("غزه", T0 + timedelta(days=1))
    assert days == [(date(2024, 5, 7), 1), (date(2024, 5, 8), 1), (date(2024, 5, 9), 1)]
    with pytest.raises(NotFoundError):
        storage.get_entity("لا يوجد")


def test_entity_counts_split_recent_from_before(storage: StorageType) -> None:
    s = storage.add_source(NewSource(url="https://a.example/rss", title="أ")).id
    for n in range(3):
        _store(storage, s, f"old{n}", n, GAZA)
    for n in range(2):
        _store(storage, s, f"new{n}", 100 + n, GAZA, TRUMP)
    _store(storage, s, "newest", 102, UN)
    split = T0 + timedelta(hours=99)
    counts = {c.key: (c.recent, c.before) for c in storage.entity_counts(split, T0, 1)}
    assert counts == {"غزه": (2, 3), "دونالد ترامب": (2, 0), "الامم المتحده": (1, 0)}
    assert {c.key for c in storage.entity_counts(split, T0, 2)} == {"غزه", "دونالد ترامب"}
    late = {c.key for c in storage.entity_counts(split, T0 + timedelta(hours=50), 1)}
    assert "غزه" in late


def test_entity_articles_fold_copies(storage: StorageType) -> None:
    from tests.support.events import QUAKE_A

    from khabar.dedupe.link import article_fingerprint, link_copies

    a = storage.add_source(NewSource(url="https://a.example/rss", title="أ")).id
    b = storage.add_source(NewSource(url="https://b.example/rss", title="ب")).id
    fp = article_fingerprint(QUAKE_A)
    first = _store(storage, a, "x", 0, GAZA, fingerprint=fp, text=QUAKE_A)
    copy = _store(storage, b, "y", 1, GAZA, fingerprint=fp, text=QUAKE_A)
    link_copies(storage, first, timedelta(days=7))
    assert link_copies(storage, copy, timedelta(days=7)).group_id == first
    assert [x.id for x in storage.entity_articles("غزه")] == [first]
