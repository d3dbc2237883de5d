"""The tags part of the storage contract: articles by outlet tag, and tagged articles per day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from khabar.rules import Condition, RuleHit, RuleSpec
from khabar.storage import StorageType
from khabar.types import ArticleDraft, NewSource

T0 = datetime(2024, 5, 6, 12, 0, tzinfo=UTC)
GAZA, ECONOMY = "غزة", "اقتصاد"


def _store(
    storage: StorageType, source: int, key: str, hours: float, *tags: str, **kw: object
) -> int:
    draft = ArticleDraft(
        source_id=source,
        key=key,
        url=f"https://{key}.example/",
        title=f"عنوان {key}",
        published=T0 + timedelta(hours=hours),
        categories=tags,
        **({"text": f"نص {key}"} | kw),
    )  # type: ignore[arg-type]
    return storage.upsert_article(draft).article.id


def _source(storage: StorageType, name: str = "أ") -> int:
    return storage.add_source(NewSource(url=f"https://{name}.example/rss", title=name)).id


def test_tag_articles_newest_first_with_a_cursor(storage: StorageType) -> None:
    s = _source(storage)
    tagged = [_store(storage, s, f"k{n}", n * 24, GAZA, ECONOMY) for n in range(3)]
    _store(storage, s, "other", 10, ECONOMY)
    _store(storage, s, "untagged", 11)
    _store(storage, s, "near", 12, "غزة اليوم", "غزه")  # other tags, not this one
    assert [a.id for a in storage.tag_articles(GAZA)] == tagged[::-1]
    page = storage.tag_articles(GAZA, limit=2)
    assert [a.id for a in page] == tagged[:0:-1]
    rest = storage.tag_articles(GAZA, before=(page[-1].sort_time, page[-1].id))
    assert [a.id for a in rest] == [tagged[0]]
    assert page[0].categories == (GAZA, ECONOMY)
    assert len(storage.tag_articles(ECONOMY)) == 4
    assert storage.tag_articles("لا يوجد") == []
    assert storage.tag_days("لا يوجد", T0) == []


def test_tag_days_count_per_utc_day(storage: StorageType) -> None:
    s = _source(storage)
    for n, hours in enumerate((0, 1, 11.9, 24, 72)):
        _store(storage, s, f"k{n}", hours, GAZA)
    _store(storage, s, "other", 2, ECONOMY)
    assert storage.tag_days(GAZA, T0) == [
        (date(2024, 5, 6), 3),
        (date(2024, 5, 7), 1),
        (date(2024, 5, 9), 1),
    ]
    assert storage.tag_days(GAZA, T0 + timedelta(days=1)) == [
        (date(2024, 5, 7), 1),
        (date(2024, 5, 9), 1),
    ]


def test_tag_articles_leave_out_hidden_articles(storage: StorageType) -> None:
    s = _source(storage)
    hidden = _store(storage, s, "hidden", 0, GAZA)
    shown = _store(storage, s, "shown", 1, GAZA)
    rule = storage.rules.add_rule(RuleSpec("إخفاء", "hide", (Condition("keyword", ("نص",)),)))
    storage.rules.record_hits(hidden, [RuleHit(rule.id, "hide", "نص")])
    assert [a.id for a in storage.tag_articles(GAZA)] == [shown]
    assert storage.tag_days(GAZA, T0) == [(date(2024, 5, 6), 1)]


def test_tag_articles_fold_copies(storage: StorageType) -> None:
    from tests.support.events import QUAKE_A

    from khabar.dedupe.link import article_fingerprint, link_copies

    a, b = _source(storage, "a"), _source(storage, "b")
    fp = article_fingerprint(QUAKE_A)
    first = _store(storage, a, "x", 0, GAZA, fingerprint=fp, text=QUAKE_A)
    copy = _store(storage, b, "y", 1, GAZA, fingerprint=fp, text=QUAKE_A)
    link_copies(storage, first, timedelta(days=7))
    assert link_copies(storage, copy, timedelta(days=7)).group_id == first
    found = storage.tag_articles(GAZA)
    assert [x.id for x in found] == [first] and found[0].copies == 1
    assert storage.tag_days(GAZA, T0) == [(date(2024, 5, 6), 2)]


def test_tags_follow_edits_and_deletions(storage: StorageType) -> None:
    s = _source(storage)
    first = _store(storage, s, "edited", 0, GAZA)
    kept = _store(storage, s, "kept", 1, GAZA)
    _store(storage, s, "edited", 0, ECONOMY, text="نص معدل")  # the outlet retagged it
    assert [a.id for a in storage.tag_articles(GAZA)] == [kept]
    assert [a.id for a in storage.tag_articles(ECONOMY)] == [first]
    assert storage.tag_days(ECONOMY, T0 - timedelta(days=1)) == [(T0.date(), 1)]
    storage.delete_source(s)
    assert storage.tag_articles(GAZA) == [] and storage.tag_articles(ECONOMY) == []
