"""Highlighted snippets built from the ORIGINAL text, whatever the analyzer folded."""

from __future__ import annotations

import html
from functools import lru_cache

from khabar.arabic.tokenize import WORD_PATTERN
from khabar.search.analyzer import analyze

__all__ = ["make_snippet"]

MAX_HITS = 12  # enough matches to choose a good window; the rest of the text is not scanned
SCAN_CHARS = 3000  # past this point, stop at the first window that has a match
GIVE_UP_CHARS = 20_000  # matched only in the title or deep in a very long text: show the start


def make_snippet(text: str, terms: set[str], width: int = 240) -> str:
    """Escaped HTML: the window of ``text`` with most matches, matches in ``<mark>``.

    Only as much of the text is analyzed as it takes to find the matches (search results show
    20 snippets per page; articles can be long)."""
    hits = _hits(text, terms)
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


def _hits(text: str, terms: set[str]) -> list[tuple[int, int]]:
    hits: list[tuple[int, int]] = []
    for match in WORD_PATTERN.finditer(text):
        if hits and (len(hits) >= MAX_HITS or match.start() > SCAN_CHARS):
            break
        if match.start() > GIVE_UP_CHARS:
            break
        if any(t in terms for t in _word_terms(match.group())):
            hits.append(match.span())
    return hits


@lru_cache(maxsize=65536)
def _word_terms(word: str) -> tuple[str, ...]:
    return tuple(analyze(word))


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
