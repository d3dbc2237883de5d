"""The transparent section layers: the feed's own category and a keyword lexicon.

Both are data files in ``khabar/data/sections/`` (rules as data):

- ``feed_categories.tsv`` maps a feed ``<category>`` name or a section URL path segment
  (``/sport/``, ``/culture-and-art/``, ``world-43193332``) to a section, with a strength:
  a *strong* row names a specific desk and decides; a *weak* row (world, news, Middle East)
  is only a fallback, because broad desks also carry sport, culture and economy stories.
- ``lexicon.json`` lists Arabic keywords per section. It is the only path (besides the feed)
  to the sections the model has no training data for (health, society).

Everything is matched through the same search analyzer as the model, and without a leading
clitic (و ب ف ك ل + ال), so ``المرض``, ``والمرض`` and ``مرض`` meet whether or not the analyzer
stems.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Final, Literal

from khabar.arabic.normalize import normalize
from khabar.search.analyzer import analyze

__all__ = [
    "FeedHint",
    "FeedMap",
    "Lexicon",
    "RuleScore",
    "bare_term",
    "category_key",
]

Strength = Literal["strong", "weak"]

_CLITIC: Final = re.compile(r"^(?:وال|بال|فال|كال|لل|ال|و)(?=\w{3})")
_NUMBER_SUFFIX: Final = re.compile(r"-\d+$")
TITLE_WEIGHT: Final = 2
"""A keyword in the title counts this many times as one in the body."""


def bare_term(term: str) -> str:
    """``term`` without one leading clitic chain (وال، بال، لل، ال، و) when 3+ letters remain."""
    return _CLITIC.sub("", term)


def category_key(name: str) -> str:
    """A feed category name as the table stores it: normalized, each word without ال."""
    words = normalize(name, "search").replace("_", " ").split()
    return " ".join(_CLITIC.sub("", w) if w.startswith("ال") else w for w in words)


@dataclass(frozen=True, slots=True)
class FeedHint:
    """What the feed said: the section, how strongly, and the category or path that said it."""

    section: str
    strength: Strength
    evidence: str


@dataclass(frozen=True, slots=True)
class FeedMap:
    """Feed category names and URL path segments → section."""

    table: Mapping[str, tuple[str, Strength]]

    @classmethod
    def from_tsv(cls, text: str) -> FeedMap:
        table: dict[str, tuple[str, Strength]] = {}
        for line in text.splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            name, section, strength = line.split("\t")
            if strength not in ("strong", "weak"):
                raise ValueError(f"bad strength {strength!r} in feed_categories.tsv: {line!r}")
            table[category_key(name)] = (section, "strong" if strength == "strong" else "weak")
        return cls(table)

    @classmethod
    def shipped(cls) -> FeedMap:
        return cls.from_tsv(_data_text("feed_categories.tsv"))

    def hint(self, categories: Iterable[str], url: str | None) -> FeedHint | None:
        """The first strong hint (categories first, then URL path), else the first weak one."""
        hints = [*self._from_categories(categories), *self._from_url(url)]
        strong = [h for h in hints if h.strength == "strong"]
        chosen = strong or hints
        return chosen[0] if chosen else None

    def _from_categories(self, categories: Iterable[str]) -> list[FeedHint]:
        found = []
        for name in categories:
            row = self.table.get(category_key(name))
            if row is not None:
                found.append(FeedHint(row[0], row[1], f"category:{name}"))
        return found

    def _from_url(self, url: str | None) -> list[FeedHint]:
        if not url:
            return []
        path = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
        found = []
        for segment in path.lower().split("/"):
            row = self.table.get(_NUMBER_SUFFIX.sub("", segment))
            if segment and row is not None:
                found.append(FeedHint(row[0], row[1], f"url:/{segment}/"))
        return found


@dataclass(frozen=True, slots=True)
class RuleScore:
    """A section's lexicon score: weighted distinct keyword hits, and which keywords hit."""

    section: str
    score: int
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Keywords per section, stored as bare analyzed term sequences."""

    keywords: Mapping[str, Mapping[tuple[str, ...], str]]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Sequence[str]]) -> Lexicon:
        keywords: dict[str, dict[tuple[str, ...], str]] = {}
        for section, words in data.items():
            if section.startswith("_"):
                continue
            keywords[section] = {
                key: word for word in words if (key := tuple(map(bare_term, analyze(word))))
            }
        return cls(keywords)

    @classmethod
    def shipped(cls) -> Lexicon:
        return cls.from_mapping(json.loads(_data_text("lexicon.json")))

    def scores(self, title: str, text: str) -> list[RuleScore]:
        """Sections with at least one keyword hit, best first (title hits count double)."""
        return self.scores_of_terms(analyze(title), analyze(text))

    def scores_of_terms(
        self, title_terms: Sequence[str], body_terms: Sequence[str]
    ) -> list[RuleScore]:
        """:meth:`scores` of an article already analyzed (``analyze`` terms)."""
        title_grams = _grams(title_terms)
        body_grams = _grams(body_terms)
        result = []
        for section, words in self.keywords.items():
            in_title = [w for k, w in words.items() if k in title_grams]
            in_body = [w for k, w in words.items() if k in body_grams and w not in in_title]
            score = TITLE_WEIGHT * len(in_title) + len(in_body)
            if score:
                result.append(RuleScore(section, score, tuple(in_title + in_body)))
        return sorted(result, key=lambda s: -s.score)


def _grams(analyzed: Sequence[str]) -> set[tuple[str, ...]]:
    """Bare 1-, 2- and 3-grams of analyzed terms."""
    terms = [bare_term(t) for t in analyzed]
    grams: set[tuple[str, ...]] = set()
    for n in (1, 2, 3):
        grams.update(tuple(terms[i : i + n]) for i in range(len(terms) - n + 1))
    return grams


def _data_text(name: str) -> str:
    return resources.files("khabar").joinpath("data", "sections", name).read_text("utf-8")
