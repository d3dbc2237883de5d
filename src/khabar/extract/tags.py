"""An article's real tags: tag lines cleaned of navigation words, deduplicated.

Aggregators pad tag lines with their menu ("صحة رياضة اقتصاد صحة …"): a tag whose folded form
is a section/navigation word of ``data/extract/markers.toml`` or a link of the page's own menu
is not a tag. A tag line written as plain words with no separators is split into words, an
Arabic construct ("وزارة الصحة": a noun followed by a definite noun) kept as one tag.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import Final

from khabar.extract.rules import Rules, fold, fold_word

__all__ = ["MAX_TAG_CHARS", "clean_tags", "is_menu_line", "menu_words", "split_tag_line"]

MAX_TAG_CHARS: Final = 60
_SEPARATORS: Final = re.compile(r"[,،;؛|/•·#\n]")
_DEFINITE: Final = "ال"
_MAX_SECTION_WORDS: Final = 3
_MAX_MENU_CHARS: Final = 200
_MIN_MENU_ITEMS: Final = 3


def clean_tags(raw: Iterable[str], rules: Rules, nav: Iterable[str] = ()) -> tuple[str, ...]:
    """``raw`` tags, split at separators, without navigation words, deduplicated in order."""
    navigation = rules.sections | {f for f in map(_fold_link, nav) if f}
    seen: dict[str, str] = {}
    for value in raw:
        for part in _SEPARATORS.split(value):
            tag = " ".join(part.split()).strip("#-–—:.")
            key = fold(tag)
            if not key or len(tag) > MAX_TAG_CHARS or _is_navigation(key, navigation):
                continue
            seen.setdefault(key, tag)
    return tuple(seen.values())


@lru_cache(maxsize=1 << 12)
def _fold_link(text: str) -> str:
    """:func:`fold` of a navigation link's text, remembered: a site repeats its menu on every
    page (about 90 links a page on trafilatura's eval set)."""
    return fold(text)


def split_tag_line(line: str) -> list[str]:
    """The tags of a tag line: split at separators, or into words and constructs when none."""
    if _SEPARATORS.search(line):
        return [p for p in _SEPARATORS.split(line) if p.strip()]
    tags: list[str] = []
    for word in line.split():
        if tags and word.startswith(_DEFINITE) and not _is_construct_end(tags[-1]):
            tags[-1] = f"{tags[-1]} {word}"
        else:
            tags.append(word)
    return tags


def _is_construct_end(previous: str) -> bool:
    """Whether ``previous`` cannot take a following definite noun (it is definite itself)."""
    last = previous.split()[-1]
    return last.startswith(_DEFINITE) or not _is_arabic(last)


def _is_arabic(word: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in word)


def _is_navigation(key: str, navigation: frozenset[str] | set[str]) -> bool:
    bare = key[2:] if key.startswith(_DEFINITE) else key
    return key in navigation or bare in navigation or f"{_DEFINITE}{key}" in navigation


def menu_words(line: str, rules: Rules) -> list[str] | None:
    """The section words ``line`` is made of, or None when it holds anything else."""
    if len(line) > _MAX_MENU_CHARS or _first_folded_word(line) not in _first_words(rules.sections):
        return None
    words = fold(line).split()
    spans: list[str] = []
    start = 0
    while start < len(words):
        for size in range(min(_MAX_SECTION_WORDS, len(words) - start), 0, -1):
            phrase = " ".join(words[start : start + size])
            if phrase in rules.sections:
                spans.append(phrase)
                start += size
                break
        else:
            return None
    return spans or None


def _first_folded_word(line: str) -> str | None:
    """``fold(line).split()[0]`` without folding the whole line (folding is per word)."""
    return next((folded for word in line.split() for folded in fold_word(word).split()), None)


@cache
def _first_words(sections: frozenset[str]) -> frozenset[str]:
    """The words a section phrase starts with: a menu line starts with one of them."""
    return frozenset(phrase.split()[0] for phrase in sections)


def is_menu_line(line: str, rules: Rules) -> bool:
    """A line of at least three section words and nothing else ("الرئيسية | أخبار | سياسة")."""
    spans = menu_words(line, rules)
    return spans is not None and len(spans) >= _MIN_MENU_ITEMS
