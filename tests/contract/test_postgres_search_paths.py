"""PostgreSQL search finds its candidates two ways, and both give the same page.

Matches up to a cap are collected through the GIN index and ranked by key; past it
the time-ordered scan ranks the newest ones in SQL. Shrinking the caps sends the same queries
down the second path: the hits, their order and their scores must not change, only the total
becomes "more than" the cap.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

import khabar.search.results
import khabar.storage.postgres.search
from khabar.storage import StorageType, open_storage
from khabar.storage.postgres.search import POSTGRES
from khabar.types import ArticleDraft, NewSource, SearchPage

WORDS = ("النفط", "الخام", "مصر", "الأسواق")
QUERIES = (
    "النفط",
    "النفط مصر",
    '"النفط الخام"',
    "النفط -مصر",
    "الخام OR الأسواق",
    "النفط lang:ar",
    "النفط source:مثال",  # one outlet: spelled `source_id = %s`
    "النفط source:example",  # both outlets: `source_id = ANY(%s)`
    "الخام source:آخر",
    "النفط from:2024-03-04 to:2024-03-09",  # a date window: counted through GIN alone
)


@pytest.fixture
def store(postgres_url: str) -> Iterator[StorageType]:
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    storage = open_storage(postgres_url)
    source = storage.add_source(NewSource(url="https://example.com/rss", title="مثال")).id
    other = storage.add_source(NewSource(url="https://example.org/rss", title="آخر")).id
    start = datetime(2024, 3, 1, 12, tzinfo=UTC)
    for i in range(40):
        words = [w for n, w in enumerate(WORDS) if (i >> n) & 1 or n == 0]
        title = " ".join(words[: 1 + i % 3])
        storage.upsert_article(
            ArticleDraft(
                source_id=other if i % 3 == 1 else source,
                key=f"a{i}",
                url=f"https://example.com/{i}",
                title=title,
                text=" ".join(words * (1 + i % 4)) + f" خبر رقم {i}.",
                language="ar",
                published=start + timedelta(days=i // 3),  # ties: order by id
            )
        )
    storage.search.update()
    yield storage
    storage.close()


def _searches(storage: StorageType) -> list[SearchPage]:
    pages: list[SearchPage] = []
    for query in QUERIES:
        for sort in ("relevance", "date"):
            for offset in (0, 3, 9):
                pages.append(storage.search.search(query, limit=4, offset=offset, sort=sort))
    return pages


def _pages(storage: StorageType) -> list[tuple[tuple[int, float], ...]]:
    return [tuple((h.article.id, h.score) for h in page.hits) for page in _searches(storage)]


def test_both_candidate_paths_give_the_same_pages(
    store: StorageType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(khabar.storage.postgres.search, "RANK_CANDIDATES", 6)
    collected = _pages(store)
    assert store.search.search("النفط").total == 40  # every match known: an exact total
    monkeypatch.setattr(khabar.search.results, "TOTAL_CAP", 2)
    monkeypatch.setattr(khabar.storage.postgres.search, "SCAN_COST", 0.0)  # cap: TOTAL_CAP
    scanned = _pages(store)
    assert scanned == collected
    assert any(len(page) == 4 for page in scanned)
    page = store.search.search("النفط")
    assert (page.total, page.total_is_lower_bound) == (2, True)


def test_a_phrase_with_no_match_among_common_words_finds_nothing(store: StorageType) -> None:
    page = store.search.search('"الأسواق الخام"')
    assert (page.hits, page.total, page.total_is_lower_bound) == ((), 0, False)


def test_an_estimate_of_many_matches_still_counts_them(
    store: StorageType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(khabar.storage.postgres.search, "RANK_CANDIDATES", 6)
    collected = _searches(store)
    monkeypatch.setattr(khabar.storage.postgres.search, "SURELY_MANY", -1.0)  # always "many"
    scanned = _searches(store)
    assert [(p.hits, p.total, p.total_is_lower_bound) for p in scanned] == [
        (p.hits, p.total, p.total_is_lower_bound) for p in collected
    ]
    assert {p.total for p in scanned} >= {40}


def test_one_value_is_an_equality_and_several_an_array() -> None:
    """``= ANY(array)`` keeps PostgreSQL 15 off a B-tree read in order (source_id, sort_time):
    one outlet must be spelled ``=`` so ``source:`` can walk ``articles_by_source_time``."""
    assert POSTGRES.one_of("a.source_id", [7]) == ("a.source_id = %s", [7])
    assert POSTGRES.one_of("a.source_id", [7, 9]) == ("a.source_id = ANY(%s)", [[7, 9]])


def test_source_filters_find_each_outlets_matches(store: StorageType) -> None:
    pages = [store.search.search(f"النفط source:{s}", limit=50) for s in ("آخر", "مثال", "example")]
    assert [p.total for p in pages] == [13, 27, 40]  # every third article is the other's
    one, this = ({h.article.source_id for h in p.hits} for p in pages[:2])
    assert len(one) == len(this) == 1 and one != this
