"""Highlighted snippets built from the ORIGINAL text, whatever the analyzer folded."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from khabar.arabic.normalize import normalize
from khabar.arabic.tokenize import WORD_PATTERN
from khabar.search.analyzer import analyze

__all__ = ["make_snippet"]

MAX_HITS = 12  # enough matches to choose a good window; the rest of the text is not scanned
SCAN_CHARS = 3000  # past this point, stop at the first window that has a match
GIVE_UP_CHARS = 20_000  # matched only in the title or deep in a very long text: show the start


def make_snippet(
    text: str, terms: set[str], width: int = 240, prefixes: tuple[str, ...] = ()
) -> str:
    """Escaped HTML: the window of ``text`` with most matches, matches in ``<mark>``.

    A word matches when one of its analyzed terms is in ``terms`` or starts with one of
    ``prefixes``. Only as much of the text is analyzed as it takes to find the matches (search
    results show 20 snippets per page; articles can be long); with nothing to look for the
    text is not scanned at all."""
    hits = _hits(text, terms, prefixes) if terms or prefixes else []
    if not hits:
        return html.escape(_clip(text, 0, width))
    start = _best_window(hits, width)
    end = min(len(text), start + width)
    start, end = _word_bounds(text, start, end)
    out: list[str] = ["…" if start > 0 else ""]
    pos = start
    for s, e in hits:
        if s < start or e > end:
            continue
        out.append(html.escape(text[pos:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        pos = e
    out.append(html.escape(text[pos:end]))
    out.append("…" if end < len(text) else "")
    return "".join(out)


def _hits(text: str, terms: set[str], prefixes: tuple[str, ...]) -> list[tuple[int, int]]:
    """Spans of the matching words, as a left-to-right walk over every word would pick them:
    up to ``MAX_HITS``, past ``SCAN_CHARS`` only the first, none past ``GIVE_UP_CHARS``.

    Instead of analyzing word after word, the distinct words are analyzed once (cached) and
    only the places where a matching word occurs are checked."""
    end = text.find(" ", GIVE_UP_CHARS + 1)
    end = end if end >= 0 else len(text)
    found = None if prefixes else _located(text, end, terms)
    if found is not None:
        spans = sorted(found)
    else:
        if prefixes:
            words = set(WORD_PATTERN.findall(text, 0, end))
            matching = {w for w in words if _matches(_word_terms(w), terms, prefixes)}
        else:
            matching = _FORMS.matching(set(text[:end].split()), terms)
        spans = sorted(span for w in matching for span in _occurrences(text, w, end))
    hits: list[tuple[int, int]] = []
    for span in spans:
        if hits and (len(hits) >= MAX_HITS or span[0] > SCAN_CHARS):
            break
        if span[0] > GIVE_UP_CHARS:
            break
        hits.append(span)
    return hits


def _located(text: str, end: int, terms: set[str]) -> set[tuple[int, int]] | None:
    """Spans of the words before ``end`` that analyze to one of ``terms``, found by looking
    for the terms themselves in the ORIGINAL text; None when that shortcut does not apply.

    An Arabic word's term is its light stem with ة folded: a run of letters inside the
    ``search``-normalized word. So a word can only match where :func:`_term_pattern` finds
    the term spelled in any of the letters that fold to it, with harakat, tatweel or
    invisible marks in between; only the words around those places are analyzed. Applies to
    terms of Arabic letters only, in text that is NFKC already (apart from no-break spaces),
    so that no presentation form or composed sequence spells a letter some other way."""
    pattern = _term_pattern(frozenset(terms))
    if pattern is None:
        return None
    if not unicodedata.is_normalized("NFKC", text[:end].replace("\xa0", " ")):
        return None
    spans: set[tuple[int, int]] = set()
    found = pattern.search(text, 0, end)
    while found is not None:
        at = found.start()
        span = _word_around(text, at)
        nxt = at + 1
        if span is not None and span[1] <= end and _is_match(text, span, terms):
            spans.add(span)
            nxt = span[1]  # another place in this word gives the same span
        found = pattern.search(text, nxt, end)
    return spans


def _is_match(text: str, span: tuple[int, int], terms: set[str]) -> bool:
    return not terms.isdisjoint(_word_terms(text[span[0] : span[1]]))


@lru_cache(maxsize=1024)
def _term_pattern(terms: frozenset[str]) -> re.Pattern[str] | None:
    """Where one of ``terms`` may be written in original text (a superset of the places);
    None unless every term is made of Arabic letters that normalized text can hold."""
    spelled, removed = _spellings()
    if not all(t and all(spelled.get(c) for c in t) for t in terms):
        return None
    gap = f"[{removed}]*"
    # ي before ء folds away (شيء → شء): any ء may be written after a ي seat.
    letter = {c: f"[{spelled[c]}]" for c in spelled}
    letter["ء"] = f"(?:[{spelled['ي']}]{gap})?[{spelled['ء']}]"
    return re.compile("|".join(gap.join(letter[c] for c in t) for t in sorted(terms)))


@lru_cache(maxsize=1)
def _spellings() -> tuple[dict[str, str], str]:
    """Per Arabic letter, the NFKC-stable characters the ``search`` normalization folds to
    it (escaped for a character class); and the characters it removes. Derived from
    :func:`normalize` itself over the Basic Multilingual Plane, so the two never disagree."""
    spelled: dict[str, list[str]] = {chr(c): [] for c in range(0x0621, 0x064B)}
    removed: list[str] = []
    for code in range(0x10000):
        char = chr(code)
        if 0xD800 <= code < 0xE000 or unicodedata.normalize("NFKC", char) != char:
            continue
        folded = normalize(char, "search")
        if folded == "":
            removed.append(char)
        elif folded in spelled:
            spelled[folded].append(char)
    return {k: _escaped(v) for k, v in spelled.items()}, _escaped(removed)


def _escaped(chars: list[str]) -> str:
    return "".join(re.escape(c) for c in chars)


def _word_around(text: str, at: int) -> tuple[int, int] | None:
    """The span of the word of ``text`` (split from its start) that covers index ``at``."""
    start = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at)) + 1
    for match in WORD_PATTERN.finditer(text, start):
        if match.end() > at:
            return match.span() if match.start() <= at else None
    return None


def _occurrences(text: str, word: str, end: int) -> list[tuple[int, int]]:
    """The first ``MAX_HITS`` places before ``end`` where ``word`` is a whole word of ``text``."""
    found: list[tuple[int, int]] = []
    at = text.find(word, 0, end)
    while at >= 0 and len(found) < MAX_HITS:
        if _word_at(text, at) == word:
            found.append((at, at + len(word)))
        at = text.find(word, at + 1, end)
    return found


def _word_at(text: str, at: int) -> str | None:
    """The word starting at ``at`` when ``text`` is split into words from its start.

    No word spans a space or a line break, so splitting from just after the last one before
    ``at`` gives the same words there as splitting from the start."""
    start = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at)) + 1
    for match in WORD_PATTERN.finditer(text, start):
        if match.start() >= at:
            return match.group() if match.start() == at else None
    return None


def _matches(word_terms: tuple[str, ...], terms: set[str], prefixes: tuple[str, ...]) -> bool:
    if not terms.isdisjoint(word_terms):
        return True
    return any(t.startswith(prefixes) for t in word_terms)


@lru_cache(maxsize=65536)
def _word_terms(word: str) -> tuple[str, ...]:
    return tuple(analyze(word))


class _Forms:
    """Space-separated chunks seen in snippets, by the terms of their words (bounded; cleared
    when full). No word spans a space, so a chunk's words are those of the whole text there.

    Finding a text's matching words is then set arithmetic on its distinct chunks: only
    chunks never seen before are split into words and analyzed."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.words_of: dict[str, tuple[str, ...]] = {}
        self.by_term: dict[str, set[str]] = {}

    def matching(self, chunks: set[str], terms: set[str]) -> set[str]:
        """The words of ``chunks`` that analyze to one of ``terms``."""
        new = chunks.difference(self.words_of)
        if len(self.words_of) + len(new) > self.capacity:
            self.words_of.clear()
            self.by_term.clear()
            new = chunks
        for chunk in new:
            words = self.words_of[chunk] = tuple(WORD_PATTERN.findall(chunk))
            for word in words:
                for term in _word_terms(word):
                    self.by_term.setdefault(term, set()).add(chunk)
        found: set[str] = set()
        for term in terms:
            found |= self.by_term.get(term, set())
        return {
            w
            for chunk in chunks.intersection(found)
            for w in self.words_of[chunk]
            if not terms.isdisjoint(_word_terms(w))
        }


_FORMS = _Forms(capacity=300_000)


def _best_window(hits: list[tuple[int, int]], width: int) -> int:
    best_start, best_count = hits[0][0], 0
    for i, (s, _) in enumerate(hits):
        count = sum(1 for s2, e2 in hits[i:] if e2 <= s + width)
        if count > best_count:
            best_start, best_count = s, count
    return max(0, best_start - width // 4)


def _word_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < start + 30 else start
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return start, end


def _clip(text: str, start: int, width: int) -> str:
    clipped = text[start : start + width]
    return clipped + ("…" if len(text) > start + width else "")
