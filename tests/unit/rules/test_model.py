"""Rules as data: validation names the field at fault; the JSON form round-trips."""

from __future__ import annotations

from typing import Any

import pytest

from khabar.errors import InvalidInputError
from khabar.rules import Condition, InvalidRuleError, RuleSpec, rule_from_data, rule_to_data

GOOD: dict[str, Any] = {
    "name": "غزة في الأمم المتحدة",
    "action": "alert",
    "conditions": [
        {"kind": "keyword", "values": ["غزة"]},
        {"kind": "regex", "values": [r"مجلس\s+الامن"], "match": "all"},
    ],
    "sources": [4, "1", 4],
    "webhook_url": "https://hooks.example/khabar",
    "webhook_secret": "s3cret",
}


def test_a_good_rule_is_read_and_round_trips() -> None:
    spec = rule_from_data(GOOD)
    assert spec == RuleSpec(
        name="غزة في الأمم المتحدة",
        action="alert",
        conditions=(
            Condition("keyword", ("غزة",)),
            Condition("regex", (r"مجلس\s+الامن",), "all"),
        ),
        sources=(1, 4),
        webhook_url="https://hooks.example/khabar",
        webhook_secret="s3cret",
    )
    assert rule_from_data(rule_to_data(spec)) == spec
    assert rule_to_data(spec, with_secret=False)["webhook_secret"] == "********"
    assert "s3cret" not in repr(spec)


def test_a_mark_shows_its_label_else_its_name() -> None:
    keyword = [{"kind": "keyword", "values": ["غزة"]}]
    assert rule_from_data({"name": "غزة", "action": "mark", "conditions": keyword}).shown_label == (
        "غزة"
    )
    labelled = {"name": "غزة", "action": "mark", "conditions": keyword, "label": "متابعة"}
    assert rule_from_data(labelled).shown_label == "متابعة"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"name": "  "}, "name"),
        ({"name": None}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"action": "delete"}, "action"),
        ({"on": "section"}, "on"),
        ({"colour": "red"}, "colour"),
        ({"conditions": "غزة"}, "conditions"),
        ({"conditions": []}, "conditions"),
        ({"conditions": [{"kind": "sound", "values": ["x"]}]}, "conditions[0].kind"),
        ({"conditions": [{"kind": "keyword", "values": []}]}, "conditions[0].values"),
        ({"conditions": [{"kind": "keyword"}]}, "conditions[0].values"),
        ({"conditions": [{"kind": "keyword", "values": ["غزة", 5]}]}, "conditions[0].values[1]"),
        ({"conditions": [{"kind": "keyword", "values": ["،!"]}]}, "conditions[0].values[0]"),
        (
            {"conditions": [{"kind": "keyword", "values": ["x"], "match": "most"}]},
            "conditions[0].match",
        ),
        (
            {"conditions": [{"kind": "keyword", "values": ["x"], "mode": "any"}]},
            "conditions[0].mode",
        ),
        ({"conditions": [{"kind": "regex", "values": ["(غزة"]}]}, "conditions[0].values[0]"),
        ({"conditions": [{"kind": "regex", "values": [r"(\w)\1"]}]}, "conditions[0].values[0]"),
        ({"conditions": [{"kind": "keyword", "values": ["x"] * 51}]}, "conditions[0].values"),
        ({"sources": [0]}, "sources[0]"),
        ({"sources": ["abc"]}, "sources[0]"),
        ({"sources": [True]}, "sources[0]"),
        ({"webhook_url": "ftp://hooks.example/"}, "webhook_url"),
        ({"webhook_url": "https://"}, "webhook_url"),
    ],
)
def test_a_bad_rule_is_refused_naming_its_field(change: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidRuleError) as caught:
        rule_from_data(GOOD | change)
    assert caught.value.field == field
    assert caught.value.message_en.startswith(f"{field}: ")
    assert caught.value.message_ar.startswith(f"{field}: ")
    assert isinstance(caught.value, InvalidInputError)


def test_story_rules_only_alert_and_may_have_no_condition() -> None:
    spec = rule_from_data({"name": "كل قصة", "action": "alert", "on": "story"})
    assert spec.on == "story" and spec.conditions == ()
    with pytest.raises(InvalidRuleError) as caught:
        rule_from_data({"name": "x", "action": "hide", "on": "story"})
    assert caught.value.field == "action"


def test_only_alert_rules_have_webhooks() -> None:
    with pytest.raises(InvalidRuleError) as caught:
        rule_from_data(GOOD | {"action": "mark"})
    assert caught.value.field == "webhook_url"


def test_stored_rules_skip_the_costly_value_checks() -> None:
    stored = GOOD | {"conditions": [{"kind": "regex", "values": ["((a+)+"]}]}
    assert rule_from_data(stored, stored=True).conditions[0].values == ("((a+)+",)
    with pytest.raises(InvalidRuleError):
        rule_from_data(stored)
