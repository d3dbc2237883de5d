"""The rules stage against storage: run the stored rules on each new article.

The writer calls :meth:`RuleEngine.apply` once per *new* article, after its copies are linked
and its story assigned. It stores the ``hide``/``mark`` hits (the article's ``hidden`` flag
and ``marks``) and queues the alerts; nothing here touches the network — webhooks are posted
later by :mod:`khabar.rules.webhook` from the runner's loop.

Story rules fire when the article is the one that brings its story's second outlet
(:func:`brought_second_outlet`): the story has just formed across outlets. A story alert is
raised once per rule and story (storage refuses a second one), so a replay cannot repeat it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from khabar.rules.alerts import RuleHit, article_alert, story_alert
from khabar.rules.match import CompiledRule, MatchInput, RuleMatch, compile_rule
from khabar.rules.model import Rule
from khabar.rules.patterns import PatternError
from khabar.types import Article, Story

if TYPE_CHECKING:
    from khabar.storage.protocol import StorageType

__all__ = ["EntitiesOf", "RuleEngine", "brought_second_outlet", "outlet_of", "story_match"]

log = logging.getLogger("khabar.rules")

EntitiesOf = Callable[[Article], Iterable[str]]
"""The entity keys of a stored article (none until articles carry entities)."""


def _no_entities(article: Article) -> Iterable[str]:
    return ()


def _now() -> datetime:
    return datetime.now(UTC)


def outlet_of(article: Article) -> str:
    """An article's outlet as stories count outlets (``khabar.stories.link``)."""
    return article.source_title or str(article.source_id)


def brought_second_outlet(article: Article, members: Sequence[Article]) -> bool:
    """Whether ``article`` made its story span two outlets: every other member of the story
    comes from one and the same other outlet."""
    others = {outlet_of(a) for a in members if a.id != article.id}
    return len(others) == 1 and outlet_of(article) not in others


def story_match(
    rule: CompiledRule, members: Sequence[Article], entities_of: EntitiesOf = _no_entities
) -> RuleMatch | None:
    """The rule's match on a story: it matches when one of the story's articles does (within
    the rule's sources); the matched values of every matching article are collected."""
    matches = [rule.match(_input(a, entities_of(a))) for a in members]
    found = [m for m in matches if m is not None]
    if not found:
        return None
    values = tuple(dict.fromkeys(v for m in found for v in m.matched))
    first = found[0]
    return RuleMatch(first.rule_id, first.name, first.action, first.label, values)


def _input(article: Article, entities: Iterable[str]) -> MatchInput:
    return MatchInput.of(article.title, article.text, article.source_id, entities)


class RuleEngine:
    """Applies the stored rules to new articles; one per writer (it caches compiled rules)."""

    def __init__(
        self,
        storage: StorageType,
        *,
        entities_of: EntitiesOf = _no_entities,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self._storage = storage
        self._entities_of = entities_of
        self._clock = clock
        self._compiled: dict[Rule, CompiledRule | None] = {}

    def apply(
        self, article: Article, story: Story | None = None, entities: Iterable[str] | None = None
    ) -> Article:
        """Run every rule on a new ``article`` (in ``story``); returns it as now stored.

        ``entities``: the article's entity keys when the caller has them at hand (the
        writer's analyzed article); else ``entities_of`` is asked.
        """
        rules = self._rules()
        if not rules:
            return article
        keys = self._entities_of(article) if entities is None else entities
        subject = _input(article, keys)
        matches = [m for r in rules if r.on == "article" and (m := r.match(subject)) is not None]
        article = self._record_hits(article, matches)
        now = self._clock()
        for match in matches:
            if match.action == "alert":
                target = self._target(rules, match.rule_id)
                self._storage.rules.add_alert(article_alert(match, article, target, now))
        story_rules = [r for r in rules if r.on == "story"]
        if story is not None and story_rules and len(story.outlets) == 2:
            self._story_alerts(story_rules, article, story, now)
        return article

    def _rules(self) -> list[CompiledRule]:
        stored = self._storage.rules.list_rules()
        known = self._compiled
        self._compiled = {r: known[r] if r in known else _compile(r) for r in stored}
        return [c for c in self._compiled.values() if c is not None]

    def _record_hits(self, article: Article, matches: Sequence[RuleMatch]) -> Article:
        hits = [
            RuleHit(m.rule_id, m.action, m.label)
            for m in matches
            if m.action == "hide" or m.action == "mark"
        ]
        return self._storage.rules.record_hits(article.id, hits) if hits else article

    def _story_alerts(
        self, rules: Sequence[CompiledRule], article: Article, story: Story, now: datetime
    ) -> None:
        members = self._storage.story_articles(story.id)
        if not brought_second_outlet(article, members):
            return
        for rule in rules:
            match = story_match(rule, members, self._entities_of)
            if match is not None:
                alert = story_alert(match, story, members, rule.rule.spec.webhook_url, now)
                self._storage.rules.add_alert(alert)

    @staticmethod
    def _target(rules: Sequence[CompiledRule], rule_id: int) -> str | None:
        return next(r.rule.spec.webhook_url for r in rules if r.rule.id == rule_id)


def _compile(rule: Rule) -> CompiledRule | None:
    try:
        return compile_rule(rule)
    except PatternError as exc:  # stored on a machine whose regex engine accepted it
        log.warning("rule %d (%s) skipped: %s", rule.id, rule.spec.name, exc.message_en)
        return None
