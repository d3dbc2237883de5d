"""The search contract (khabar.storage.protocol.SearchType) on a real database file.

The query language itself is tested in tests/unit/search/test_query.py; this suite checks
what each construct finds, with filters, sorting and totals, on every backend.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

import khabar.search.analyzer
from khabar.errors import InvalidInputError
from khabar.search.query import InvalidQueryError
from khabar.storage import StorageType
from khabar.types import ArticleDraft, NewSource

ARTICLES = {
    # key: (source, title, text, language, published day)
    "oil": ("aj", "أسعار النفط الخام ترتفع", "ارتفعت أسعار النفط الخام في الأسواق اليوم.", "ar", 1),
    "crude": ("aj", "الخام يتراجع", "تراجع الخام بينما استقر النفط في مصر.", "ar", 5),
    "english": ("bbc", "Oil prices rise", "Oil prices rose in Cairo on Monday.", "en", -29),
    "school": ("bbc", "افتتاح مدرسة", "افتتاح المدرسة الجديدة في تونس.", "ar", -50),
    "economy": ("bbc", "الاقتصاد المصري", "نمو الاقتصاد في مصر هذا العام.", "ar", 3),
}


SECTIONS_OF = {"oil": "economy", "crude": "politics", "economy": "economy"}


def _day(n: int) -> datetime:
    """Day ``n`` of March 2024 (negative: days before March 1st), at noon UTC."""
    return datetime.fromordinal(datetime(2024, 3, 1).toordinal() + n - 1).replace(
        hour=12, tzinfo=UTC
    )


@pytest.fixture
def ids(storage: StorageType) -> dict[str, int]:
    sources = {
        "aj": storage.add_source(
            NewSource(url="https://www.aljazeera.net/rss", title="الجزيرة نت")
        ).id,
        "bbc": storage.add_source(
            NewSource(url="https://feeds.bbci.co.uk/arabic/rss.xml", title="بي بي سي عربي")
        ).id,
    }
    found: dict[str, int] = {}
    for key, (source, title, text, lang, day) in ARTICLES.items():
        draft = ArticleDraft(
            source_id=sources[source],
            key=key,
            url=f"https://example.com/{key}",
            title=title,
            text=text,
            language=lang,
            published=_day(day),
            section=SECTIONS_OF.get(key),
        )
        found[key] = storage.upsert_article(draft).article.id
    storage.search.update()
    found.update({f"source:{k}": v for k, v in sources.items()})
    return found


def keys(storage: StorageType, ids: dict[str, int], query: str, **kw: object) -> list[str]:
    by_id = {v: k for k, v in ids.items() if not k.startswith("source:")}
    page = storage.search.search(query, **kw)  # type: ignore[arg-type]
    assert page.total == len(page.hits) or "limit" in kw, query
    return [by_id[h.article.id] for h in page.hits]


def found(storage: StorageType, ids: dict[str, int], query: str) -> set[str]:
    return set(keys(storage, ids, query))


def test_words_are_all_required_a_phrase_keeps_order(
    storage: StorageType, ids: dict[str, int]
) -> None:
    assert found(storage, ids, "النفط الخام") == {"oil", "crude"}
    assert found(storage, ids, '"النفط الخام"') == {"oil"}
    assert found(storage, ids, "«أسعار النفط»") == {"oil"}
    assert found(storage, ids, '"الخام النفط"') == set()


def test_or(storage: StorageType, ids: dict[str, int]) -> None:
    assert found(storage, ids, "تونس OR Cairo") == {"school", "english"}
    assert found(storage, ids, 'مصر "النفط الخام" OR الاقتصاد') == {"economy"}


def test_exclusion(storage: StorageType, ids: dict[str, int]) -> None:
    assert found(storage, ids, "النفط -مصر") == {"oil"}
    assert found(storage, ids, 'النفط -"استقر النفط"') == {"oil"}
    assert found(storage, ids, "مصر -الاقتص*") == {"crude"}


def test_prefix_matches_and_is_highlighted(storage: StorageType, ids: dict[str, int]) -> None:
    assert found(storage, ids, "pri*") == {"english"}
    assert found(storage, ids, "الاقتصا*") == {"economy"}
    hit = storage.search.search("pri*").hits[0]
    assert "<mark>prices</mark>" in hit.snippet


def test_language_filter(storage: StorageType, ids: dict[str, int]) -> None:
    assert found(storage, ids, "lang:en") == {"english"}
    assert found(storage, ids, "lang:ar النفط") == {"oil", "crude"}
    assert found(storage, ids, "lang:fr") == set()


def test_source_filter_by_id_name_or_url(storage: StorageType, ids: dict[str, int]) -> None:
    bbc = {"english", "school", "economy"}
    assert found(storage, ids, "source:bbci") == bbc
    assert found(storage, ids, f"source:{ids['source:bbc']}") == bbc
    assert found(storage, ids, "source:الجزيره") == {"oil", "crude"}
    assert found(storage, ids, 'source:"بي بي سي" مصر') == {"economy"}
    assert found(storage, ids, "source:bbci source:aljazeera مصر") == {"economy", "crude"}
    assert storage.search.search("source:nowhere النفط").total == 0


def test_date_filters_are_whole_utc_days(storage: StorageType, ids: dict[str, int]) -> None:
    assert found(storage, ids, "from:2024-03-01") == {"oil", "crude", "economy"}
    assert found(storage, ids, "to:2024-01-31") == {"english", "school"}
    assert found(storage, ids, "from:2024-03-01 to:2024-03-03") == {"oil", "economy"}
    assert found(storage, ids, "from:2024-03-03 to:2024-03-03 مصر") == {"economy"}
    assert found(storage, ids, "to:9999-12-31 from:0001-01-01 lang:en") == {"english"}


def test_sort_by_date(storage: StorageType, ids: dict[str, int]) -> None:
    newest_first = ["crude", "oil", "school"]
    assert keys(storage, ids, "النفط OR تونس sort:date") == newest_first
    assert keys(storage, ids, "النفط OR تونس", sort="date") == newest_first
    by_relevance = keys(storage, ids, "النفط OR تونس sort:date", sort="relevance")
    assert sorted(by_relevance) == sorted(newest_first)


def test_relevance_puts_title_matches_first(storage: StorageType, ids: dict[str, int]) -> None:
    assert keys(storage, ids, "النفط")[0] == "oil"  # in the title and the text


def test_filters_alone_list_newest_first(storage: StorageType, ids: dict[str, int]) -> None:
    assert keys(storage, ids, "source:bbci") == ["economy", "english", "school"]
    assert keys(storage, ids, "source:bbci -تونس") == ["economy", "english"]


def test_totals_respect_filters_across_pages(storage: StorageType, ids: dict[str, int]) -> None:
    first = storage.search.search("مصر OR النفط OR تونس lang:ar", limit=2, sort="date")
    second = storage.search.search("مصر OR النفط OR تونس lang:ar", limit=2, offset=2, sort="date")
    assert first.total == second.total == 4
    assert len(first.hits) == 2 and len(second.hits) == 2
    assert {h.article.id for h in first.hits}.isdisjoint(h.article.id for h in second.hits)
    assert storage.search.search("source:bbci", limit=1).total == 3


def test_empty_queries_give_an_empty_page(storage: StorageType, ids: dict[str, int]) -> None:
    for query in ["", "   ", "-مصر", "*", "section:sport -النفط -مصر -مدرسه -oil"]:
        page = storage.search.search(query)
        assert (page.total, page.hits) == (0, ()), query


def test_section_filter(storage: StorageType, ids: dict[str, int]) -> None:
    assert found(storage, ids, "section:economy النفط") == {"oil"}
    assert found(storage, ids, "قسم:اقتصاد مصر") == {"economy"}
    assert found(storage, ids, "section:politics section:economy مصر") == {"crude", "economy"}
    assert found(storage, ids, "section:economy") == {"oil", "economy"}


def test_unknown_section_is_ignored(storage: StorageType, ids: dict[str, int]) -> None:
    assert found(storage, ids, "section:nonsense النفط") == {"oil", "crude"}


HOSTILE = [
    '"',
    '"""',
    'النفط "',
    "NEAR(",
    "NEAR(النفط الخام, 2)",
    "النفط NEAR/2 الخام",
    "*",
    "**",
    "-",
    "--",
    "-*",
    "OR",
    "OR OR",
    "AND OR NOT",
    "NOT النفط",
    "النفط AND",
    "source:",
    "lang:",
    "from:",
    "sort:",
    "title:النفط",
    "{title body}: النفط",
    "*:*",
    "^النفط",
    "النفط + الخام",
    '"a" + "b" *',
    "()",
    "))((",
    "'; DROP TABLE articles; --",
    "\x00",
    "\u202e\u200f",
    "𝕏 🚀",
    "ـــ",
    "x" * 10_000,
    "النفط " * 400,
    "from:99999-01-01",
    "lang:" + "a" * 300,
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_raise_anything_but_invalid_input(
    storage: StorageType, ids: dict[str, int], query: str
) -> None:
    try:
        page = storage.search.search(query)
    except InvalidQueryError as exc:
        assert isinstance(exc, InvalidInputError) and exc.message_ar and exc.message_en
    else:
        assert page.total >= len(page.hits) >= 0
    assert storage.count_articles() == len(ARTICLES)
    assert found(storage, ids, "النفط") == {"oil", "crude"}


