"""Row ↔ value conversion for PostgreSQL (``timestamptz`` in, aware UTC datetimes out)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from khabar.types import Article, Source

__all__ = ["article_from_row", "clean_text", "source_from_row", "utc", "utc_or_none"]

Row = Mapping[str, Any]


def utc(value: datetime) -> datetime:
    """``value`` in UTC; a naive datetime is a bug (``ValueError``), as on SQLite."""
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r} given to storage; use timezone-aware UTC")
    return value.astimezone(UTC)


def utc_or_none(value: datetime | None) -> datetime | None:
    return None if value is None else utc(value)


def clean_text(value: str | None) -> str | None:
    """Text PostgreSQL can store: it refuses NUL characters, which SQLite keeps."""
    return value.replace("\x00", "") if value and "\x00" in value else value


def source_from_row(row: Row) -> Source:
    return Source(
        id=row["id"],
        url=row["url"],
        kind=row["kind"],
        title=row["title"],
        site_url=row["site_url"],
        category=row["category"],
        country=row["country"],
        language=row["language"],
        created_at=utc(row["created_at"]),
        paused=bool(row["paused"]),
        etag=row["etag"],
        last_modified=row["last_modified"],
        last_fetched_at=utc_or_none(row["last_fetched_at"]),
        next_fetch_at=utc_or_none(row["next_fetch_at"]),
        last_new_at=utc_or_none(row["last_new_at"]),
        error_count=row["error_count"],
        last_error=row["last_error"],
        article_count=row["article_count"],
        section_priors=tuple(sorted((row["section_priors"] or {}).items())),
    )


def article_from_row(row: Row) -> Article:
    return Article(
        id=row["id"],
        source_id=row["source_id"],
        key=row["key"],
        url=row["url"],
        title=row["title"],
        text=row["text"],
        html=row["html"],
        summary=row["summary"],
        canonical_url=row["canonical_url"],
        guid=row["guid"],
        author=row["author"],
        published=utc_or_none(row["published"]),
        updated=utc_or_none(row["updated"]),
        image=row["image"],
        language=row["language"],
        categories=tuple(row["categories"]),
        extraction_error=row["extraction_error"],
        fetched_at=utc(row["fetched_at"]),
        source_title=row["source_title"],
        section=row["section"],
        section_confidence=row["section_confidence"],
        section_decided_by=row["section_decided_by"],
        credited=row["credited"],
        copy_kind=row["copy_kind"],
        copy_of=row["copy_of"],
        group_id=row["group_id"],
        original_outlet=row["original_outlet"],
        original_id=row["original_id"],
        copies=int(row["copies"] or 0),
        story_id=row["story_id"],
        hidden=bool(row["hidden"]),
        marks=tuple(row["marks"]),
    )
