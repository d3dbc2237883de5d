"""Every search engine finds exactly the same articles for the same query.

Each pair is checked against SQLite's FTS5: PostgreSQL (a ``tsvector``) and tantivy (the other
SQLite engine). All index the analyzer's terms, so every query of the variant-recall table
(tests/unit/search/test_variant_recall.py) — as a word, a phrase, a prefix, an OR group and
an exclusion — must give the same set of hits and the same total on both. Ranking differs
(BM25 of two engines, ts_rank_cd); the sets may not.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from tests.support.postgres import PostgresCluster
from tests.unit.search.test_variant_recall import NEGATIVES, VARIANTS

from khabar.search.query import InvalidQueryError
from khabar.storage import StorageType, open_storage
from khabar.storage.postgres.tsearch import quote_lexeme
from khabar.types import ArticleDraft, NewSource

Outcome = tuple[int, frozenset[str]] | str  # (total, keys of the hits) or an error code


# Where the backends could part ways: numbers FTS5 splits at "." and ",", phrases that would
# run from the title into the body, words under a hyphen or an apostrophe.
EDGE_DOCS = {
    "e0": ("", "ارتفع التضخم إلى 3.5 في المئة"),
    "e1": ("", "سجل 3 5 أهداف"),
    "e2": ("", "نسبة 1,5 و covid-19"),
    "e3": ("زيارة القاهرة", "مصر تستقبل الوفد"),
    "e4": ("", "القاهرة مصر في سطر واحد"),
    "e5": ("", "l'économie de l'Égypte"),
}
EDGE_QUERIES = [
    "3.5",
    "٣٫٥",
    '"3 5"',
    "3.5*",
    "1,5",
    "covid-19",
    '"covid 19"',
    '"القاهرة مصر"',
    "القاهرة مصر",
    '"زيارة القاهرة"',
    "l'économie",
    "économ*",
    "égypte",
]


def _documents() -> dict[str, tuple[str, str]]:
    """key → (title, text): the table's documents in the body, half of them in the title too."""
    docs = {f"v{i}": ("", doc) for i, (_, _, doc) in enumerate(VARIANTS)}
    for i, (a, b) in enumerate(NEGATIVES):
        docs[f"n{i}a"], docs[f"n{i}b"] = (a, a), ("", b)
    return docs | EDGE_DOCS


def _fill(storage: StorageType, docs: dict[str, tuple[str, str]]) -> None:
    source = storage.add_source(NewSource(url="https://example.com/feed", title="مثال"))
    for key, (title, text) in docs.items():
        draft = ArticleDraft(
            source_id=source.id,
            key=key,
            url=f"https://example.com/{key}",
            title=title,
            text=text,
            language="ar",
        )
        storage.upsert_article(draft)
    storage.search.update()


@pytest.fixture(scope="module", params=["postgres", "tantivy"])
def backends(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, StorageType]]:
    """``sqlite`` (FTS5, the reference) and ``other`` (the engine compared with it)."""
    folder = Path(tmp_path_factory.mktemp("parity"))
    if request.param == "postgres":
        cluster: PostgresCluster = request.getfixturevalue("postgres_cluster")
        other = open_storage(cluster.create_database("khabar_parity"))
    else:
        other = open_storage(f"sqlite:///{folder / 'tantivy.db'}", search_engine="tantivy")
    stores = {"sqlite": open_storage(f"sqlite:///{folder / 'fts5.db'}", search_engine="fts5")}
    stores["other"] = other
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


def _mismatches(
    backends: dict[str, StorageType], queries: list[str]
) -> list[tuple[str, Outcome, Outcome]]:
    found = []
    for query in dict.fromkeys(queries):
        on_sqlite = _outcome(backends["sqlite"], query)
        on_other = _outcome(backends["other"], query)
        if on_sqlite != on_other:
            found.append((query, on_sqlite, on_other))
    return found


QUERIES = [q for _, q, _ in VARIANTS]
WORDS = sorted({w for pair in NEGATIVES for w in pair})


def test_words_and_negatives_find_the_same_articles(backends: dict[str, StorageType]) -> None:
    assert _mismatches(backends, QUERIES + WORDS) == []


def test_numbers_hyphens_and_column_edges_find_the_same_articles(
    backends: dict[str, StorageType],
) -> None:
    assert {"e0", "e1"} <= _keys(backends["sqlite"], "3.5")  # FTS5: "3.5" is the phrase "3 5"
    assert _keys(backends["sqlite"], '"القاهرة مصر"') == {"e4"}  # never from title into body
    assert _mismatches(backends, EDGE_QUERIES) == []


def _variants(query: str) -> list[str]:
    """The query as a word, a phrase, a prefix, in an OR group and excluded."""
    first = query.split()[0] if query.split() else query
    return [query, f'"{query}"', f"{first}*", f"{query} OR zzz", f"{WORDS[0]} -{first}"]


def test_every_form_of_every_word_and_edge_finds_the_same_articles(
    backends: dict[str, StorageType],
) -> None:
    queries = [v for q in WORDS + EDGE_QUERIES for v in _variants(q)]
    assert _mismatches(backends, queries) == []


def test_every_variant_is_found_and_unrelated_words_stay_apart(
    backends: dict[str, StorageType],
) -> None:
    for name, store in backends.items():
        for i, (_, query, _) in enumerate(VARIANTS):
            assert f"v{i}" in _keys(store, query), (name, query)
        for i, (a, b) in enumerate(NEGATIVES):
            assert f"n{i}b" not in _keys(store, a) and f"n{i}a" not in _keys(store, b), (name, a, b)


def _keys(storage: StorageType, query: str) -> set[str]:
    return {h.article.key for h in storage.search.search(query, limit=1000).hits}


def test_phrases_prefixes_or_and_exclusions_find_the_same_articles(
    backends: dict[str, StorageType],
) -> None:
    queries = [f'"{q}"' for q in QUERIES]
    queries += [f"{q}*" for q in QUERIES]  # short prefixes are an error on both
    queries += [f"{a} OR {b}" for a, b in itertools.pairwise(QUERIES)]
    queries += [f"{a} -{b}" for a, b in zip(QUERIES, QUERIES[7:], strict=False)]
    queries += [f"lang:ar -{q}" for q in QUERIES[::5]]
    assert _mismatches(backends, queries) == []


def test_quoted_lexemes_reach_postgres_unchanged(postgres_cluster: PostgresCluster) -> None:
    """Whatever a lexeme holds, it is one lexeme: never an operator, never a syntax error."""
    hostile = ["a'b", "a\\b", "x & y", "!z", "w:*", "<->", "'", "\\", "(", "ـ", "مُحَمَّد"]
    with psycopg.connect(postgres_cluster.url()) as conn:
        for lexeme in hostile:
            row = conn.execute(
                "SELECT array_to_tsvector(ARRAY[%s]) @@ %s::tsquery, tsvector_to_array(%s)",
                (lexeme, quote_lexeme(lexeme), f"{quote_lexeme(lexeme)}:1"),
            ).fetchone()
            assert row == (True, [lexeme]), lexeme
