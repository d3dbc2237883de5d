"""Rules and alerts (media monitoring): keyword, entity and regex conditions on new articles
and newly formed stories, with the actions hide, mark and alert (in-app and signed webhooks).

- :mod:`khabar.rules.model` — rules as data, validated (:func:`rule_from_data`);
- :mod:`khabar.rules.match` — pure matching on the search analyzer's terms;
- :mod:`khabar.rules.patterns` — regex conditions with time limits;
- :mod:`khabar.rules.engine` — the writer's hook: run the rules on a new article;
- :mod:`khabar.rules.alerts` — alert values and their JSON;
- :mod:`khabar.rules.webhook` — delivery: HMAC-signed, retried with backoff, SSRF-guarded;
- :mod:`khabar.rules.book` — what the CLI and the web do with rules.
"""

from khabar.rules.alerts import Alert, DeliveryAttempt, NewAlert, RuleHit
from khabar.rules.book import RuleBook
from khabar.rules.engine import RuleEngine
from khabar.rules.match import MatchInput, RuleMatch, compile_rule
from khabar.rules.model import (
    Condition,
    InvalidRuleError,
    Rule,
    RuleSpec,
    rule_from_data,
    rule_to_data,
)
from khabar.rules.webhook import WebhookSender, alert_loop, sign, verify_signature

__all__ = [
    "Alert",
    "Condition",
    "DeliveryAttempt",
    "InvalidRuleError",
    "MatchInput",
    "NewAlert",
    "Rule",
    "RuleBook",
    "RuleEngine",
    "RuleHit",
    "RuleMatch",
    "RuleSpec",
    "WebhookSender",
    "alert_loop",
    "compile_rule",
    "rule_from_data",
    "rule_to_data",
    "sign",
    "verify_signature",
]
