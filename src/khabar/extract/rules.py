"""The extraction rules kept as data (``khabar/data/extract/*.toml``), folded for matching.

Every phrase is folded with the Arabic core (:func:`fold`: ``normalize(…, "search")``,
punctuation dropped, spaces collapsed) when the rules load, and text is folded the same way
before it is compared, so spelling variants of one phrase ("اقرأ ايضا", "إقرأ أيضاً",
"اقرا ايضا") meet.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any, Final, Literal

from khabar.arabic.normalize import normalize

__all__ = [
    "MarkerKind",
    "Rules",
    "fold",
    "fold_word",
    "fold_words",
    "load_rules",
    "marker_kind",
]

MarkerKind = Literal["read_also", "related", "tags"]
_MARKER_KINDS: Final[tuple[MarkerKind, ...]] = ("read_also", "related", "tags")
_PUNCTUATION: Final = re.compile(r"[^\w\s]|_")
MAX_MARKER_WORDS: Final = 5


def fold(text: str) -> str:
    """``text`` as the rules compare it: Arabic-normalized, no punctuation, single spaces."""
    return " ".join(_PUNCTUATION.sub(" ", normalize(text, "search")).split())


@lru_cache(maxsize=1 << 14)
def fold_word(word: str) -> str:
    """:func:`fold` of one word, remembered: the attribution reader folds every word of the
    first and last paragraphs, and words repeat across paragraphs and pages (hits: 71 % of the
    calls on AEB's 181 pages, 69 % on the eval set's 990; at most 16,384 words, a few MB)."""
    return fold(word)


def fold_words(text: str) -> list[str]:
    return fold(text).split()


@dataclass(frozen=True, slots=True)
class Rules:
    """The folded rule tables."""

    markers: Mapping[str, MarkerKind]
    """Folded marker phrase → what it heads."""
    sections: frozenset[str]
    """Folded navigation/section words."""
    source_prefixes: frozenset[str]
    via_phrases: tuple[tuple[str, ...], ...]
    """Folded "نقلاً عن"-like phrases as word tuples, longest first."""
    agencies: Mapping[str, str]
    """Folded name variant → canonical name."""
    max_agency_words: int
    marker_start: re.Pattern[str]
    """Matches raw text that may open with a marker (a cheap filter before folding)."""
    embed_selectors: Mapping[str, str]
    months: Mapping[str, int]
    """Folded month name → month number."""


def _read(name: str) -> dict[str, Any]:
    resource = files("khabar.data").joinpath(f"extract/{name}")
    return tomllib.loads(resource.read_text(encoding="utf-8"))


def _folded(values: Iterable[str]) -> frozenset[str]:
    return frozenset(f for f in map(fold, values) if f)


@cache
def load_rules() -> Rules:
    """The rules, read and folded once per process."""
    markers = _read("markers.toml")
    found: dict[str, MarkerKind] = {}
    for kind in _MARKER_KINDS:
        for phrase in _folded(markers[kind]):
            found.setdefault(phrase, kind)
    agencies: dict[str, str] = {}
    for agency in _read("agencies.toml")["agency"]:
        for variant in [agency["name"], *agency["variants"]]:
            agencies.setdefault(fold(variant), agency["name"])
    embeds = _read("embeds.toml")
    months = {
        fold(name): number
        for number, names in enumerate(embeds["months"].values(), start=1)
        for name in names
    }
    marker_start = _variant_pattern({phrase.split()[0] for phrase in found})
    via = sorted((tuple(v.split()) for v in _folded(markers["via_phrases"])), key=len)
    return Rules(
        markers=MappingProxyType(found),
        marker_start=marker_start,
        sections=_folded(markers["sections"]),
        source_prefixes=_folded(markers["source_prefixes"]),
        via_phrases=tuple(reversed(via)),
        agencies=MappingProxyType(agencies),
        max_agency_words=max(len(k.split()) for k in agencies),
        embed_selectors=MappingProxyType(dict(embeds["selectors"])),
        months=MappingProxyType(months),
    )


# Raw letters each folded letter may stand for; harakat and tatweel may follow any letter.
_VARIANTS: Final = {"ا": "اأإآٱٲٳ", "ي": "يىیې", "ه": "هة", "ء": "ءؤئ", "ك": "كک"}
_OPTIONAL_MARKS: Final = "[\u0610-\u061a\u064b-\u065f\u0670\u0640]*"


def _variant_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """A regex matching raw text that starts with one of the folded ``words``, any spelling."""

    def letters(word: str) -> str:
        return "".join(
            (f"[{_VARIANTS[ch]}]" if ch in _VARIANTS else re.escape(ch)) + _OPTIONAL_MARKS
            for ch in word
        )

    alternatives = "|".join(letters(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"^\W*(?:{alternatives})", re.IGNORECASE)


def marker_kind(words: list[str], rules: Rules) -> tuple[MarkerKind, int] | None:
    """What the folded ``words`` open with (longest marker wins) and how many words it took."""
    for size in range(min(MAX_MARKER_WORDS, len(words)), 0, -1):
        kind = rules.markers.get(" ".join(words[:size]))
        if kind is not None:
            return kind, size
    return None
