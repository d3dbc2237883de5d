"""Small text helpers shared by the feed parsers: titles as plain text, W3C/RFC 3339 dates."""

from __future__ import annotations

import html
import re
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from khabar.feeds.limits import MAX_MARKUP_DEPTH

__all__ = [
    "clean_text",
    "flatten_deep_markup",
    "html_to_text",
    "markup_depth",
    "parse_loose_date",
    "parse_w3c_datetime",
    "struct_time_to_utc",
]

_TAG_TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*?(/?)>")
# Elements that never hold others (WHATWG "void elements").
_VOID = frozenset(
    ("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr")
)  # fmt: skip
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
# W3C datetime profile (sitemaps) and RFC 3339 (JSON Feed): 2024, 2024-05, 2024-05-01,
# 2024-05-01T10:20Z, 2024-05-01T10:20:30.5+03:00.
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?$")
# "mer, 16 nov 2022 00:38:15 +0100": a weekday name feedparser does not know.
_LEADING_WEEKDAY = re.compile(r"^[^\d\s,]+,\s*")


def html_to_text(value: str) -> str:
    """Drop tags, decode entities and collapse whitespace (for titles and names)."""
    without_tags = _TAG.sub("", _BREAK.sub(" ", value))
    return _SPACE.sub(" ", html.unescape(without_tags)).strip()


def markup_depth(value: str, stop_at: int = MAX_MARKUP_DEPTH) -> int:
    """How deeply the tags of ``value`` nest, counting at most to ``stop_at + 1``.

    Unclosed tags count as open, so sloppy markup may read deeper than a browser would build
    it; that errs on the safe side.
    """
    depth = deepest = 0
    for match in _TAG_TOKEN.finditer(value):
        closing, name, self_closing = match.groups()
        if closing:
            depth = max(0, depth - 1)
        elif not self_closing and name.lower() not in _VOID:
            depth += 1
            deepest = max(deepest, depth)
            if deepest > stop_at:
                break
    return deepest


def flatten_deep_markup(value: str) -> str:
    """``value``, or its plain text when its markup nests deeper than ``MAX_MARKUP_DEPTH``
    (sanitizing and parsing such markup costs minutes; its text is all a reader could use)."""
    if markup_depth(value) > MAX_MARKUP_DEPTH:
        return html_to_text(value)
    return value


def clean_text(value: str | None) -> str | None:
    """Collapse whitespace; empty strings become ``None``."""
    if value is None:
        return None
    cleaned = _SPACE.sub(" ", value).strip()
    return cleaned or None


def struct_time_to_utc(value: time.struct_time | None) -> datetime | None:
    """feedparser's ``*_parsed`` values are UTC ``struct_time``s; ``None`` for one that is no
    date Python can hold (feedparser shifts "0001-01-01T00:00+05:00" into year 0)."""
    if value is None:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except ValueError:
        return None  # out of datetime's range: the entry is kept without this date


def parse_w3c_datetime(value: str | None) -> datetime | None:
    """Parse a W3C/RFC 3339 datetime to aware UTC; ``None`` when it is not a date.

    A value without an offset is taken as UTC (sitemaps often omit it). RFC 2822 dates
    (``Tue, 09 Jan 2018 02:59:43 GMT``), which some JSON Feeds use, are accepted too.
    """
    if value is None or not value.strip():
        return None
    text = value.strip()
    partial = _PARTIAL_DATE.match(text)
    parsed: datetime | None
    try:
        if partial:
            return datetime(int(partial[1]), int(partial[2] or 1), 1, tzinfo=UTC)
        parsed = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        parsed = _rfc2822(text)
    if parsed is None:
        return None  # not a date: callers keep the entry without it
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:
        return None  # "9999-12-31T23:59-05:00" is past the last datetime once in UTC


def _rfc2822(text: str) -> datetime | None:
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, OverflowError):
        return None  # neither RFC 3339 nor RFC 2822, or out of datetime's range


def parse_loose_date(value: str | None) -> datetime | None:
    """Last resort for feed dates feedparser could not read: W3C, or RFC 2822 with an
    unknown weekday name dropped. ``None`` when still not a date."""
    if value is None:
        return None
    return parse_w3c_datetime(value) or parse_w3c_datetime(_LEADING_WEEKDAY.sub("", value.strip()))
