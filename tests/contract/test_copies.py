"""The dedupe part of the storage contract: copy candidates, copy groups and their original."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from khabar.dedupe.link import article_fingerprint, link_copies
from khabar.errors import NotFoundError
from khabar.storage import ArticleFilter, StorageType
from khabar.types import Article, ArticleDraft, NewSource

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)
WEEK = timedelta(days=7)

# A real-looking wire story and an edited republication of it (different intro, same body).
WIRE = (
    "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في مدينة جدة بسعة خمسمائة سرير "
    "ويضم المستشفى أقساما للطوارئ والعناية المركزة وجراحة القلب والأورام ويخدم سكان "
    "المنطقة الغربية وقال الوزير إن المشروع يأتي ضمن خطة لتطوير الخدمات الصحية في المملكة "
    "وأضاف أن العمل جار على إنشاء ثلاثة مستشفيات أخرى في الرياض والدمام وأبها خلال العام المقبل"
)
EDITED = "في خبر سار لسكان جدة، " + WIRE + " بحسب البيان."
OTHER = (
    "تعادل فريق الهلال مع النصر في مباراة مثيرة على ملعب الملك فهد الدولي مساء أمس "
    "وسجل أهداف المباراة لاعبو الفريقين في الشوط الثاني أمام جمهور غفير ملأ المدرجات"
)


def _source(storage: StorageType, name: str) -> int:
    return storage.add_source(NewSource(url=f"https://{name}.example/feed", title=name)).id


def _store(
    storage: StorageType,
    source_id: int,
    key: str,
    text: str,
    hours: float,
    *,
    url: str | None = None,
    credited: str | None = None,
) -> Article:
    draft = ArticleDraft(
        source_id=source_id,
        key=key,
        url=url or f"https://s{source_id}.example/{key}",
        title=f"عنوان {key}",
        text=text,
        published=T0 + timedelta(hours=hours),
        fingerprint=article_fingerprint(text),
        credited=credited,
    )
    stored = storage.upsert_article(draft).article
    return link_copies(storage, stored.id, WEEK)


def test_a_new_text_leads_its_own_group(storage: StorageType) -> None:
    article = _store(storage, _source(storage, "okaz"), "a", WIRE, 0)
    assert article.group_id == article.id and article.copy_kind is None
    assert article.original_outlet is None and article.copies == 0


def test_a_republication_joins_the_earlier_copy_which_is_credited(storage: StorageType) -> None:
    first = _store(storage, _source(storage, "okaz"), "a", WIRE, 0)
    copy = _store(storage, _source(storage, "riyadh"), "b", EDITED, 2)
    assert copy.copy_kind == "republication" and copy.republication_of == first.id
    assert copy.group_id == first.id and copy.duplicate_of is None
    assert copy.original_outlet == "okaz" and copy.original_id == first.id
    leader = storage.get_article(first.id)
    assert leader.copies == 1 and leader.original_id == first.id
    assert [a.id for a in storage.copies_of(first.id)] == [copy.id]
    assert [a.id for a in storage.copies_of(copy.id)] == [first.id]


def test_lists_fold_copies_except_on_an_outlets_own_list(storage: StorageType) -> None:
    okaz, riyadh = _source(storage, "okaz"), _source(storage, "riyadh")
    first = _store(storage, okaz, "a", WIRE, 0)
    copy = _store(storage, riyadh, "b", EDITED, 2)
    other = _store(storage, riyadh, "c", OTHER, 3)
    folded = storage.list_articles(ArticleFilter())
    assert [a.id for a in folded] == [other.id, first.id]
    assert [a.copies for a in folded] == [0, 1]
    everything = storage.list_articles(ArticleFilter(fold_copies=False))
    assert {a.id for a in everything} == {first.id, copy.id, other.id}
    own = storage.list_articles(ArticleFilter(source_id=riyadh))
    assert [a.id for a in own] == [other.id, copy.id]


def test_an_earlier_copy_arriving_later_takes_the_lead(storage: StorageType) -> None:
    late = _store(storage, _source(storage, "okaz"), "a", EDITED, 5)
    early = _store(storage, _source(storage, "madina"), "b", WIRE, 1)
    assert early.group_id == early.id and early.copy_kind is None
    assert early.original_outlet == "madina" and early.original_id == early.id
    demoted = storage.get_article(late.id)
    assert demoted.group_id == early.id and demoted.copy_kind == "republication"
    assert demoted.copy_of == early.id and demoted.original_id == early.id
    assert [a.id for a in storage.list_articles(ArticleFilter())] == [early.id]


def test_a_credited_agency_we_do_not_follow_is_the_original(storage: StorageType) -> None:
    first = _store(storage, _source(storage, "okaz"), "a", WIRE, 0, credited="واس")
    copy = _store(storage, _source(storage, "riyadh"), "b", EDITED, 2)
    spa = "وكالة الأنباء السعودية"  # "واس" by its canonical name
    assert first.original_outlet == spa and first.original_id is None
    assert copy.original_outlet == spa and copy.original_id is None
    assert copy.group_id == first.id


def test_the_same_url_in_another_feed_is_a_duplicate(storage: StorageType) -> None:
    url = "https://okaz.example/news/1"
    first = _store(storage, _source(storage, "okaz"), "a", WIRE, 0, url=url)
    again = _store(
        storage, _source(storage, "okaz-sport"), "b", OTHER, 1, url=url + "?utm_source=rss"
    )
    assert again.copy_kind == "duplicate" and again.duplicate_of == first.id


def test_short_and_unrelated_texts_are_not_copies(storage: StorageType) -> None:
    okaz, riyadh = _source(storage, "okaz"), _source(storage, "riyadh")
    _store(storage, okaz, "a", WIRE, 0)
    assert _store(storage, riyadh, "b", OTHER, 1).copy_kind is None
    _store(storage, okaz, "c", "التفاصيل في الرابط", 2)
    assert _store(storage, riyadh, "d", "التفاصيل في الرابط", 3).copy_kind is None


def test_near_copies_outside_the_window_are_not_linked(storage: StorageType) -> None:
    _store(storage, _source(storage, "okaz"), "a", WIRE, 0)
    late = _store(storage, _source(storage, "riyadh"), "b", EDITED, 24 * 30)
    assert late.copy_kind is None and late.group_id == late.id


def test_deleting_the_leader_hands_the_group_on(storage: StorageType) -> None:
    okaz = _source(storage, "okaz")
    first = _store(storage, okaz, "a", WIRE, 0)
    second = _store(storage, _source(storage, "riyadh"), "b", EDITED, 2)
    third = _store(storage, _source(storage, "madina"), "c", EDITED + " انتهى", 3)
    storage.delete_source(okaz)
    leader = storage.get_article(second.id)
    assert leader.group_id == second.id and leader.copy_kind is None and leader.copies == 1
    assert storage.get_article(third.id).group_id == second.id
    assert leader.original_id is None and first.id not in {
        a.id for a in storage.copies_of(second.id)
    }


def test_unknown_articles_raise_not_found(storage: StorageType) -> None:
    with pytest.raises(NotFoundError):
        storage.copy_candidates(99, WEEK)
    with pytest.raises(NotFoundError):
        storage.copies_of(99)
