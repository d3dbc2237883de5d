"""FTS5 and tantivy (the two SQLite search engines) find exactly the same articles.

Both index the analyzer's terms split the same way, so every query of the variant-recall
table and the edge cases of ``test_search_parity`` — as a word, a phrase, a prefix, an OR
group and an exclusion — must give the same set of hits and the same total on both.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.contract.test_search_parity import EDGE_QUERIES, QUERIES, WORDS, _documents, _fill
from tests.unit.search.test_variant_recall import NEGATIVES, VARIANTS

from khabar.search.query import InvalidQueryError
from khabar.storage import StorageType, open_storage

Outcome = tuple[int, frozenset[str]] | str


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, StorageType]]:
    folder = Path(tmp_path_factory.mktemp("engines"))
    stores = {
        engine: open_storage(f"sqlite:///{folder / engine}.db", search_engine=engine)
        for engine in ("fts5", "tantivy")
    }
    docs = _documents()
    for store in stores.values():
        _fill(store, docs)
    yield stores
    for store in stores.values():
        store.close()


def _outcome(storage: StorageType, query: str) -> Outcome:
    try:
        page = storage.search.search(query, limit=1000)
    except InvalidQueryError as exc:
        return exc.code
    return page.total, frozenset(h.article.key for h in page.hits)


def _variants(query: str) -> list[str]:
    """The query as a word, a phrase, a prefix, in an OR group and excluded."""
    first = query.split()[0] if query.split() else query
    return [query, f'"{query}"', f"{first}*", f"{query} OR zzz", f"{WORDS[0]} -{first}"]


def test_every_query_finds_the_same_articles(engines: dict[str, StorageType]) -> None:
    queries = [v for q in QUERIES + WORDS + EDGE_QUERIES for v in _variants(q)]
    mismatches = [
        (q, _outcome(engines["fts5"], q), _outcome(engines["tantivy"], q))
        for q in dict.fromkeys(queries)
        if _outcome(engines["fts5"], q) != _outcome(engines["tantivy"], q)
    ]
    assert mismatches == []


def test_tantivy_finds_every_variant_and_keeps_unrelated_words_apart(
    engines: dict[str, StorageType],
) -> None:
    store = engines["tantivy"]
    for i, (_, query, _) in enumerate(VARIANTS):
        assert f"v{i}" in _outcome(store, query)[1], query
    for i, (a, b) in enumerate(NEGATIVES):
        assert f"n{i}b" not in _outcome(store, a)[1] and f"n{i}a" not in _outcome(store, b)[1]
