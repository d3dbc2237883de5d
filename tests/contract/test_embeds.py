"""The embeds part of the storage contract: a page's posts and media, in page order."""

from __future__ import annotations

from datetime import date

from khabar.storage import StorageType
from khabar.types import ArticleDraft, Embed, NewSource

TWEET = Embed("tweet", "https://x.com/a/status/1", "نص التغريدة", "a_b", date(2024, 3, 5), "ar")
VIDEO = Embed("youtube", "https://www.youtube.com/watch?v=abcdefgh", "عنوان الفيديو")
BARE = Embed("facebook")


def _store(storage: StorageType, source: int, *embeds: Embed, text: str = "نص") -> int:
    draft = ArticleDraft(
        source_id=source, key="k", url="https://a.example/k", title="عنوان", text=text,
        embeds=embeds,
    )  # fmt: skip
    return storage.upsert_article(draft).article.id


def test_embeds_round_trip_in_page_order_and_are_replaced(storage: StorageType) -> None:
    s = storage.add_source(NewSource(url="https://a.example/rss", title="أ")).id
    article = _store(storage, s, TWEET, VIDEO, BARE)
    assert storage.article_embeds(article) == [TWEET, VIDEO, BARE]
    _store(storage, s, VIDEO, text="نص معدل")
    assert storage.article_embeds(article) == [VIDEO]
    storage.delete_source(s)
    assert storage.article_embeds(article) == []
