"""Regex conditions: normalized like the text, refused when unsafe, cut off when too slow."""

from __future__ import annotations

import re
import time

import pytest

from khabar.rules.patterns import (
    MAX_PATTERN,
    PatternError,
    compile_pattern,
    default_engine,
    normalize_pattern,
)


def test_arabic_in_a_pattern_is_normalized_and_the_rest_kept() -> None:
    assert normalize_pattern(r"الأمم\s+المتحدة|مُحَمَّد\d+") == r"الامم\s+المتحده|محمد\d+"
    assert normalize_pattern(r"[أإآ]حمد\b") == r"[ااا]حمد\b"
    assert normalize_pattern(r"\W\S\D Gaza") == r"\W\S\D Gaza"  # no lowercasing of escapes


def test_patterns_match_case_insensitively() -> None:
    assert compile_pattern(r"\bgaza\b").first_match("in gaza today") == "gaza"
    assert compile_pattern(r"\bGAZA\b").first_match("in gaza today") == "gaza"


@pytest.mark.parametrize("pattern", [r"(\w)\1", r"(?P<x>a)(?P=x)", r"(?<x>a)\k<x>"])
def test_backreferences_are_refused(pattern: str) -> None:
    with pytest.raises(PatternError, match="backreferences"):
        compile_pattern(pattern)


def test_long_patterns_are_refused() -> None:
    with pytest.raises(PatternError):
        compile_pattern("a" * (MAX_PATTERN + 1))


def test_a_pattern_that_does_not_compile_says_so() -> None:
    with pytest.raises(PatternError) as caught:
        compile_pattern("(غزة")
    assert "does not compile" in caught.value.message_en and caught.value.message_ar


def test_catastrophic_backtracking_is_cut_off_by_the_time_limit() -> None:
    if default_engine() is re:
        pytest.skip("the regex module is not installed: no time limits (fallback tested below)")
    pattern = compile_pattern(r"(a|aa)+$")
    started = time.perf_counter()
    assert pattern.first_match("a" * 60 + "b") is None
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize(
    "pattern", [r"(a+)+", r"(a|aa)*", r"(\w+\s?){2,}", r"((ab)*c)+", r"(?:x*)+y", r"(.*a){20}"]
)
def test_without_time_limits_nested_repetition_is_refused(pattern: str) -> None:
    with pytest.raises(PatternError, match="repeated group"):
        compile_pattern(pattern, engine=re)


@pytest.mark.parametrize(
    "pattern", [r"(غزة|القدس)", r"(ab)+", r"\d+ (شخصا|اشخاص)", r"[(+)]+", r"(a+)?", r"\(a+\)+"]
)
def test_without_time_limits_safe_shapes_are_kept(pattern: str) -> None:
    compile_pattern(pattern, engine=re)
