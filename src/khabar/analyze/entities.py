"""Named entities of an article: people, organizations and places, with a type.

No Arabic NER model can be downloaded here, so this is built from what works offline and can
be checked: shipped gazetteers (:mod:`khabar.analyze.entity_data`, written by hand, plus names
seen often in news, mined from the ANT corpus), context patterns
(:mod:`khabar.analyze.entity_patterns`), and within-article aliases.

How an article is read (all pure, one pass of dict lookups per layer):

1. **Candidates** — at every token, the longest unambiguous gazetteer name (proclitics
   stripped, see :mod:`khabar.analyze.entity_text`), and every pattern mention (a title before
   a person, a head word before an organization or a place).
2. **Choice** — longest span first; on equal spans a known entity confirmed by a pattern, then
   a gazetteer name, then a new pattern name. Spans never overlap (no nested entities).
3. **Ambiguous names** of entities the article already names (``عون`` after ``ميشال عون``,
   ``الهلال`` after ``نادي الهلال``) are added where nothing else was chosen.
4. **Aliases** — a person found by a pattern or learned from the corpus is also found by the
   last word of the name (``بابادوبولوس`` after ``جورج بابادوبولوس``) or by ``بن X``.
5. **Merge** — mentions with one merge key (:func:`~khabar.analyze.entity_text.entity_key`:
   search normalization, the spelling table, ``عبد`` joined) are one entity; its variants are
   the spellings the article used.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from khabar.analyze.entity_data import EntityType, Gazetteer, Hit, Known, shipped_gazetteer
from khabar.analyze.entity_patterns import (
    Mention,
    NameRules,
    find_pattern_mentions,
    span_display,
)
from khabar.analyze.entity_text import Token, entity_key, tokens_of

__all__ = ["Entity", "EntityExtractor", "EntityType", "default_extractor", "extract_entities"]

_TIER: Final = {"pattern_known": 0, "gazetteer": 1, "pattern": 2, "alias": 3}
MIN_ALIAS_LETTERS: Final = 3


@dataclass(frozen=True, slots=True)
class Entity:
    """One entity an article names."""

    type: EntityType
    name: str
    """Canonical display form."""
    key: str
    """Normalized merge key (:func:`~khabar.analyze.entity_text.entity_key`)."""
    variants: tuple[str, ...]
    """The spellings the article used, in order of first use."""
    count: int
    """How many times the article names it (title included)."""


@dataclass(frozen=True, slots=True, eq=False)
class EntityExtractor:
    """Gazetteer + patterns + aliases; ``rules=None`` is the gazetteer-only baseline."""

    gazetteer: Gazetteer
    rules: NameRules | None

    def extract(self, title: str, text: str) -> list[Entity]:
        """The entities of an article, most mentioned first."""
        tokens = tokens_of(f"{title}\n{text}" if title else text)
        clear, any_hits = self.gazetteer.scan(tokens)
        mentions = self._choose(tokens, self._candidates(tokens, clear, any_hits))
        covered = _covered(mentions, len(tokens))
        mentions += self._confirmed_ambiguous(tokens, mentions, covered, any_hits)
        if self.rules is not None:
            mentions += self._aliases(tokens, mentions, covered)
        return self._merge(mentions)

    def _candidates(
        self,
        tokens: Sequence[Token],
        clear: Sequence[Hit | None],
        any_hits: Sequence[Hit | None],
    ) -> list[Mention]:
        found = []
        for i, hit in enumerate(clear):
            if hit is not None:
                known = self.gazetteer.entities[hit.entity]
                written = span_display(tokens, i, hit.end, hit.form)
                found.append(
                    Mention(i, hit.end, known.type, known.name, written, hit.entity, "gazetteer")
                )
        if self.rules is not None:
            found += find_pattern_mentions(tokens, self.gazetteer, self.rules, hits=any_hits)
        return found

    @staticmethod
    def _choose(tokens: Sequence[Token], candidates: list[Mention]) -> list[Mention]:
        def rank(m: Mention) -> tuple[int, int, int]:
            tier = "pattern_known" if m.source == "pattern" and m.entity is not None else m.source
            return (-(m.end - m.start), _TIER[tier], m.start)

        taken = [False] * len(tokens)
        chosen = []
        for mention in sorted(candidates, key=rank):
            if any(taken[mention.start : mention.end]):
                continue
            taken[mention.start : mention.end] = [True] * (mention.end - mention.start)
            chosen.append(mention)
        return chosen

    def _confirmed_ambiguous(
        self,
        tokens: Sequence[Token],
        mentions: list[Mention],
        covered: list[bool],
        any_hits: Sequence[Hit | None],
    ) -> list[Mention]:
        confirmed = {m.entity for m in mentions if m.entity is not None}
        if not confirmed:
            return []
        added = []
        for i, hit in enumerate(any_hits):
            if covered[i]:
                continue
            if hit is None or hit.entity not in confirmed or any(covered[i : hit.end]):
                continue
            known = self.gazetteer.entities[hit.entity]
            written = span_display(tokens, i, hit.end, hit.form)
            added.append(Mention(i, hit.end, known.type, known.name, written, hit.entity, "alias"))
            covered[i : hit.end] = [True] * (hit.end - i)
        return added

    def _aliases(
        self, tokens: Sequence[Token], mentions: list[Mention], covered: list[bool]
    ) -> list[Mention]:
        table = self._alias_table(tokens, mentions)
        if not table:
            return []
        firsts = {words[0] for words in table}
        added = []
        for i, token in enumerate(tokens):
            if covered[i] or firsts.isdisjoint(token.forms):
                continue
            for form_index, form in enumerate(token.forms):
                two = (form, tokens[i + 1].norm) if i + 1 < len(tokens) else None
                if two is not None and two in table and not covered[i + 1]:
                    added.append(_alias_mention(tokens, i, i + 2, form_index, table[two]))
                    covered[i : i + 2] = [True, True]
                    break
                if (form,) in table:
                    added.append(_alias_mention(tokens, i, i + 1, form_index, table[(form,)]))
                    covered[i] = True
                    break
        return added

    def _alias_table(
        self, tokens: Sequence[Token], mentions: list[Mention]
    ) -> dict[tuple[str, ...], Mention]:
        assert self.rules is not None
        table: dict[tuple[str, ...], Mention] = {}
        for m in mentions:
            if m.type != "person" or m.end - m.start < 2 or not self._aliasable(m):
                continue
            words = [t.norm for t in tokens[m.start : m.end]]
            last = words[-1]
            if (
                len(last) >= MIN_ALIAS_LETTERS
                and last not in self.rules.given
                and last not in self.rules.particles
                and last not in self.rules.compound
            ):
                table.setdefault((last,), m)
            if len(words) >= 3 and words[-2] in ("بن", "ابن"):
                table.setdefault(("بن", last), m)
        return table

    def _aliasable(self, mention: Mention) -> bool:
        if mention.entity is None:
            return True
        return self.gazetteer.entities[mention.entity].kind == "learned"

    def _merge(self, mentions: list[Mention]) -> list[Entity]:
        by_key: dict[str, list[Mention]] = defaultdict(list)
        for mention in sorted(mentions, key=lambda m: m.start):
            by_key[self._key(mention)].append(mention)
        entities = [self._entity(key, group) for key, group in by_key.items()]
        first = {key: group[0].start for key, group in by_key.items()}
        return sorted(entities, key=lambda e: (-e.count, first[e.key]))

    def _key(self, mention: Mention) -> str:
        if mention.entity is not None:
            return self.gazetteer.entities[mention.entity].key
        key = entity_key(mention.name)
        known = self._known_by_key().get(key)
        return known.key if known is not None else key

    def _known_by_key(self) -> dict[str, Known]:
        return _known_index(self.gazetteer)

    def _entity(self, key: str, group: list[Mention]) -> Entity:
        known = next(
            (self.gazetteer.entities[m.entity] for m in group if m.entity is not None), None
        ) or self._known_by_key().get(key)
        if known is not None:
            etype, name = known.type, known.name
        else:
            etype = Counter(m.type for m in group).most_common(1)[0][0]
            name = Counter(m.name for m in group).most_common(1)[0][0]
        variants = tuple(dict.fromkeys(m.written for m in group))
        return Entity(etype, name, key, variants, len(group))


def _alias_mention(
    tokens: Sequence[Token], start: int, end: int, form: int, of: Mention
) -> Mention:
    written = span_display(tokens, start, end, form)
    return Mention(start, end, of.type, of.name, written, of.entity, "alias")


def _covered(mentions: list[Mention], size: int) -> list[bool]:
    covered = [False] * size
    for m in mentions:
        covered[m.start : m.end] = [True] * (m.end - m.start)
    return covered


@functools.lru_cache(maxsize=4)
def _known_index(gazetteer: Gazetteer) -> dict[str, Known]:
    return {known.key: known for known in reversed(gazetteer.entities)}


@functools.cache
def default_extractor() -> EntityExtractor:
    """The shipped extractor: hand and learned gazetteers, patterns, aliases (built once)."""
    return EntityExtractor(shipped_gazetteer(), NameRules.shipped())


def extract_entities(title: str, text: str) -> list[Entity]:
    """People, organizations and places that ``title`` and ``text`` name, most mentioned
    first (see the module docstring for how)."""
    return default_extractor().extract(title, text)
