"""The light stemmer's rule tables, loaded once from ``khabar/data/arabic``.

The rules are data (``affixes.json``, ``protected_initials.txt``); this module only reads them
into a typed value. See ``affixes.json`` for what each table means.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources

__all__ = ["AffixRules", "load_rules", "read_data_lines"]


@dataclass(frozen=True, slots=True)
class AffixRules:
    """Prefix and suffix tables of the light stemmer."""

    min_stem: int
    article_chains: tuple[str, ...]
    conjunctions: frozenset[str]
    prepositions: frozenset[str]
    suffixes: tuple[str, ...]
    protected: frozenset[str]
    """Suffix-stripped words whose first letter (و ف ب ك ل) belongs to the word."""
    radical_endings: frozenset[str]
    protected_endings: frozenset[str]
    """Words whose ending in ``radical_endings`` (ين ون ان) belongs to the word."""


def read_data_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of ``khabar/data/arabic/<name>``."""
    text = resources.files("khabar").joinpath("data", "arabic", name).read_text("utf-8")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


@functools.cache
def load_rules() -> AffixRules:
    """The shipped rule tables (read once)."""
    raw = json.loads(
        resources.files("khabar").joinpath("data", "arabic", "affixes.json").read_text("utf-8")
    )
    return AffixRules(
        min_stem=int(raw["min_stem"]),
        article_chains=tuple(sorted(raw["article_chains"], key=len, reverse=True)),
        conjunctions=frozenset(raw["conjunctions"]),
        prepositions=frozenset(raw["prepositions"]),
        suffixes=tuple(raw["suffixes"]),
        protected=frozenset(read_data_lines("protected_initials.txt")),
        radical_endings=frozenset(raw["radical_endings"]),
        protected_endings=frozenset(read_data_lines("protected_endings.txt")),
    )
