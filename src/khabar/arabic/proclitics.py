"""Proclitic stripping: و/ف + ب/ك/ل + ال chains in front of an Arabic word.

Snowball Arabic misses chains (والمدرسة keeps its و) and strips a first letter that belongs to
the word (فلسطين → لسط, وزارة → زار), so ``الوزارة`` and ``وزارة`` no longer meet. Here:

1. an article chain (وال، فبال، لل، ال …) is stripped when at least ``min_stem`` letters stay,
   and nothing more is stripped in front after it;
2. otherwise at most one conjunction (و ف) and then one preposition (ب ك ل) are stripped,
   each only if the word's suffix-stripped form is not in the *protected* list — words whose
   first letter is a root letter (وزير، فريق، بيان، كتاب، لبنان). The list is data, derived
   from news text (``python -m khabar.arabic.build_protected``).

A word not in the list whose first letter is a root letter loses it, the same way in the index
and in the query; only its article form (``ال`` + word) then stems differently.
"""

from __future__ import annotations

from khabar.arabic.affixes import AffixRules, load_rules

__all__ = ["strip_proclitics", "strip_suffixes"]


def strip_proclitics(word: str, rules: AffixRules | None = None) -> str:
    """``word`` without its proclitics (``word`` is in the ``stem`` normalization profile)."""
    r = rules or load_rules()
    for chain in r.article_chains:
        if word.startswith(chain) and len(word) - len(chain) >= r.min_stem:
            rest = word[len(chain) :]
            # ل + اللجنة is written للجنة: the chain took the word's own ل.
            if chain.endswith("لل") and _is_protected("ل" + rest, r):
                return "ل" + rest
            return rest
    word = _strip_one(word, r.conjunctions, r)
    return _strip_one(word, r.prepositions, r)


def _strip_one(word: str, letters: frozenset[str], r: AffixRules) -> str:
    if len(word) <= r.min_stem or word[0] not in letters:
        return word
    return word if _is_protected(word, r) else word[1:]


def _is_protected(word: str, r: AffixRules) -> bool:
    return word in r.protected or strip_suffixes(word, r) in r.protected


def strip_suffixes(word: str, rules: AffixRules | None = None) -> str:
    """``word`` without its suffixes: each listed suffix at most once, in order."""
    r = rules or load_rules()
    for suffix in r.suffixes:
        if word.endswith(suffix) and len(word) - len(suffix) >= r.min_stem:
            if suffix in r.radical_endings and word in r.protected_endings:
                continue
            word = word[: -len(suffix)]
    return word
