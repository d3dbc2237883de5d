"""Rules on articles stored through the real writer: hide, mark, alert, scope, new stories."""

from __future__ import annotations

import json

import pytest
from tests.integration.rules.conftest import Newsroom
from tests.support.events import FINAL, QUAKE_A, QUAKE_B, QUAKE_C

from khabar.rules import InvalidRuleError, RuleBook
from khabar.service import Khabar
from khabar.settings import Settings
from khabar.storage import ArticleFilter


def _book(service: Khabar, settings: Settings) -> RuleBook:
    return RuleBook(service.storage, settings)


def _keyword_rule(name: str, action: str, *words: str, **extra: object) -> dict[str, object]:
    return {
        "name": name,
        "action": action,
        "conditions": [{"kind": "keyword", "values": list(words)}],
        **extra,
    }


def test_hide_and_mark_rules_act_on_new_articles(
    newsroom: Newsroom, service: Khabar, settings: Settings
) -> None:
    book = _book(service, settings)
    book.add(_keyword_rule("بلا رياضة", "hide", "دوري أبطال أوروبا"))
    book.add(_keyword_rule("زلازل", "mark", "الزلزال", label="زلزال"))
    final = newsroom.publish("العربية", "f1", "ريال مدريد بطلا لأوروبا", FINAL)
    quake = newsroom.publish("العربية", "q1", "زلزال جنوب تركيا", QUAKE_A, hours=1)
    assert final.hidden and final.marks == ()
    assert quake.marks == ("زلزال",) and not quake.hidden
    listed = [a.id for a in service.articles()]
    assert final.id not in listed and quake.id in listed
    assert service.search("ريال مدريد").total == 0
    assert service.search("هاتاي").total == 1
    everything = service.storage.list_articles(ArticleFilter(include_hidden=True))
    assert final.id in [a.id for a in everything]


def test_rules_apply_to_articles_stored_after_them_only(
    newsroom: Newsroom, service: Khabar, settings: Settings
) -> None:
    before = newsroom.publish("العربية", "q1", "زلزال جنوب تركيا", QUAKE_A)
    _book(service, settings).add(_keyword_rule("زلازل", "hide", "زلزال"))
    after = newsroom.publish("بي بي سي", "q2", "زلزال في هاتاي", QUAKE_B, hours=1)
    assert not service.article(before.id).hidden and after.hidden


def test_an_alert_rule_queues_one_alert_per_matching_article_in_its_sources(
    newsroom: Newsroom, service: Khabar, settings: Settings
) -> None:
    watched = newsroom.source("بي بي سي")
    rule = _book(service, settings).add(
        _keyword_rule("هاتاي", "alert", "هاتاي", "أنطاكية", sources=[watched.id])
    )
    newsroom.publish("العربية", "q1", "زلزال جنوب تركيا", QUAKE_A)  # not a watched source
    article = newsroom.publish("بي بي سي", "q2", "زلزال في هاتاي", QUAKE_B, hours=1)
    newsroom.engine.apply(article)  # a replayed write never alerts twice
    [alert] = service.storage.rules.list_alerts()
    assert alert.rule_id == rule.id and alert.kind == "article" and alert.subject_id == article.id
    assert alert.matched == ("هاتاي", "أنطاكية") and alert.state == "in_app"  # أنطاكيا too
    payload = json.loads(alert.payload)
    assert payload["article"]["source"] == "بي بي سي" and payload["matched"] == ["هاتاي", "أنطاكية"]


def test_a_story_rule_fires_once_when_a_story_first_spans_two_outlets(
    newsroom: Newsroom, service: Khabar, settings: Settings
) -> None:
    rule = _book(service, settings).add(
        {
            "name": "زلازل متعددة المصادر",
            "action": "alert",
            "on": "story",
            "conditions": [{"kind": "keyword", "values": ["زلزال"]}],
        }
    )
    first = newsroom.publish("العربية", "a1", "زلزال بقوة ست درجات يضرب جنوب تركيا", QUAKE_A)
    newsroom.publish("سكاي نيوز", "s1", "نهائي دوري الأبطال: ريال مدريد بطلا", FINAL, hours=1)
    assert service.storage.rules.list_alerts() == []
    second = newsroom.publish("بي بي سي", "b1", "زلزال في هاتاي التركية وانهيار مبان", QUAKE_B, 2)
    assert second.story_id == first.story_id
    newsroom.publish("فرانس 24", "f1", "ارتفاع ضحايا زلزال هاتاي", QUAKE_C, hours=3)
    [alert] = service.storage.rules.list_alerts()
    assert alert.rule_id == rule.id and alert.kind == "story"
    assert alert.subject_id == first.story_id and alert.matched == ("زلزال",)
    story = json.loads(alert.payload)["story"]
    assert story["outlets"] == ["العربية", "بي بي سي"]
    assert [a["id"] for a in story["articles"]] == [first.id, second.id]


def test_a_story_rule_without_conditions_alerts_on_every_new_multi_outlet_story(
    newsroom: Newsroom, service: Khabar, settings: Settings
) -> None:
    _book(service, settings).add({"name": "كل قصة", "action": "alert", "on": "story"})
    newsroom.publish("العربية", "a1", "زلزال بقوة ست درجات يضرب جنوب تركيا", QUAKE_A)
    newsroom.publish("العربية", "a2", "زلزال في هاتاي التركية وانهيار مبان", QUAKE_B, hours=1)
    assert service.storage.rules.list_alerts() == []  # one outlet, however many articles
    newsroom.publish("بي بي سي", "b1", "ارتفاع ضحايا زلزال هاتاي", QUAKE_C, hours=2)
    assert [a.kind for a in service.storage.rules.list_alerts()] == ["story"]


def test_adding_a_rule_checks_sources_secret_and_target(
    service: Khabar, settings: Settings
) -> None:
    book = _book(service, settings)
    with pytest.raises(InvalidRuleError) as caught:
        book.add(_keyword_rule("x", "hide", "غزة", sources=[99]))
    assert caught.value.field == "sources[0]"
    no_secret = RuleBook(service.storage, settings.replace(webhook_secret=""))
    with pytest.raises(InvalidRuleError) as caught:
        no_secret.add(_keyword_rule("x", "alert", "غزة", webhook_url="https://hooks.example/"))
    assert caught.value.field == "webhook_secret"
    with pytest.raises(InvalidRuleError) as caught:
        book.add(_keyword_rule("x", "alert", "غزة", webhook_url="http://169.254.169.254/latest"))
    assert caught.value.field == "webhook_url" and "link-local" in caught.value.message_en
    assert book.rules() == []
