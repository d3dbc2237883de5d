"""Row ↔ value conversion for SQLite (datetimes as fixed-width UTC ISO text)."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime

from khabar.types import Article, Source

__all__ = ["article_from_row", "from_ts", "source_from_row", "to_ts"]


def to_ts(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r} given to storage; use timezone-aware UTC")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def from_ts(value: str | None) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value)


def _required_ts(value: str) -> datetime:
    return datetime.fromisoformat(value)


def source_from_row(row: sqlite3.Row) -> Source:
    return Source(
        id=row["id"],
        url=row["url"],
        kind=row["kind"],
        title=row["title"],
        site_url=row["site_url"],
        category=row["category"],
        country=row["country"],
        language=row["language"],
        created_at=_required_ts(row["created_at"]),
        paused=bool(row["paused"]),
        etag=row["etag"],
        last_modified=row["last_modified"],
        last_fetched_at=from_ts(row["last_fetched_at"]),
        next_fetch_at=from_ts(row["next_fetch_at"]),
        last_new_at=from_ts(row["last_new_at"]),
        error_count=row["error_count"],
        last_error=row["last_error"],
        article_count=row["article_count"],
        section_priors=tuple(sorted(json.loads(row["section_priors"] or "{}").items())),
    )


def article_from_row(row: sqlite3.Row) -> Article:
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
        published=from_ts(row["published"]),
        updated=from_ts(row["updated"]),
        image=row["image"],
        language=row["language"],
        categories=tuple(json.loads(row["categories"])),
        extraction_error=row["extraction_error"],
        fetched_at=_required_ts(row["fetched_at"]),
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
        marks=tuple(json.loads(row["marks"])),
    )
