"""Saving an article's analysis again (``khabar reanalyze``): part of the storage contract."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from tests.support.events import QUAKE_A, QUAKE_B

from khabar.analyze.entities import Entity
from khabar.analyze.keywords import Keyword
from khabar.dedupe.link import article_fingerprint
from khabar.errors import NotFoundError
from khabar.storage import StorageType
from khabar.stories.link import story_vector
from khabar.stories.related import features_of
from khabar.types import ArticleDraft, NewSource

T0 = datetime(2024, 5, 6, 3, 0, tzinfo=UTC)
HATAY = Entity("place", "هاتاي", "هاتاي", ("هاتاي",), 2)


def _old(source: int, key: str, title: str, text: str, hours: int) -> ArticleDraft:
    """An article as a database older than analysis stored it: no section, no features."""
    return ArticleDraft(
        source_id=source,
        key=key,
        url=f"https://{key}.example/news",
        title=title,
        text=text,
        published=T0 + timedelta(hours=hours),
    )


def _analysis(draft: ArticleDraft) -> ArticleDraft:
    return dataclasses.replace(
        draft,
        section="society",
        section_confidence=0.81,
        section_decided_by="model",
        fingerprint=article_fingerprint(draft.text),
        features=features_of(story_vector(draft.title, draft.text)),
        entities=(HATAY,),
        keywords=(Keyword("زلزال هاتاي", "زلزال هاتاي", 2.0),),
    )


def test_saved_analysis_replaces_what_analysis_decided_and_keeps_the_rest(
    storage: StorageType,
) -> None:
    s = storage.add_source(NewSource(url="https://a.example/rss", title="أ")).id
    first = _old(s, "q1", "زلزال يضرب جنوب تركيا", QUAKE_A, 0)
    second = _old(s, "q2", "زلزال في هاتاي التركية", QUAKE_B, 1)
    ids = [storage.upsert_article(d).article.id for d in (first, second)]
    storage.search.update()
    before = storage.get_article(ids[0])
    assert before.section is None and storage.related_articles(ids[0]) == []
    assert not storage.search.search("section:society زلزال").hits

    for article_id, draft in zip(ids, (first, second), strict=True):
        saved = storage.save_analysis(article_id, _analysis(draft))
        assert saved.id == article_id
    after = storage.get_article(ids[0])
    assert (after.section, after.section_confidence, after.section_decided_by) == (
        "society",
        pytest.approx(0.81),
        "model",
    )
    assert (after.title, after.text, after.published, after.sort_time) == (
        before.title,
        before.text,
        before.published,
        before.sort_time,
    )
    assert [m.key for m in storage.article_entities(ids[0])] == ["هاتاي"]
    assert storage.article_keywords(ids[0]) == ["زلزال هاتاي"]
    assert storage.get_entity("هاتاي").articles == 2
    assert [a.id for a in storage.related_articles(ids[0])] == [ids[1]]  # features written
    assert storage.search.update() == 2  # seen as changed by the search index
    hits = storage.search.search("section:society زلزال").hits
    assert sorted(h.article.id for h in hits) == sorted(ids)


def test_saved_fingerprints_let_later_copies_find_the_article(storage: StorageType) -> None:
    from khabar.dedupe.link import link_copies

    s = storage.add_source(NewSource(url="https://a.example/rss", title="أ")).id
    b = storage.add_source(NewSource(url="https://b.example/rss", title="ب")).id
    old = _old(s, "q1", "زلزال يضرب جنوب تركيا", QUAKE_A, 0)
    old_id = storage.upsert_article(old).article.id
    storage.save_analysis(old_id, _analysis(old))
    copy = _analysis(_old(b, "c1", "زلزال جنوب تركيا", QUAKE_A + " انتهى.", 2))
    copy_id = storage.upsert_article(copy).article.id
    assert link_copies(storage, copy_id, timedelta(days=7)).group_id == old_id


def test_saving_the_analysis_of_an_unknown_article_names_it(storage: StorageType) -> None:
    draft = _old(1, "x", "عنوان", "نص", 0)
    with pytest.raises(NotFoundError, match="4242"):
        storage.save_analysis(4242, draft)
