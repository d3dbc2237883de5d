"""Matching rules against articles: pure functions over values, no storage, no network.

:class:`MatchInput` is an article as rules see it. Its terms come from the search analyzer
(``khabar.search.analyze``: the same normalization, tokenizer and light stemmer as search),
computed once and shared by every rule; its normalized text (for regex conditions) likewise.
:func:`compile_rule` turns a :class:`~khabar.rules.model.Rule` into a :class:`CompiledRule`
whose :meth:`~CompiledRule.match` says whether the article matches and which of the rule's
values were found.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from khabar.arabic.normalize import normalize
from khabar.rules.model import Action, Condition, Rule, RuleOn
from khabar.rules.patterns import SafePattern, compile_pattern
from khabar.search import analyze

__all__ = ["CompiledRule", "MatchInput", "RuleMatch", "compile_rule", "entity_key"]

MAX_MATCHED: Final = 20  # values reported per match


def entity_key(name: str) -> str:
    """How an entity name or key is compared: ``search``-normalized, spaces collapsed."""
    return " ".join(normalize(name, "search").split())


@dataclass(frozen=True)
class MatchInput:
    """One article as rules see it; the analyzed forms are computed on first use."""

    title: str
    text: str
    source_id: int
    entities: frozenset[str] = frozenset()
    """Entity keys, already passed through :func:`entity_key`."""

    @classmethod
    def of(cls, title: str, text: str, source_id: int, entities: Iterable[str] = ()) -> MatchInput:
        return cls(title, text, source_id, frozenset(entity_key(e) for e in entities if e))

    @functools.cached_property
    def _fields(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return tuple(analyze(self.title)), tuple(analyze(self.text))

    @functools.cached_property
    def term_set(self) -> frozenset[str]:
        title, text = self._fields
        return frozenset(title) | frozenset(text)

    @functools.cached_property
    def normalized(self) -> str:
        return normalize(f"{self.title}\n{self.text}", "search")

    def has_phrase(self, terms: tuple[str, ...]) -> bool:
        """Whether ``terms`` occur in this order, next to each other, in the title or text."""
        if not terms or not set(terms) <= self.term_set:
            return False
        if len(terms) == 1:
            return True
        return any(_contains(field_terms, terms) for field_terms in self._fields)


@dataclass(frozen=True, slots=True)
class RuleMatch:
    """A rule that matched: what to do and which of its values were found."""

    rule_id: int
    name: str
    action: Action
    label: str
    matched: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _CompiledCondition:
    condition: Condition
    keywords: tuple[tuple[str, ...], ...] = ()
    entities: tuple[str, ...] = ()
    patterns: tuple[SafePattern, ...] = ()

    def found(self, subject: MatchInput) -> tuple[str, ...] | None:
        """The values found (each as written in the rule, or the regex's matched text), or
        None when the condition does not hold."""
        hits = self._hits(subject)
        found = [h for h in hits if h is not None]
        wanted_all = self.condition.match == "all"
        if not found or (wanted_all and len(found) < len(hits)):
            return None
        return tuple(found)

    def _hits(self, subject: MatchInput) -> list[str | None]:
        values = self.condition.values
        if self.condition.kind == "keyword":
            return [
                v if subject.has_phrase(t) else None
                for v, t in zip(values, self.keywords, strict=True)
            ]
        if self.condition.kind == "entity":
            return [
                v if k in subject.entities else None
                for v, k in zip(values, self.entities, strict=True)
            ]
        return [p.first_match(subject.normalized) for p in self.patterns]


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A stored rule ready to run; build with :func:`compile_rule`."""

    rule: Rule
    conditions: tuple[_CompiledCondition, ...] = field(default=())

    @property
    def on(self) -> RuleOn:
        return self.rule.spec.on

    def in_scope(self, source_id: int) -> bool:
        sources = self.rule.spec.sources
        return not sources or source_id in sources

    def match(self, subject: MatchInput) -> RuleMatch | None:
        """The match on ``subject``, or None: out of scope, or a condition does not hold."""
        if not self.in_scope(subject.source_id):
            return None
        matched: list[str] = []
        for condition in self.conditions:
            found = condition.found(subject)
            if found is None:
                return None
            matched.extend(found)
        spec = self.rule.spec
        values = tuple(dict.fromkeys(matched))[:MAX_MATCHED]
        return RuleMatch(self.rule.id, spec.name, spec.action, spec.shown_label, values)


def compile_rule(rule: Rule) -> CompiledRule:
    """Analyze a rule's keywords and compile its patterns once."""
    return CompiledRule(rule, tuple(_compile_condition(c) for c in rule.spec.conditions))


def _compile_condition(condition: Condition) -> _CompiledCondition:
    if condition.kind == "keyword":
        return _CompiledCondition(condition, keywords=tuple(_phrase(v) for v in condition.values))
    if condition.kind == "entity":
        return _CompiledCondition(
            condition, entities=tuple(entity_key(v) for v in condition.values)
        )
    patterns = tuple(compile_pattern(v) for v in condition.values)
    return _CompiledCondition(condition, patterns=patterns)


def _phrase(value: str) -> tuple[str, ...]:
    return tuple(analyze(value))


def _contains(sequence: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    first, size = phrase[0], len(phrase)
    return any(
        sequence[i : i + size] == phrase
        for i, term in enumerate(sequence[: len(sequence) - size + 1])
        if term == first
    )
