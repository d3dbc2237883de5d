"""The page-links part of the storage contract: read-also and related links, kept in page
order and resolved to our stored copy of the article they name."""

from __future__ import annotations

from datetime import UTC, datetime

from khabar.rules.alerts import RuleHit
from khabar.rules.model import Condition, RuleSpec
from khabar.storage import StorageType
from khabar.types import ArticleDraft, NewSource, PageLink

T0 = datetime(2024, 5, 6, 3, 0, tzinfo=UTC)


def _store(storage: StorageType, source: int, key: str, url: str, **fields: object) -> int:
    draft = ArticleDraft(
        source_id=source, key=key, url=url, title=f"عنوان {key}",
        published=T0, **({"text": f"نص {key}"} | fields),  # type: ignore[arg-type]
    )  # fmt: skip
    return storage.upsert_article(draft).article.id


def test_links_keep_page_order_and_find_our_copies(storage: StorageType) -> None:
    s = storage.add_source(NewSource(url="https://a.example/rss", title="أ")).id
    plain = _store(storage, s, "t1", "https://a.example/news/1")
    by_canonical = _store(
        storage, s, "t2", "https://feeds.a.example/x?id=2", canonical_url="https://a.example/n/2"
    )
    hidden = _store(storage, s, "t3", "https://a.example/news/3")
    rule = storage.rules.add_rule(RuleSpec("إخفاء", "hide", (Condition("keyword", ("x",)),)))
    storage.rules.record_hits(hidden, [RuleHit(rule.id, "hide", "x")])
    links = (
        PageLink("read_also", "الأول", "http://a.example/news/1?utm_source=rss"),  # a variant
        PageLink("read_also", "غير مخزن", "https://elsewhere.example/story"),
        PageLink("related", "الثاني", "https://a.example/n/2"),
        PageLink("related", "مخفي", "https://a.example/news/3"),
        PageLink("related", "نفسه", "https://a.example/news/4"),
    )
    article = _store(storage, s, "t4", "https://a.example/news/4", links=links)

    found = storage.article_links(article)
    assert [(x.kind, x.title, x.url) for x in found] == [(x.kind, x.title, x.url) for x in links]
    assert [x.article_id for x in found] == [plain, None, by_canonical, None, None]
    assert storage.article_links(plain) == []


def test_links_are_replaced_with_the_article_and_go_with_it(storage: StorageType) -> None:
    s = storage.add_source(NewSource(url="https://a.example/rss", title="أ")).id
    first = (PageLink("read_also", "قديم", "https://x.example/1"),)
    article = _store(storage, s, "k", "https://a.example/k", links=first)
    assert [x.title for x in storage.article_links(article)] == ["قديم"]
    second = (PageLink("related", "جديد", "https://x.example/2"),)
    _store(storage, s, "k", "https://a.example/k", links=second, text="نص معدل")
    assert [(x.kind, x.title) for x in storage.article_links(article)] == [("related", "جديد")]
    storage.delete_source(s)
    assert storage.article_links(article) == []
