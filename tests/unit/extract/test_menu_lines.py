"""Menu lines ("الرئيسية | أخبار | سياسة"): the first-word test that skips folding every other
line gives the same answer as folding the whole line."""

from __future__ import annotations

import itertools

import pytest

from khabar.extract import tags
from khabar.extract.rules import fold, load_rules

WORDS = ["الرئيسية", "|", "أخبار", "آخر الأخبار", "•", "سياسة", "الصحة", "وزير", "Home", "(عاجل)"]
LINES = [
    " ".join(combo) for size in (1, 2, 3, 4) for combo in itertools.permutations(WORDS, size)
] + [
    "| الرئيسية | أخبار | سياسة",
    "الرئيسيّة - أخبـــار - سياسة",  # shadda and tatweel fold away
    "أخبار|سياسة|رياضة",  # no spaces: one raw word, three folded ones
    "... ... ...",
    "",
]


class _Anything(frozenset[str]):
    def __contains__(self, item: object) -> bool:
        return True


@pytest.mark.parametrize("line", LINES[-5:])
def test_first_folded_word_is_the_first_word_of_the_folded_line(line: str) -> None:
    expected = fold(line).split()
    assert tags._first_folded_word(line) == (expected[0] if expected else None)


def test_first_word_test_changes_no_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = load_rules()
    fast = [tags.menu_words(line, rules) for line in LINES]
    monkeypatch.setattr(tags, "_first_words", lambda _sections: _Anything())
    assert fast == [tags.menu_words(line, rules) for line in LINES]
    assert sum(tags.is_menu_line(line, rules) for line in LINES) > 50


def test_menu_lines_are_still_found() -> None:
    rules = load_rules()
    assert tags.is_menu_line("| الرئيسية | أخبار | سياسة", rules)
    assert tags.is_menu_line("أخبار|سياسة|رياضة", rules)
    assert not tags.is_menu_line("وزير الصحة أخبار سياسة", rules)
