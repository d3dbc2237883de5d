"""Rules as data: what a user asks Khabar to watch for, and what to do on a match.

A rule is a frozen :class:`RuleSpec`, stored as JSON (:func:`rule_to_data`) and read back
through the same validation (:func:`rule_from_data`), so a stored rule is always one that
could have been typed. The data form::

    {"name": "غزة في الأمم المتحدة", "action": "alert", "on": "article",
     "conditions": [{"kind": "keyword", "values": ["غزة"]},
                    {"kind": "keyword", "values": ["الأمم المتحدة", "مجلس الأمن"], "match": "any"}],
     "sources": [1, 4], "webhook_url": "https://hooks.example/khabar", "webhook_secret": "…"}

- ``conditions``: every condition must hold (AND); inside one condition ``match`` says
  whether ``any`` (default) or ``all`` of its values must be found. Kinds: ``keyword`` (words
  or phrases, matched on the search analyzer's terms: أ/ا, ة/ه, ى/ي, harakat and و/ال/ب/ل
  prefixes never matter), ``entity`` (entity keys or names, compared normalized), ``regex``
  (patterns searched in the ``search``-normalized title and text; see
  :mod:`khabar.rules.patterns` for the safety limits).
- ``sources``: source ids the rule looks at; empty means every source.
- ``action``: ``hide`` (the article leaves lists and search), ``mark`` (lists show ``label``,
  default the name), ``alert`` (an entry on the alerts page, and a signed webhook POST when
  ``webhook_url`` is set).
- ``on``: ``article`` (each new article) or ``story`` (a story the moment it first reaches two
  outlets; only ``alert``; it fires when one of the story's articles matches, and with no
  conditions for every such story).

Errors are :class:`InvalidRuleError` naming the field (``conditions[1].values[0]``) in
English and Arabic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final, Literal, TypeVar, cast

import httpx

from khabar.errors import InvalidInputError
from khabar.rules.patterns import PatternError, check_pattern

__all__ = [
    "ACTIONS",
    "CONDITION_KINDS",
    "Action",
    "Condition",
    "ConditionKind",
    "InvalidRuleError",
    "MatchMode",
    "Rule",
    "RuleOn",
    "RuleSpec",
    "rule_from_data",
    "rule_to_data",
]

ConditionKind = Literal["keyword", "entity", "regex"]
MatchMode = Literal["any", "all"]
Action = Literal["hide", "mark", "alert"]
RuleOn = Literal["article", "story"]

CONDITION_KINDS: Final[tuple[ConditionKind, ...]] = ("keyword", "entity", "regex")
ACTIONS: Final[tuple[Action, ...]] = ("hide", "mark", "alert")
MATCH_MODES: Final[tuple[MatchMode, ...]] = ("any", "all")
RULE_ON: Final[tuple[RuleOn, ...]] = ("article", "story")

MAX_NAME: Final = 120
MAX_LABEL: Final = 40
MAX_CONDITIONS: Final = 10
MAX_VALUES: Final = 50
MAX_VALUE_LENGTH: Final = 200
MAX_SOURCES: Final = 500
MAX_URL: Final = 2000
MAX_SECRET: Final = 200
_KEYS: Final = frozenset(
    {"name", "action", "on", "conditions", "sources", "label", "webhook_url", "webhook_secret"}
)
_CONDITION_KEYS: Final = frozenset({"kind", "values", "match"})
_T = TypeVar("_T", bound=str)


class InvalidRuleError(InvalidInputError):
    """A rule cannot be accepted; ``field`` names the part (``conditions[0].values``)."""

    def __init__(self, field_name: str, message_en: str, message_ar: str) -> None:
        self.field = field_name
        self.message_en = f"{field_name}: {message_en}"
        self.message_ar = f"{field_name}: {message_ar}"
        super().__init__(f"invalid rule: {self.message_en}")


@dataclass(frozen=True, slots=True)
class Condition:
    kind: ConditionKind
    values: tuple[str, ...]
    match: MatchMode = "any"


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """What a rule asks for (see the module docstring)."""

    name: str
    action: Action
    conditions: tuple[Condition, ...] = ()
    sources: tuple[int, ...] = ()
    on: RuleOn = "article"
    label: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)

    @property
    def shown_label(self) -> str:
        """What a ``mark`` rule shows next to an article."""
        return self.label or self.name[:MAX_LABEL]


@dataclass(frozen=True, slots=True)
class Rule:
    """A stored rule."""

    id: int
    spec: RuleSpec
    created_at: datetime


# --- reading -----------------------------------------------------------------------------


def rule_from_data(data: Mapping[str, object], *, stored: bool = False) -> RuleSpec:
    """Validate ``data`` (the JSON form) into a :class:`RuleSpec`; raise InvalidRuleError.

    ``stored``: the data was validated when it was stored; the costly checks of each value
    (analyzing keywords, compiling patterns) are skipped, the shape is still checked.
    """
    if not isinstance(data, Mapping):
        raise InvalidRuleError("rule", "must be an object", "يجب أن تكون القاعدة كائناً")
    _no_unknown_keys(data, _KEYS, "rule")
    action = _choice(data.get("action"), ACTIONS, "action")
    on = _choice(data.get("on", "article"), RULE_ON, "on")
    conditions = _conditions(data.get("conditions", []), check_values=not stored)
    spec = RuleSpec(
        name=_text(data.get("name"), "name", MAX_NAME, required=True) or "",
        action=action,
        conditions=conditions,
        sources=_sources(data.get("sources", [])),
        on=on,
        label=_text(data.get("label"), "label", MAX_LABEL),
        webhook_url=_webhook_url(data.get("webhook_url")),
        webhook_secret=_text(data.get("webhook_secret"), "webhook_secret", MAX_SECRET),
    )
    _check_combination(spec)
    return spec


def rule_to_data(spec: RuleSpec, *, with_secret: bool = True) -> dict[str, object]:
    """The JSON form of ``spec``; ``with_secret=False`` masks the webhook secret."""
    secret = spec.webhook_secret
    if secret and not with_secret:
        secret = "********"
    return {
        "name": spec.name,
        "action": spec.action,
        "on": spec.on,
        "conditions": [
            {"kind": c.kind, "values": list(c.values), "match": c.match} for c in spec.conditions
        ],
        "sources": list(spec.sources),
        "label": spec.label,
        "webhook_url": spec.webhook_url,
        "webhook_secret": secret,
    }


def _check_combination(spec: RuleSpec) -> None:
    if spec.on == "story" and spec.action != "alert":
        raise InvalidRuleError(
            "action",
            "rules on stories can only alert",
            "القواعد الخاصة بالقصص لا تملك إلا التنبيه (alert)",
        )
    if spec.on == "article" and not spec.conditions:
        raise InvalidRuleError(
            "conditions",
            "an article rule needs at least one condition",
            "تحتاج قاعدة المقالات إلى شرط واحد على الأقل",
        )
    if spec.action != "alert" and (spec.webhook_url or spec.webhook_secret):
        raise InvalidRuleError(
            "webhook_url",
            "only alert rules post webhooks",
            "لا تُرسل خطافات الويب إلا قواعد التنبيه (alert)",
        )


def _conditions(raw: object, *, check_values: bool) -> tuple[Condition, ...]:
    items = _list(raw, "conditions", MAX_CONDITIONS)
    return tuple(_condition(item, f"conditions[{i}]", check_values) for i, item in enumerate(items))


def _condition(raw: object, where: str, check_values: bool) -> Condition:
    if not isinstance(raw, Mapping):
        raise InvalidRuleError(where, "must be an object", "يجب أن يكون الشرط كائناً")
    _no_unknown_keys(raw, _CONDITION_KEYS, where)
    kind = _choice(raw.get("kind"), CONDITION_KINDS, f"{where}.kind")
    match = _choice(raw.get("match", "any"), MATCH_MODES, f"{where}.match")
    items = _list(raw.get("values"), f"{where}.values", MAX_VALUES)
    if not items:
        raise InvalidRuleError(f"{where}.values", "needs at least one value", "يلزم قيمة واحدة")
    values = tuple(
        _value(item, kind, f"{where}.values[{i}]", check_values) for i, item in enumerate(items)
    )
    return Condition(kind, tuple(dict.fromkeys(values)), match)


def _value(raw: object, kind: ConditionKind, where: str, check: bool) -> str:
    value = _text(raw, where, MAX_VALUE_LENGTH, required=True) or ""
    if not check:
        return value
    if kind == "keyword":
        from khabar.search import analyze  # the search analyzer is heavy to import

        if not analyze(value):
            raise InvalidRuleError(where, "has no word to look for", "لا تحوي كلمة يمكن البحث عنها")
    elif kind == "regex":
        try:
            check_pattern(value)
        except PatternError as exc:
            raise InvalidRuleError(where, exc.message_en, exc.message_ar) from exc
    return value


def _sources(raw: object) -> tuple[int, ...]:
    items = _list(raw, "sources", MAX_SOURCES)
    ids: list[int] = []
    for i, item in enumerate(items):
        if isinstance(item, bool) or not isinstance(item, int | str):
            raise InvalidRuleError(f"sources[{i}]", "must be a source id", "يجب أن يكون رقم مصدر")
        text = str(item).strip()
        if not text.isdigit() or int(text) <= 0:
            raise InvalidRuleError(f"sources[{i}]", "must be a source id", "يجب أن يكون رقم مصدر")
        ids.append(int(text))
    return tuple(sorted(set(ids)))


def _webhook_url(raw: object) -> str | None:
    url = _text(raw, "webhook_url", MAX_URL)
    if url is None:
        return None
    try:
        parts = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise InvalidRuleError("webhook_url", "is not a URL", "ليس عنواناً صالحاً") from exc
    if parts.scheme not in ("http", "https") or not parts.host:
        raise InvalidRuleError(
            "webhook_url", "must be an http(s) URL", "يجب أن يكون عنوان http أو https"
        )
    return url


# --- small readers -----------------------------------------------------------------------


def _no_unknown_keys(data: Mapping[str, object], known: frozenset[str], where: str) -> None:
    unknown = sorted(str(k) for k in data if k not in known)
    if unknown:
        raise InvalidRuleError(
            f"{where}.{unknown[0]}" if where != "rule" else unknown[0],
            f"unknown field (known: {', '.join(sorted(known))})",
            "حقل غير معروف",
        )


def _choice(raw: object, choices: Sequence[_T], where: str) -> _T:
    if isinstance(raw, str) and raw.strip() in choices:
        return cast(_T, raw.strip())
    shown = " | ".join(choices)
    raise InvalidRuleError(where, f"must be one of {shown}", f"يجب أن يكون أحد: {shown}")


def _list(raw: object, where: str, most: int) -> list[object]:
    if raw is None:
        return []
    if isinstance(raw, str) or not isinstance(raw, Sequence):
        raise InvalidRuleError(where, "must be a list", "يجب أن تكون قائمة")
    if len(raw) > most:
        raise InvalidRuleError(where, f"at most {most} items", f"{most} عنصراً على الأكثر")
    return list(raw)


def _text(raw: object, where: str, longest: int, *, required: bool = False) -> str | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            raise InvalidRuleError(where, "is required", "حقل مطلوب")
        return None
    if not isinstance(raw, str):
        raise InvalidRuleError(where, "must be text", "يجب أن يكون نصاً")
    text = " ".join(raw.split()) if "\n" in raw or "\t" in raw else raw.strip()
    if len(text) > longest:
        raise InvalidRuleError(where, f"at most {longest} characters", f"{longest} حرفاً على الأكثر")
    return text
