"""When a story has just formed across outlets, and what a story rule matches (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

from khabar.rules import Rule, compile_rule, rule_from_data
from khabar.rules.engine import brought_second_outlet, story_match
from khabar.types import Article

T0 = datetime(2024, 3, 1, tzinfo=UTC)


def _article(article_id: int, outlet: str, title: str = "عنوان", source_id: int = 1) -> Article:
    return Article(
        id=article_id, source_id=source_id, key=str(article_id), url="https://x.example/",
        title=title, text="", html="", summary=None, canonical_url=None, guid=None,
        author=None, published=T0, updated=None, image=None, language="ar", categories=(),
        extraction_error=None, fetched_at=T0, source_title=outlet,
    )  # fmt: skip


def test_the_article_bringing_the_second_outlet_forms_the_story() -> None:
    a1, a2, b1, c1 = _article(1, "أ"), _article(2, "أ"), _article(3, "ب"), _article(4, "ج")
    assert brought_second_outlet(b1, [a1, a2, b1])
    assert not brought_second_outlet(a2, [a1, a2])  # one outlet still
    assert not brought_second_outlet(a2, [a1, b1, a2])  # the story had two already
    assert not brought_second_outlet(c1, [a1, b1, c1])  # a third outlet
    assert not brought_second_outlet(a1, [a1])


def test_a_story_rule_matches_when_one_article_in_its_sources_does() -> None:
    rule = compile_rule(
        Rule(
            1,
            rule_from_data(
                {
                    "name": "غزة",
                    "action": "alert",
                    "on": "story",
                    "conditions": [{"kind": "keyword", "values": ["غزة", "رفح"]}],
                    "sources": [2],
                }
            ),
            T0,
        )
    )
    gaza_1 = _article(1, "أ", "قصف في غزة", source_id=1)
    rafah_2 = _article(2, "ب", "معبر رفح مغلق", source_id=2)
    other_2 = _article(3, "ب", "أخبار أخرى", source_id=2)
    match = story_match(rule, [gaza_1, rafah_2])
    assert match is not None and match.matched == ("رفح",)  # غزة is from another source
    assert story_match(rule, [gaza_1, other_2]) is None
