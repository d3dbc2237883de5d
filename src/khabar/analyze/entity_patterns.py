"""Context patterns: names that no gazetteer lists, found by the words around them.

Rules are data (``data/entities/patterns.toml``, ``given_names.txt``):

- **people** — a title (الرئيس، الملك، الشيخ، وزير، المدرب، الفنانة …), then a *chain* of
  modifiers (definite words: الأمريكي، الخارجية، السابق; office words: باسم، لشؤون، خارجية;
  known places and organizations: "رئيس وزراء بريطانيا"), an optional comma, then the name:
  a known person, or 1–:attr:`NameRules.max_name` name words (given names, words of known
  names, particles بن/أبو/عبد/آل/دي …, the second part of a compound such as الدين/الله, or a
  word rare in news that does not look like a verb).
- **organizations** — a head word and what completes it: "وزارة الخارجية الأمريكية" (a chain
  of definite words after وزارة، مجلس، حزب …), "شركة آبل" / "صحيفة «الغارديان»" (a known or
  quoted or rare name after شركة، صحيفة، نادي …), "الجيش الإسرائيلي" (a definite head and a
  nisba adjective; for heads such as الحكومة only a country's nisba).
- **places** — a place word and a name: "مدينة الرقة", "محافظة إدلب", "مخيم اليرموك".

A known entity found right after a title or head word is *confirmed* (its ambiguous names
count: "الرئيس عون", "نادي الهلال", "مدينة صور"). Patterns return every mention they find;
:mod:`khabar.analyze.entities` resolves overlaps with the gazetteer hits. The patterns live
in :mod:`khabar.analyze.entity_people` and :mod:`khabar.analyze.entity_bodies`; the rule tables
in :mod:`khabar.analyze.entity_rules`.
"""

from __future__ import annotations

from collections.abc import Sequence

from khabar.analyze.entity_bodies import definite_organization_at, organization_at, place_at
from khabar.analyze.entity_data import Gazetteer, Hit
from khabar.analyze.entity_people import given_name_person_at, person_at
from khabar.analyze.entity_rules import Context, Mention, NameRules, span_display
from khabar.analyze.entity_text import Token

__all__ = ["Mention", "NameRules", "find_pattern_mentions", "span_display"]


def find_pattern_mentions(
    tokens: Sequence[Token],
    gazetteer: Gazetteer,
    rules: NameRules,
    *,
    mining: bool = False,
    hits: Sequence[Hit | None] | None = None,
) -> list[Mention]:
    """Every person, organization and place the context patterns find in ``tokens``.

    ``mining`` accepts unknown name words up to ``rules.mining_df`` documents instead of
    ``rules.rare_df`` (for :mod:`khabar.analyze.entity_corpus`, which keeps only names found
    in several articles). ``hits``: the gazetteer's ambiguous-or-not hits per token, when the
    caller has them (:meth:`Gazetteer.scan`)."""
    if hits is None:
        hits = gazetteer.scan(tokens)[1]
    limit = rules.mining_df if mining else rules.rare_df
    ctx = Context(tokens, gazetteer, rules, limit, hits)
    triggers = rules.triggers
    found = []
    for i, token in enumerate(tokens):
        if triggers.isdisjoint(token.forms):
            continue
        forms = set(token.forms)
        after_title = i > 0 and bool(set(tokens[i - 1].forms) & rules.titles)
        if forms & rules.titles:
            found.append(person_at(ctx, i))
        elif forms & rules.starters and not after_title:
            found.append(given_name_person_at(ctx, i))
        if forms & (rules.org_heads | rules.org_name_heads):
            found.append(organization_at(ctx, i))
        if token.bare in rules.org_definite_heads and not after_title:
            found.append(definite_organization_at(ctx, i))
        if forms & rules.place_heads:
            found.append(place_at(ctx, i))
    return [m for m in found if m is not None]
