"""Small text helpers shared by the feed parsers: titles as plain text, W3C/RFC 3339 dates."""

from __future__ import annotations

import html
import re
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

__all__ = [
    "clean_text",
    "html_to_text",
    "parse_loose_date",
    "parse_w3c_datetime",
    "struct_time_to_utc",
]

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


def clean_text(value: str | None) -> str | None:
    """Collapse whitespace; empty strings become ``None``."""
    if value is None:
        return None
    cleaned = _SPACE.sub(" ", value).strip()
    return cleaned or None


def struct_time_to_utc(value: time.struct_time | None) -> datetime | None:
    """feedparser's ``*_parsed`` values are UTC ``struct_time``s."""
    if value is None:
        return None
    return datetime(*value[:6], tzinfo=UTC)


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
    return parsed.astimezone(UTC)


def _rfc2822(text: str) -> datetime | None:
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None  # neither RFC 3339 nor RFC 2822


def parse_loose_date(value: str | None) -> datetime | None:
    """Last resort for feed dates feedparser could not read: W3C, or RFC 2822 with an
    unknown weekday name dropped. ``None`` when still not a date."""
    if value is None:
        return None
    return parse_w3c_datetime(value) or parse_w3c_datetime(_LEADING_WEEKDAY.sub("", value.strip()))
