"""The context patterns' rule tables and what every pattern reads.

Rules are data (``data/entities/patterns.toml``, ``given_names.txt``): titles, head words,
particles, stop words, given names and the rarity thresholds, normalized once
(:class:`NameRules`). :class:`Context` is one article's tokens with its gazetteer hits; the
helpers here (rare name-like words, nisba adjectives, mention building) are shared by the people
patterns (:mod:`khabar.analyze.entity_people`) and the organization and place patterns
(:mod:`khabar.analyze.entity_bodies`).
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, Final, Literal

from khabar.analyze.entity_data import EntityType, Gazetteer, Hit
from khabar.analyze.entity_text import Token
from khabar.analyze.keywords import DocFrequencies, shipped_frequencies
from khabar.arabic.normalize import normalize
from khabar.arabic.stopwords import is_stopword
from khabar.search.analyzer import term

__all__ = [
    "NISBA_ENDINGS",
    "Context",
    "Mention",
    "NameRules",
    "is_nisba",
    "known_mention",
    "matching_form",
    "rare_name_like",
    "span_display",
    "verb_like",
]

Source = Literal["gazetteer", "pattern", "alias"]
_LONG_VOWELS: Final = frozenset("اوي")
NISBA_ENDINGS: Final = ("يه", "ي", "يين", "يون")


@dataclass(frozen=True, slots=True)
class Mention:
    """A name found at tokens ``start`` … ``end - 1``."""

    start: int
    end: int
    type: EntityType
    name: str
    """Canonical display name (the gazetteer's, or the pattern's name as written)."""
    written: str
    """The span as the text writes it (proclitics removed)."""
    entity: int | None
    """The gazetteer entity, when known."""
    source: Source


def _words(values: Iterable[str]) -> frozenset[str]:
    return frozenset(normalize(v, "search") for v in values)


@dataclass(frozen=True, slots=True, eq=False)
class NameRules:
    """The pattern tables, normalized."""

    titles: frozenset[str]
    chain: frozenset[str]
    max_chain: int
    max_name: int
    org_heads: frozenset[str]
    org_weak_heads: frozenset[str]
    org_name_heads: frozenset[str]
    org_kept_heads: frozenset[str]
    org_definite_heads: frozenset[str]
    org_needs_country: frozenset[str]
    org_max_chain: int
    place_heads: frozenset[str]
    place_facility_heads: frozenset[str]
    place_kept_heads: frozenset[str]
    particles: frozenset[str]
    stop: frozenset[str]
    compound: frozenset[str]
    given: frozenset[str]
    starters: frozenset[str]
    """Given names that start a name with no title before them (not marked ``?``)."""
    rare_df: int
    mining_df: int
    verb_prefixes: tuple[str, ...]
    pronoun_suffixes: tuple[str, ...]
    frequencies: DocFrequencies

    @property
    def triggers(self) -> frozenset[str]:
        """Every word that may start a pattern (a title, a head word, a given name)."""
        return _triggers(self)

    @classmethod
    def from_data(cls, raw: dict[str, Any], given: Iterable[str], df: DocFrequencies) -> NameRules:
        person, org, place, names = raw["person"], raw["organization"], raw["place"], raw["names"]
        return cls(
            titles=_words(person["titles"]),
            chain=_words(person["chain"]),
            max_chain=int(person["max_chain"]),
            max_name=int(person["max_name"]),
            org_heads=_words(org["heads"]),
            org_weak_heads=_words(org["weak_heads"]),
            org_name_heads=_words(org["name_heads"]),
            org_kept_heads=_words(org["kept_name_heads"]),
            org_definite_heads=_words(org["definite_heads"]),
            org_needs_country=_words(org["needs_country_nisba"]),
            org_max_chain=int(org["max_chain"]),
            place_heads=_words(place["heads"]),
            place_facility_heads=_words(place["facility_heads"]),
            place_kept_heads=_words(place["kept_heads"]),
            particles=_words(names["particles"]),
            stop=_words(names["stop"]),
            compound=_words(names["compound"]),
            given=_words(g.removeprefix("?") for g in given),
            starters=_words(g for g in given if not g.startswith("?")),
            rare_df=int(names["rare_df"]),
            mining_df=int(names["mining_df"]),
            verb_prefixes=tuple(names["verb_prefixes"]),
            pronoun_suffixes=tuple(names["pronoun_suffixes"]),
            frequencies=df,
        )

    @classmethod
    def shipped(cls) -> NameRules:
        """The shipped tables (read once)."""
        return _shipped_rules()


@functools.lru_cache(maxsize=8)
def _triggers(rules: NameRules) -> frozenset[str]:
    return (
        rules.titles
        | rules.starters
        | rules.org_heads
        | rules.org_name_heads
        | rules.org_definite_heads
        | rules.place_heads
    )


@functools.cache
def _shipped_rules() -> NameRules:
    folder = resources.files("khabar").joinpath("data", "entities")
    raw = tomllib.loads(folder.joinpath("patterns.toml").read_text("utf-8"))
    lines = folder.joinpath("given_names.txt").read_text("utf-8").splitlines()
    given = [w for line in lines if not line.startswith("#") for w in line.split()]
    return NameRules.from_data(raw, given, shipped_frequencies())


@functools.lru_cache(maxsize=100_000)
def _stem_df_key(surface: str) -> str:
    return term(normalize(surface, "stem"))


@dataclass(frozen=True, slots=True)
class Context:
    """One article as the patterns read it: its tokens, gazetteer hits and rules; ``limit`` is
    the document frequency up to which an unknown word counts as rare."""

    tokens: Sequence[Token]
    gazetteer: Gazetteer
    rules: NameRules
    limit: int
    hits: Sequence[Hit | None]
    """Per token, the longest gazetteer name (ambiguous or not) starting there."""

    def hit(self, i: int) -> Hit | None:
        return self.hits[i]

    def hit_type(self, hit: Hit) -> EntityType:
        return self.gazetteer.entities[hit.entity].type

    def df(self, token: Token) -> int:
        return self.rules.frequencies.df(_stem_df_key(token.surface))

    def stopped(self, token: Token) -> bool:
        word = token.forms[0]
        return word in self.rules.stop or token.bare in self.rules.stop or is_stopword(word)


def span_display(tokens: Sequence[Token], start: int, end: int, form: int = -1) -> str:
    """Tokens ``start`` … ``end - 1`` as written, the first without its proclitics."""
    first = tokens[start]
    head = first.display(form if form >= 0 else len(first.forms) - 1)
    return " ".join([head, *(t.surface for t in tokens[start + 1 : end])])


def known_mention(ctx: Context, hit: Hit, start: int, etype: EntityType, form: int = 0) -> Mention:
    """A known entity confirmed by its context; the span starts at ``start`` (a head word
    read with its ``form``, or the name itself)."""
    entity = ctx.gazetteer.entities[hit.entity]
    written = span_display(ctx.tokens, start, hit.end, hit.form if start == hit.start else form)
    return Mention(start, hit.end, etype, entity.name, written, hit.entity, "pattern")


def matching_form(token: Token, words: frozenset[str]) -> tuple[str, int]:
    """The first form of ``token`` in ``words`` and its index (the last form if none is)."""
    for index, form in enumerate(token.forms):
        if form in words:
            return form, index
    return token.bare, len(token.forms) - 1


def rare_name_like(ctx: Context, token: Token, limit: int | None = None) -> bool:
    word = token.forms[0]
    if len(word) < 3 or verb_like(word, ctx.rules):
        return False
    if word.startswith("و") and len(token.forms) > 1:
        return False  # "مخيم اليرموك وحي التضامن": a conjunction starts the next name
    if len(word) >= 5 and word.endswith(ctx.rules.pronoun_suffixes):
        return False
    return ctx.df(token) <= (ctx.limit if limit is None else limit)


def verb_like(word: str, rules: NameRules) -> bool:
    """An imperfect verb: a verb prefix, at most six letters, at most one long vowel after it
    (يهدد، يستبعد، تقتدي; not the names نيكول، تيريزا، يوهان)."""
    if len(word) > 6 or not word.startswith(rules.verb_prefixes):
        return False
    return sum(ch in _LONG_VOWELS for ch in word[1:]) <= 1


def is_nisba(token: Token) -> bool:
    word = token.forms[0]
    return word.startswith("ال") and len(word) >= 5 and word.endswith(NISBA_ENDINGS)
