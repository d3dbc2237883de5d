"""The original source an article names: a source line, a dateline, "نقلاً عن …".

Pure functions over paragraphs (HTML and text mode share them). The forms, strongest first:

1. a short paragraph that is only a credit — "المصدر: عربي21", "نقلاً عن وكالة الأنباء
   الكويتية (كونا)", "(رويترز)" — among the last or first paragraphs: it is the attribution
   *line* and the caller drops it from the text;
2. a dateline opening the first paragraph — "الرياض (واس) -", "دمشق، سوريا (CNN) --" — with a
   known agency or outlet in the brackets; the paragraph is article text and stays;
3. "بحسب ما أوردت …"/"نقلاً عن …" followed by a known agency or outlet, or a known agency
   written with its own abbreviation ("وكالة الأنباء الكويتية (كونا)"), inside the first or
   last paragraphs; the paragraph stays.

Known agencies and outlets and the phrases are data (``data/extract/*.toml``); short names
("واس", "بنا") are only trusted inside one of these forms, never as loose words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Final

from khabar.extract.rules import Rules, fold, fold_word, load_rules
from khabar.types import Attribution

__all__ = ["MAX_LINE_CHARS", "FoundAttribution", "find_attribution"]

MAX_LINE_CHARS: Final = 160
"""A credit line is short; a longer paragraph is article text that may quote a source."""

_TAIL_PARAGRAPHS: Final = 4
_HEAD_PARAGRAPHS: Final = 2
_MAX_UNKNOWN_NAME_WORDS: Final = 8
_DATELINE: Final = re.compile(r"^[^()\n]{0,30}?\(\s*([^()]{1,40}?)\s*\)")
# "الرياض - واس", "تبوك -واس", "واس - جدة": a place and an agency joined by a dash, either order.
_WORDS_1_3: Final = r"[^\s\-–—:،,()]{2,25}(?:[ ][^\s\-–—:،,()]{2,25}){0,2}"
_DASH_DATELINE: Final = re.compile(
    rf"^\s*({_WORDS_1_3})\s*[-–—]+\s*({_WORDS_1_3})(?=$|\s|[-–—:،,.])"
)
_CREDIT_SEPARATORS: Final = re.compile(r"[/|]|\s[-–—]\s")
_BRACKETED: Final = re.compile(r"\(\s*([^()]{1,30}?)\s*\)")
_NAME_STRIP: Final = " \t:：-–—ـ|.,،؛;()[]«»\"'“”"
# A word folds to an Arabic word only when it holds a character of the Arabic script: folding
# maps Arabic variants, presentation forms and the mathematical letters to Arabic letters, and
# nothing else to them. Paragraphs with none skip the scan for the (Arabic) "via" phrases:
# 0.3 ms a page on trafilatura's eval set, where most text is German or English.
_ARABIC_SCRIPT: Final = re.compile(
    "[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff\U0001ee00-\U0001eeff]"
)
# A generic word that may stand between a "via" phrase and the outlet's name.
_OUTLET_NOUNS: Final = frozenset({"وكاله", "صحيفه", "موقع", "قناه", "شبكه", "جريده", "مجله"})


@dataclass(frozen=True, slots=True)
class FoundAttribution:
    attribution: Attribution
    line: int | None
    """Index of the paragraph that is only the credit (drop it from the text), else None."""


@dataclass(frozen=True, slots=True)
class _Words:
    """A paragraph's words as written and folded, aligned (punctuation-only words left out)."""

    raw: tuple[str, ...]
    folded: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> _Words:
        pairs = [(w, f) for w in text.split() if (f := fold_word(w))]
        return cls(tuple(w for w, _ in pairs), tuple(f for _, f in pairs))

    def span(self, start: int, end: int) -> str:
        return _clean_name(" ".join(self.raw[start:end]))


def _clean_name(name: str) -> str:
    """``name`` without the punctuation around it; a bracket left open is closed."""
    name = name.strip(_NAME_STRIP)
    return f"{name})" if name.count("(") > name.count(")") else name


def find_attribution(
    paragraphs: Sequence[str], rules: Rules | None = None
) -> FoundAttribution | None:
    """The source ``paragraphs`` name, strongest form first (see the module docstring)."""
    rules = rules or load_rules()
    count = len(paragraphs)
    tail = range(count - 1, max(count - 1 - _TAIL_PARAGRAPHS, -1), -1)
    head = range(min(_HEAD_PARAGRAPHS, count))
    for index in [*tail, *(i for i in head if i not in tail)]:
        found = _credit_line(paragraphs[index], rules)
        if found is not None:
            return FoundAttribution(found, index)
    for index in head:
        found = _dateline(paragraphs[index], rules)
        if found is not None:
            return FoundAttribution(found, None)
    for index in [*head, *(i for i in tail if i not in head)]:
        found = _inline(paragraphs[index], rules)
        if found is not None:
            return FoundAttribution(found, None)
    return None


def known_outlet(name: str, rules: Rules | None = None) -> str | None:
    """The canonical name of the agency or outlet ``name`` is a variant of, or None."""
    return (rules or load_rules()).agencies.get(fold(name))


def _make(name: str, canonical: str | None, evidence: str) -> Attribution:
    return Attribution(
        name=name,
        normalized_name=canonical or " ".join(name.split()),
        evidence=" ".join(evidence.split()),
    )


