"""Matching rules on articles: Arabic spelling variants, phrases, any/all, scope, entities."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from khabar.rules import MatchInput, Rule, compile_rule, rule_from_data

NOW = datetime(2024, 3, 1, tzinfo=UTC)


def _rule(data: dict[str, object], rule_id: int = 1) -> Rule:
    return Rule(rule_id, rule_from_data({"name": "قاعدة", "action": "mark", **data}), NOW)


def _keyword(*values: str, match: str = "any") -> Rule:
    return _rule({"conditions": [{"kind": "keyword", "values": list(values), "match": match}]})


def _text(
    title: str, text: str = "", source_id: int = 1, entities: tuple[str, ...] = ()
) -> MatchInput:
    return MatchInput.of(title, text, source_id, entities)


@pytest.mark.parametrize(
    ("keyword", "written"),
    [
        ("أحمد", "قال احمد إن"),  # alef with hamza / bare alef
        ("احمد", "قال أحمد إن"),
        ("إسرائيل", "قالت اسرائيل"),
        ("المدرسة", "أمام المدرسه"),  # ta marbuta / ha
        ("مدرسه", "أمام المدرسة"),
        ("محمد", "قال مُحَمَّدٌ"),  # harakat in the text
        ("مُحَمَّد", "قال محمد"),  # harakat in the rule
        ("الرئيس", "والرئيس يقول"),  # و + ال
        ("رئيس", "التقى بالرئيس"),  # ب + ال
        ("الرئيس", "وللرئيس كلمة"),
        ("مسؤول", "قال مسئول رفيع"),  # hamza seats
        ("مصطفى", "قال مصطفي"),  # ى / ي
        ("Gaza", "news from GAZA today"),  # Latin case
    ],
)
def test_a_keyword_finds_every_spelling_of_its_word(keyword: str, written: str) -> None:
    match = compile_rule(_keyword(keyword)).match(_text(written))
    assert match is not None and match.matched == (keyword,)


def test_a_keyword_does_not_match_a_different_word() -> None:
    rule = compile_rule(_keyword("غزة"))
    assert rule.match(_text("غزال في الصحراء", "مدينة العزة")) is None


def test_a_phrase_needs_its_words_together_and_in_order() -> None:
    rule = compile_rule(_keyword("الأمم المتحدة"))
    assert rule.match(_text("قرار", "طالبت والأمم المتحده بوقف")) is not None
    assert rule.match(_text("قرار", "المتحدة الأمم")) is None
    assert rule.match(_text("الأمم", "المتحدة")) is None  # title and text are not one run
    assert rule.match(_text("الأمم تقول", "المتحدة")) is None


def test_any_or_all_of_a_conditions_values() -> None:
    text = _text("غزة اليوم", "اجتماع في القاهرة")
    assert compile_rule(_keyword("غزة", "بيروت")).match(text) is not None
    assert compile_rule(_keyword("غزة", "بيروت", match="all")).match(text) is None
    both = compile_rule(_keyword("غزة", "القاهرة", match="all")).match(text)
    assert both is not None and both.matched == ("غزة", "القاهرة")


def test_every_condition_must_hold() -> None:
    rule = compile_rule(
        _rule(
            {
                "conditions": [
                    {"kind": "keyword", "values": ["غزة"]},
                    {"kind": "keyword", "values": ["مجلس الأمن", "الأمم المتحدة"]},
                ]
            }
        )
    )
    assert rule.match(_text("غزة", "في مجلس الامن")) is not None
    assert rule.match(_text("غزة", "في القاهرة")) is None


def test_scope_limits_a_rule_to_its_sources() -> None:
    rule = compile_rule(
        _rule({"conditions": [{"kind": "keyword", "values": ["غزة"]}], "sources": [2, 3]})
    )
    assert rule.match(_text("غزة", source_id=1)) is None
    assert rule.match(_text("غزة", source_id=3)) is not None


def test_entities_are_compared_normalized() -> None:
    rule = compile_rule(
        _rule({"conditions": [{"kind": "entity", "values": ["الأمم المتحدة", "Hamas"]}]})
    )
    assert rule.match(_text("x", entities=("الامم  المتحده",))) is not None
    assert rule.match(_text("x", entities=("hamas",))) is not None
    assert rule.match(_text("الأمم المتحدة", entities=())) is None  # entities, not words


def test_a_regex_searches_the_normalized_text() -> None:
    rule = compile_rule(
        _rule({"conditions": [{"kind": "regex", "values": [r"مقتل\s+\d+\s+(شخصا|أشخاص)"]}]})
    )
    match = rule.match(_text("عاجل", "أعلن عن مَقتل ٣ أشخاص في"))
    assert match is not None and match.matched == ("مقتل 3 اشخاص",)
    assert rule.match(_text("عاجل", "مقتل شخص واحد")) is None


def test_a_regex_written_with_hamza_and_ta_marbuta_finds_other_spellings() -> None:
    rule = compile_rule(_rule({"conditions": [{"kind": "regex", "values": ["الأمم المتحدة"]}]}))
    assert rule.match(_text("بيان", "قالت الامم المتحده")) is not None


def test_a_match_carries_what_to_do() -> None:
    rule = Rule(
        9,
        rule_from_data(
            {
                "name": "رياضة",
                "action": "hide",
                "conditions": [{"kind": "keyword", "values": ["كرة"]}],
            }
        ),
        NOW,
    )
    match = compile_rule(rule).match(_text("كرة القدم"))
    assert match is not None
    assert (match.rule_id, match.action, match.label, match.name) == (9, "hide", "رياضة", "رياضة")
