"""Regex conditions: patterns compiled safely and searched in normalized text.

Matching: the text searched is ``normalize(title + text, "search")`` (alef forms, ة/ه, ى/ي,
hamza seats and harakat folded, Latin lowercased). Each run of Arabic characters written in the
*pattern* is normalized the same way, and the rest of the pattern is left as written, so
``الأمم المتحدة`` in a pattern finds ``الامم المتحده``; patterns are compiled case-insensitive.
Note that normalization does not stem: ``غزة`` in a pattern does not find ``وغزة`` unless the
pattern allows the prefix (keyword conditions handle prefixes; use them for words).

Safety against catastrophic backtracking (a rule runs on every new article in the writer):

- with the ``regex`` module (installed with Khabar: dateparser depends on it), every search
  runs with a time limit of :data:`MATCH_TIMEOUT` seconds; a search that runs out counts as no
  match and is logged;
- always: a pattern has at most :data:`MAX_PATTERN` characters and no backreferences, and at
  most :data:`MAX_TEXT` characters of an article are searched;
- without the ``regex`` module (stdlib ``re`` has no time limit), patterns with a repeated
  group that itself repeats or alternates — ``(a+)+``, ``(a|aa)*``, ``(\\w+\\s?){2,}`` — the
  shapes that backtrack exponentially, are refused as well.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import re
from dataclasses import dataclass
from types import ModuleType
from typing import Final, Protocol

from khabar.arabic.normalize import normalize

__all__ = [
    "MATCH_TIMEOUT",
    "MAX_PATTERN",
    "MAX_TEXT",
    "PatternError",
    "SafePattern",
    "check_pattern",
    "compile_pattern",
    "normalize_pattern",
]

log = logging.getLogger("khabar.rules")

MATCH_TIMEOUT: Final = 0.05
MAX_PATTERN: Final = 300
MAX_TEXT: Final = 100_000
_ARABIC_RUN: Final = re.compile(
    "[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]+"
)
_UNBOUNDED: Final = re.compile(r"[*+]|\{\d*,\d*\}|\{\d*[2-9]\d*\}")


class PatternError(ValueError):
    """A pattern cannot be used; the messages say why (English and Arabic)."""

    def __init__(self, message_en: str, message_ar: str) -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_ar = message_ar


class _Match(Protocol):
    def group(self, index: int = 0, /) -> str: ...


class _Searcher(Protocol):
    def search(self, text: str) -> _Match | None: ...


@dataclass(frozen=True, slots=True)
class SafePattern:
    """A compiled pattern; :meth:`first_match` never runs longer than the time limit."""

    source: str
    searcher: _Searcher

    def first_match(self, normalized_text: str) -> str | None:
        """The first matched text in ``normalized_text``, or None (also when out of time)."""
        try:
            found = self.searcher.search(normalized_text[:MAX_TEXT])
        except TimeoutError:
            log.warning("regex %r ran out of time (%.2f s); counted as no match", self.source,
                        MATCH_TIMEOUT)  # fmt: skip
            return None
        return found.group(0) if found is not None else None


def normalize_pattern(pattern: str) -> str:
    """``pattern`` with each run of Arabic characters normalized like the searched text."""
    return _ARABIC_RUN.sub(lambda m: normalize(m.group(0), "search"), pattern)


def check_pattern(pattern: str, *, engine: ModuleType | None = None) -> None:
    """Raise :class:`PatternError` when ``pattern`` cannot be used (see the module docstring)."""
    compile_pattern(pattern, engine=engine)


def compile_pattern(pattern: str, *, engine: ModuleType | None = None) -> SafePattern:
    """Compile ``pattern`` for :meth:`SafePattern.first_match`.

    ``engine`` is the ``regex`` module (default: imported when installed) or ``re`` to force
    the stdlib fallback.
    """
    if len(pattern) > MAX_PATTERN:
        raise PatternError(
            f"a pattern has at most {MAX_PATTERN} characters",
            f"لا يزيد النمط على {MAX_PATTERN} حرفاً",
        )
    if _has_backreference(pattern):
        raise PatternError(
            "backreferences are not allowed", "الإحالات الخلفية (مثل \\1) غير مسموح بها"
        )
    module = engine if engine is not None else default_engine()
    if module is re and _has_nested_repeat(pattern):
        raise PatternError(
            "a repeated group may not itself repeat or alternate (slow to match)",
            "لا يجوز تكرار مجموعة تحوي تكراراً أو بدائل (بطيئة المطابقة)",
        )
    try:
        compiled = module.compile(normalize_pattern(pattern), module.IGNORECASE)
    except (re.error, _engine_error(module)) as exc:
        raise PatternError(
            f"the pattern does not compile: {exc}", f"النمط غير صالح: {exc}"
        ) from exc
    if module is re:
        return SafePattern(pattern, compiled)
    return SafePattern(pattern, _Timed(compiled))


def default_engine() -> ModuleType:
    """The ``regex`` module when installed (time limits), else ``re``."""
    if importlib.util.find_spec("regex") is None:
        return re
    return importlib.import_module("regex")


class _Timed:
    """A ``regex`` pattern searched with the time limit."""

    def __init__(self, compiled: _TimedSearcher) -> None:
        self._compiled = compiled

    def search(self, text: str) -> _Match | None:
        return self._compiled.search(text, timeout=MATCH_TIMEOUT)


class _TimedSearcher(Protocol):
    def search(self, text: str, *, timeout: float) -> _Match | None: ...


def _engine_error(module: ModuleType) -> type[Exception]:
    error = getattr(module, "error", re.error)
    return error if isinstance(error, type) and issubclass(error, Exception) else re.error


def _has_backreference(pattern: str) -> bool:
    if "(?P=" in pattern:
        return True
    i = 0
    while i < len(pattern) - 1:
        if pattern[i] == "\\":
            following = pattern[i + 1]
            if following in "123456789" or (following in "kg" and pattern[i + 2 : i + 3] == "<"):
                return True
            i += 2
            continue
        i += 1
    return False


def _has_nested_repeat(pattern: str) -> bool:
    """Whether a group holding a repetition or an alternation is itself repeated."""
    stack: list[bool] = []  # per open group: does it contain a repetition or "|"?
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i = _skip_class(pattern, i)
            continue
        if char == "(":
            stack.append(False)
        elif char == "|" and stack:
            stack[-1] = True
        elif char == ")" and stack:
            risky = stack.pop()
            repeated = _UNBOUNDED.match(pattern, i + 1) is not None
            if risky and repeated:
                return True
            if stack and (risky or repeated):
                stack[-1] = True
        elif stack and _UNBOUNDED.match(pattern, i) is not None:
            stack[-1] = True
        i += 1
    return False


def _skip_class(pattern: str, start: int) -> int:
    """The index after the character class opening at ``start``."""
    i = start + 1
    if i < len(pattern) and pattern[i] == "^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1
    while i < len(pattern) and pattern[i] != "]":
        i += 2 if pattern[i] == "\\" else 1
    return i + 1