def _known_at(words: _Words, start: int, rules: Rules) -> tuple[str, int] | None:
    """The known outlet whose name starts at word ``start`` (longest wins) and where it ends."""
    top = min(len(words.folded), start + rules.max_agency_words)
    for end in range(top, start, -1):
        canonical = rules.agencies.get(" ".join(words.folded[start:end]))
        if canonical is not None:
            return canonical, end
    return None


def _prefix(words: _Words, phrases: Sequence[tuple[str, ...]]) -> int:
    """How many leading words one of ``phrases`` (longest first) takes; 0 when none matches."""
    return _phrase_at(words.folded, 0, phrases)


def _phrase_at(folded: tuple[str, ...], start: int, phrases: Sequence[tuple[str, ...]]) -> int:
    """How many words from ``start`` one of ``phrases`` (longest first) takes; 0 when none."""
    for phrase in phrases:
        if folded[start : start + len(phrase)] == phrase:
            return len(phrase)
    return 0


def _credit_line(text: str, rules: Rules) -> Attribution | None:
    if len(text) > MAX_LINE_CHARS:
        return None
    words = _Words.of(text)
    if not words.folded:
        return None
    source = _prefix(words, [tuple(p.split()) for p in rules.source_prefixes])
    via = 0 if source else _prefix(words, rules.via_phrases)
    start = source or via
    known = _known_after(words, start, rules) if start else None
    if start == 0:
        return _outlets_line(text, rules)
    rest = len(words.folded) - start
    if known is not None:
        return _make(words.span(start, len(words.folded)), known[0], text)
    weak_via = via == 1  # "عن …", "بحسب …": trusted only before a known outlet
    if weak_via or rest == 0 or rest > _MAX_UNKNOWN_NAME_WORDS:
        return None
    return _make(words.span(start, len(words.folded)), None, text)


def _outlets_line(text: str, rules: Rules) -> Attribution | None:
    """A line made only of outlet names ("(رويترز)", "فرانس 24/ أ ف ب"): the last one."""
    parts = [p for p in _CREDIT_SEPARATORS.split(text) if p.strip(_NAME_STRIP)]
    known = [known_outlet(p, rules) for p in parts]
    if not parts or None in known:
        return None
    return _make(_clean_name(parts[-1]), known[-1], text)


def _known_after(words: _Words, start: int, rules: Rules) -> tuple[str, int] | None:
    """A known outlet at ``start``, or after one generic noun there ("وكالة", "صحيفة" …)."""
    known = _known_at(words, start, rules)
    if known is None and start < len(words.folded) and words.folded[start] in _OUTLET_NOUNS:
        known = _known_at(words, start + 1, rules)
    return known


def _dateline(text: str, rules: Rules) -> Attribution | None:
    match = _DATELINE.match(text)
    if match is not None:
        canonical = known_outlet(match.group(1), rules)
        if canonical is not None:
            return _make(_clean_name(match.group(1)), canonical, match.group(0))
    return _dash_dateline(text, rules)


def _dash_dateline(text: str, rules: Rules) -> Attribution | None:
    match = _DASH_DATELINE.match(text)
    if match is None:
        return None
    before, after = match.group(1), match.group(2).split(" ")
    # "city - agency" is the usual order: try the first one to three words after the dash
    for size in range(1, len(after) + 1):
        name = " ".join(after[:size])
        canonical = known_outlet(name, rules)
        if canonical is not None:
            evidence = text[: match.start(2) + len(name)].strip()
            return _make(_clean_name(name), canonical, evidence)
    canonical = known_outlet(before, rules)  # "واس - جدة"
    if canonical is not None:
        evidence = text[: match.start(2) + len(after[0])].strip()
        return _make(_clean_name(before), canonical, evidence)
    return None


def _inline(text: str, rules: Rules) -> Attribution | None:
    if _phrases_are_arabic(rules.via_phrases) and not _ARABIC_SCRIPT.search(text):
        return _self_abbreviated(text, rules)
    words = _Words.of(text)
    firsts = {phrase[0] for phrase in rules.via_phrases}
    for start, word in enumerate(words.folded):
        if word not in firsts:  # most words start no phrase: skip the phrase scan
            continue
        via = _phrase_at(words.folded, start, rules.via_phrases)
        if not via:
            continue
        known = _known_after(words, start + via, rules)
        if known is not None:
            evidence = words.span(start, known[1])
            return _make(words.span(start + via, known[1]), known[0], evidence)
    return _self_abbreviated(text, rules)


@cache
def _phrases_are_arabic(phrases: tuple[tuple[str, ...], ...]) -> bool:
    """Whether every phrase starts with a word written in Arabic letters only."""
    return all(phrase and all(_ARABIC_SCRIPT.match(ch) for ch in phrase[0]) for phrase in phrases)


def _self_abbreviated(text: str, rules: Rules) -> Attribution | None:
    """ "وكالة الأنباء الكويتية (كونا)": a known name followed by its own abbreviation."""
    for match in _BRACKETED.finditer(text):
        canonical = known_outlet(match.group(1), rules)
        if canonical is None:
            continue
        before = _Words.of(text[: match.start()])
        for size in range(min(rules.max_agency_words, len(before.folded)), 0, -1):
            start = len(before.folded) - size
            if rules.agencies.get(" ".join(before.folded[start:])) == canonical:
                name = f"{before.span(start, len(before.folded))} ({match.group(1).strip()})"
                return _make(name, canonical, name)
    return None
