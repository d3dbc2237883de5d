"""The text-mode cleaner: a page captured as plain text -> the same fields as ``extract``.

Lines are cut into segments at marker lines (the phrases of ``data/extract/markers.toml``):
the lines before the first marker are the body; a read-also segment is a list of headlines, or
one headline followed by the text of another article glued in (some of its lines read as
prose); a related segment is a list of headlines; a tag line's words lose the navigation
words. Menu runs (lines made only of section words) are dropped, and their words join the
navigation words. The credit line ("المصدر: …") is read and dropped as in HTML mode.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from khabar.arabic.langid import MAX_CHARS, detect_language
from khabar.extract.attribution import find_attribution
from khabar.extract.rules import (
    MAX_MARKER_WORDS,
    MarkerKind,
    Rules,
    fold,
    fold_words,
    load_rules,
    marker_kind,
)
from khabar.extract.tags import clean_tags, menu_words, split_tag_line
from khabar.types import ExtractedArticle, Link

__all__ = ["MAX_HEADLINE_CHARS", "clean_text"]

MAX_HEADLINE_CHARS: Final = 150
"""A longer line, or one ending like a sentence, is prose rather than a headline."""
MAX_HEADING_TAIL_WORDS: Final = 3
_BULLETS: Final = "•·▪●◦*-–—>»◀▶ \t"
_SENTENCE_ENDS: Final = (".", "!", "؟", "?", "…", ":")


@dataclass(slots=True)
class _Segment:
    kind: MarkerKind | None
    head: str = ""
    """What followed the marker phrase on its own line."""
    lines: list[str] = field(default_factory=list)


def clean_text(text: str, url: str = "") -> ExtractedArticle:
    """Segment plain page ``text`` into body, attribution, tags, read-also and related."""
    rules = load_rules()
    segments = _segments(text, rules)
    nav: list[str] = []
    body = [line for line in segments[0].lines if not _is_menu(line, rules, nav)]
    found = find_attribution(body, rules)
    if found is not None and found.line is not None:
        del body[found.line]
    read_also: list[Link] = []
    related: list[Link] = []
    raw_tags: list[str] = []
    for segment in segments[1:]:
        if segment.kind == "read_also":
            read_also.extend(_read_also(segment, body))
        elif segment.kind == "related":
            related.extend(Link(title=t) for t in _headlines(segment, body))
        else:
            raw_tags.extend(
                t for line in [segment.head, *segment.lines] for t in split_tag_line(line)
            )
    paragraphs = tuple(body)
    return ExtractedArticle(
        url=url,
        title=None,
        paragraphs=paragraphs,
        html="",
        language=detect_language(" ".join(paragraphs)[:MAX_CHARS]),
        tags=clean_tags(raw_tags, rules, nav),
        attribution=found.attribution if found else None,
        read_also=tuple(read_also),
        related=tuple(related),
    )


def _segments(text: str, rules: Rules) -> list[_Segment]:
    segments = [_Segment(kind=None)]
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        marker = _marker(line, rules)
        if marker is None:
            segments[-1].lines.append(line)
        else:
            segments.append(_Segment(kind=marker[0], head=marker[1]))
    return segments


def _marker(line: str, rules: Rules) -> tuple[MarkerKind, str] | None:
    """The marker ``line`` opens with and what follows it, when the line is a heading."""
    words = fold_words(line)
    match = marker_kind(words[: MAX_MARKER_WORDS + 1], rules)
    if match is None:
        return None
    kind, size = match
    raw = [w for w in line.split() if fold(w)]
    rest = " ".join(raw[size:]).strip(_BULLETS + ":")
    if kind == "tags" or ":" in line or len(words) - size <= MAX_HEADING_TAIL_WORDS:
        return kind, rest
    return None


def _is_prose(line: str) -> bool:
    return len(line) > MAX_HEADLINE_CHARS or line.rstrip().endswith(_SENTENCE_ENDS)


def _headline(line: str) -> str:
    return line.strip(_BULLETS)


def _read_also(segment: _Segment, body: list[str]) -> list[Link]:
    """Headlines; or one headline and a glued article. Prose after 2+ headlines is the body's."""
    lines = [segment.head, *segment.lines] if segment.head else list(segment.lines)
    if not lines:
        return []
    count = next((i for i, line in enumerate(lines) if _is_prose(line)), len(lines))
    bulleted = any(line[0] in _BULLETS for line in segment.lines)
    if count == 1 and not bulleted:
        return [Link(title=_headline(lines[0]), text="\n\n".join(lines[1:]))]
    body.extend(lines[count:])
    return [Link(title=_headline(line)) for line in lines[:count]]


def _headlines(segment: _Segment, body: list[str]) -> list[str]:
    """The headlines of a related list; a long prose line after it goes back to the body."""
    titles = [_headline(segment.head)] if segment.head else []
    for line in segment.lines:
        if len(line) > MAX_HEADLINE_CHARS:
            body.append(line)
        elif _headline(line):
            titles.append(_headline(line))
    return titles


def _is_menu(line: str, rules: Rules, nav: list[str]) -> bool:
    """Whether ``line`` is a menu run (then its words are added to ``nav``)."""
    spans = menu_words(line, rules)
    if spans is None or len(spans) < 2:
        return False  # a lone section word may be a heading of the article
    nav.extend(spans)
    return True
