"""The storage contract (see khabar.storage.protocol), run against every backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from khabar.errors import NotFoundError, SourceExistsError
from khabar.storage import ArticleFilter, StorageType
from khabar.types import ArticleDraft, NewSource, SourceFetchState

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def draft(
    source_id: int, key: str, title: str = "عنوان", text: str = "نص المقال", **kw: object
) -> ArticleDraft:
    return ArticleDraft(
        source_id=source_id, key=key, url=f"https://example.com/{key}", title=title, text=text, **kw
    )  # type: ignore[arg-type]


def test_add_and_get_source(storage: StorageType) -> None:
    s = storage.add_source(NewSource(url="https://example.com/feed", title="مثال", country="eg"))
    assert storage.get_source(s.id) == s
    assert s.title == "مثال" and s.country == "eg" and s.article_count == 0
    assert storage.find_source("https://example.com/feed") == s
    assert storage.find_source("https://nowhere.example/feed") is None


def test_duplicate_source_is_refused(storage: StorageType) -> None:
    storage.add_source(NewSource(url="https://example.com/feed"))
    with pytest.raises(SourceExistsError, match=r"example\.com/feed"):
        storage.add_source(NewSource(url="https://example.com/feed"))


def test_missing_records_raise_not_found(storage: StorageType) -> None:
    with pytest.raises(NotFoundError, match="42"):
        storage.get_source(42)
    with pytest.raises(NotFoundError, match="7"):
        storage.get_article(7)
    with pytest.raises(NotFoundError):
        storage.delete_source(9)


def test_upsert_is_idempotent(storage: StorageType) -> None:
    s = storage.add_source(NewSource(url="https://example.com/feed"))
    first = storage.upsert_article(draft(s.id, "a", published=T0))
    again = storage.upsert_article(draft(s.id, "a", published=T0))
    assert first.created and not again.created and not again.changed
    assert again.article.id == first.article.id
    assert storage.count_articles() == 1
    changed = storage.upsert_article(draft(s.id, "a", text="نص جديد", published=T0))
    assert changed.changed and not changed.created
    assert storage.get_article(first.article.id).text == "نص جديد"


def test_one_transaction_keeps_all_or_nothing(storage: StorageType) -> None:
    s = storage.add_source(NewSource(url="https://example.com/feed"))
    with pytest.raises(RuntimeError, match="boom"), storage.one_transaction():
        storage.upsert_article(draft(s.id, "lost", published=T0))
        storage.record_fetch(s.id, SourceFetchState(T0, T0, 1, "inside"))
        raise RuntimeError("boom")
    assert storage.count_articles() == 0
    assert storage.get_source(s.id).last_error is None
    with storage.one_transaction():
        first = storage.upsert_article(draft(s.id, "a", published=T0))
        storage.upsert_article(draft(s.id, "b", published=T0))
    assert storage.count_articles() == 2 and first.created
    with storage.one_transaction():  # a write after a failed block starts afresh
        storage.upsert_article(draft(s.id, "c", published=T0))
    assert storage.count_articles() == 3


def test_same_key_in_two_sources_is_two_articles(storage: StorageType) -> None:
    a = storage.add_source(NewSource(url="https://a.example/feed"))
    b = storage.add_source(NewSource(url="https://b.example/feed"))
    storage.upsert_article(draft(a.id, "x"))
    storage.upsert_article(draft(b.id, "x"))
    assert storage.count_articles() == 2
    assert storage.known_keys(a.id, ["x", "y"]) == {"x"}


def test_datetimes_are_aware_utc(storage: StorageType) -> None:
    s = storage.add_source(NewSource(url="https://example.com/feed"))
    riyadh = timezone_offset(3)
    stored = storage.upsert_article(
        draft(s.id, "a", published=datetime(2024, 1, 1, 15, tzinfo=riyadh))
    )
    assert stored.article.published == datetime(2024, 1, 1, 12, tzinfo=UTC)
    assert (
        stored.article.published is not None
        and stored.article.published.utcoffset() == timedelta(0)
    )
    with pytest.raises(ValueError, match="naive"):
        storage.upsert_article(draft(s.id, "b", published=datetime(2024, 1, 1)))


def timezone_offset(hours: int) -> object:
    from datetime import timezone

    return timezone(timedelta(hours=hours))


def test_list_articles_newest_first_with_cursor(storage: StorageType) -> None:
    s = storage.add_source(NewSource(url="https://example.com/feed"))
    for i in range(5):
        storage.upsert_article(draft(s.id, f"k{i}", published=T0 + timedelta(hours=i)))
    page1 = storage.list_articles(ArticleFilter(limit=2))
    assert [a.key for a in page1] == ["k4", "k3"]
    cursor = (page1[-1].sort_time, page1[-1].id)
    page2 = storage.list_articles(ArticleFilter(limit=2, before=cursor))
    assert [a.key for a in page2] == ["k2", "k1"]
    assert page1[0].source_title is None or isinstance(page1[0].source_title, str)


def test_record_fetch_keeps_health(storage: StorageType) -> None:
    s = storage.add_source(NewSource(url="https://example.com/feed"))
    state = SourceFetchState(
        fetched_at=T0,
        next_fetch_at=T0 + timedelta(hours=1),
        error_count=2,
        last_error="HTTP 500",
        etag='"abc"',
        title="عنوان الموقع",
    )
    after = storage.record_fetch(s.id, state)
    assert (after.error_count, after.last_error, after.etag) == (2, "HTTP 500", '"abc"')
    assert after.title == "عنوان الموقع" and after.last_fetched_at == T0


def test_pause_and_delete_source_removes_its_articles(storage: StorageType) -> None:
    s = storage.add_source(NewSource(url="https://example.com/feed"))
    storage.upsert_article(draft(s.id, "a", title="القاهرة"))
    storage.search.update()
    assert storage.set_source_paused(s.id, True).paused
    storage.delete_source(s.id)
    assert storage.count_articles() == 0
    storage.search.update()
    assert storage.search.search("القاهرة").total == 0


def test_search_finds_spelling_variants_and_tracks_changes(storage: StorageType) -> None:
    s = storage.add_source(NewSource(url="https://example.com/feed"))
    a = storage.upsert_article(
        draft(
            s.id,
            "a",
            title="زيارة مُحَمَّدٌ إلى القاهرة",
            text="وصل الرئيس إلى القاهرة أمس في زيارة رسمية.",
        )
    ).article
    storage.search.update()
    for query in ["محمد", "القاهره", "الى القاهرة", "مُحَمَّد"]:
        page = storage.search.search(query)
        assert [h.article.id for h in page.hits] == [a.id], query
    hit = storage.search.search("القاهره").hits[0]
    assert "<mark>القاهرة</mark>" in hit.snippet
    storage.upsert_article(draft(s.id, "a", title="خبر آخر", text="نص لا علاقة له"))
    assert storage.search.update() == 1
    assert storage.search.search("القاهرة").total == 0
    assert storage.search.search("علاقه").total == 1


def test_search_ranks_title_matches_first_and_paginates(storage: StorageType) -> None:
    s = storage.add_source(NewSource(url="https://example.com/feed"))
    body_only = storage.upsert_article(
        draft(s.id, "b", title="أخبار", text="ذكر النفط مرة")
    ).article
    in_title = storage.upsert_article(
        draft(s.id, "t", title="أسعار النفط", text="ارتفعت الأسعار")
    ).article
    storage.search.update()
    page = storage.search.search("النفط", limit=1)
    assert page.total == 2 and [h.article.id for h in page.hits] == [in_title.id]
    page2 = storage.search.search("النفط", limit=1, offset=1)
    assert [h.article.id for h in page2.hits] == [body_only.id]


@pytest.mark.parametrize("query", ["النفط*", "(", "NEAR(", "", "   ", "-", "AND", "*"])
def test_search_reads_stray_syntax_leniently(storage: StorageType, query: str) -> None:
    # Query-language errors (an unclosed quote, a lone OR …) are in tests/contract/test_search.py.
    s = storage.add_source(NewSource(url="https://example.com/feed"))
    storage.upsert_article(draft(s.id, "a", title="النفط"))
    storage.search.update()
    page = storage.search.search(query)
    assert page.total >= 0


def test_search_escapes_snippets(storage: StorageType) -> None:
    s = storage.add_source(NewSource(url="https://example.com/feed"))
    storage.upsert_article(draft(s.id, "a", title="x", text="<script>alert(1)</script> النفط"))
    storage.search.update()
    snippet = storage.search.search("النفط").hits[0].snippet
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet


def test_known_urls_of_a_source(storage: StorageType) -> None:
    a = storage.add_source(NewSource(url="https://a.example/feed")).id
    b = storage.add_source(NewSource(url="https://b.example/feed")).id
    storage.upsert_article(draft(a, "k1"))
    urls = ["https://example.com/k1", "https://example.com/k2"]
    assert storage.known_urls(a, urls) == {"https://example.com/k1"}
    assert storage.known_urls(b, urls) == set()
    assert storage.known_urls(a, []) == set()


def test_a_sources_section_shares_are_stored_and_forgotten(storage: StorageType) -> None:
    s = storage.add_source(NewSource(url="https://a.example/rss", title="أ")).id
    assert storage.get_source(s).section_priors == ()
    storage.set_section_priors(s, {"sports": 0.5, "economy": 0.25, "politics": 0.25})
    expected = (("economy", 0.25), ("politics", 0.25), ("sports", 0.5))
    assert storage.get_source(s).section_priors == expected
    assert [x.section_priors for x in storage.list_sources()] == [expected]
    storage.set_section_priors(s, None)
    assert storage.get_source(s).section_priors == ()
    with pytest.raises(NotFoundError):
        storage.set_section_priors(s + 1, {"sports": 1.0})