def test_analyzer_version_change_rebuilds_the_index(
    storage: StorageType, ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert storage.search.update() == 0  # nothing changed
    storage.delete_source(ids["source:aj"])
    assert storage.search.update() == 2
    real = khabar.search.analyzer.analyze
    monkeypatch.setattr(khabar.search.analyzer, "analyze", lambda text: [*real(text), "zzv2"])
    assert storage.search.update() == 0  # same version: the index is not rebuilt
    assert storage.search.search("zzv2").total == 0
    version = getattr(khabar.search.analyzer, "ANALYZER_VERSION", 1)
    monkeypatch.setattr(khabar.search.analyzer, "ANALYZER_VERSION", version + 1, raising=False)
    assert storage.search.update() == 3  # every remaining article, indexed again
    assert found(storage, ids, "zzv2") == {"english", "school", "economy"}
    assert found(storage, ids, "النفط") == set()  # deleted articles do not come back
    assert storage.search.update() == 0


def test_copies_fold_into_the_article_leading_them(storage: StorageType) -> None:
    """A wire story carried by two outlets is one hit; a source: filter shows each outlet's."""
    from khabar.dedupe.link import article_fingerprint, link_copies

    text = " ".join(["ارتفعت أسعار النفط الخام في الأسواق العالمية اليوم بعد قرار أوبك"] * 3)
    ids = []
    for n, (url, title) in enumerate(
        [("https://a.example/feed", "وكالة أ"), ("https://b.example/feed", "صحيفة ب")]
    ):
        source = storage.add_source(NewSource(url=url, title=title))
        draft = ArticleDraft(
            source_id=source.id,
            key="k",
            url=f"https://outlet{n}.example/oil",
            title="أسعار النفط",
            text=text,
            published=_day(1 + n),
            fingerprint=article_fingerprint(text),
        )
        stored = storage.upsert_article(draft).article
        ids.append(link_copies(storage, stored.id, timedelta(days=7)).id)
    storage.search.update()
    page = storage.search.search("النفط")
    assert [h.article.id for h in page.hits] == [ids[0]] and page.total == 1
    assert page.hits[0].article.copies == 1
    assert {h.article.id for h in storage.search.search("النفط source:صحيفة").hits} == {ids[1]}
