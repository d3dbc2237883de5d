"""Plain-data views of records for the CLI's ``--json`` output (pure functions)."""

from __future__ import annotations

import html
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from khabar.errors import InvalidInputError
from khabar.types import (
    Article,
    Attribution,
    Embed,
    EntityCount,
    ExtractedArticle,
    Link,
    SearchPage,
    Source,
    SourceUpdateResult,
    Story,
)

__all__ = [
    "article_dict",
    "expand_pages",
    "extracted_dict",
    "plain_snippet",
    "search_dict",
    "source_dict",
    "story_dict",
    "total_text",
    "trending_dict",
    "update_dict",
    "when",
]

_TAG = re.compile(r"<[^>]+>")


def when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "—"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def source_dict(s: Source) -> dict[str, Any]:
    return {
        "id": s.id,
        "url": s.url,
        "kind": s.kind,
        "title": s.title,
        "site_url": s.site_url,
        "category": s.category,
        "country": s.country,
        "language": s.language,
        "paused": s.paused,
        "article_count": s.article_count,
        "last_fetched_at": _iso(s.last_fetched_at),
        "next_fetch_at": _iso(s.next_fetch_at),
        "error_count": s.error_count,
        "last_error": s.last_error,
        "section_priors": dict(s.section_priors) or None,
    }


def article_dict(a: Article, *, full: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": a.id,
        "source_id": a.source_id,
        "source": a.source_title,
        "url": a.url,
        "canonical_url": a.canonical_url,
        "title": a.title,
        "author": a.author,
        "published": _iso(a.published),
        "language": a.language,
        "section": a.section,
        "extraction_error": a.extraction_error,
    }
    if full:
        data |= {
            "text": a.text,
            "summary": a.summary,
            "image": a.image,
            "categories": list(a.categories),
            "section_confidence": a.section_confidence,
            "section_decided_by": a.section_decided_by,
        }
    return data


def plain_snippet(snippet: str) -> str:
    return html.unescape(_TAG.sub("", snippet))


def total_text(page: SearchPage) -> str:
    """The count line under a result table: "more than" once counting stopped at the cap."""
    more = "more than " if page.total_is_lower_bound else ""
    return f"{more}{page.total} results"


def search_dict(page: SearchPage) -> dict[str, Any]:
    return {
        "query": page.query,
        "total": page.total,
        "total_is_lower_bound": page.total_is_lower_bound,
        "offset": page.offset,
        "hits": [
            {"score": h.score, "snippet": h.snippet, **article_dict(h.article, full=False)}
            for h in page.hits
        ],
    }


def update_dict(r: SourceUpdateResult) -> dict[str, Any]:
    return {
        "source_id": r.source_id,
        "url": r.source_url,
        "status": r.status,
        "new": r.new,
        "unchanged": r.unchanged,
        "failed": r.failed,
        "error": r.error,
        "page_errors": list(r.page_errors),
    }


def extracted_dict(origin: str, a: ExtractedArticle) -> dict[str, Any]:
    return {
        "path": origin,
        "url": a.url,
        "title": a.title,
        "text": a.text,
        "paragraphs": list(a.paragraphs),
        "html": a.html,
        "author": a.author,
        "published": _iso(a.published),
        "updated": _iso(a.updated),
        "image": a.image,
        "canonical_url": a.canonical_url,
        "language": a.language,
        "site_name": a.site_name,
        "tags": list(a.tags),
        "attribution": _attribution_dict(a.attribution),
        "read_also": [_link_dict(link) for link in a.read_also],
        "related": [_link_dict(link) for link in a.related],
        "embeds": [_embed_dict(embed) for embed in a.embeds],
        "error": a.error,
    }


def _attribution_dict(a: Attribution | None) -> dict[str, str] | None:
    if a is None:
        return None
    return {"name": a.name, "normalized_name": a.normalized_name, "evidence": a.evidence}


def _link_dict(link: Link) -> dict[str, Any]:
    data: dict[str, Any] = {"title": link.title, "url": link.url}
    if link.text:
        data["text"] = link.text
    return data


def _embed_dict(e: Embed) -> dict[str, Any]:
    return {
        "kind": e.kind,
        "url": e.url,
        "text": e.text,
        "author": e.author,
        "published": e.published.isoformat() if e.published else None,
        "language": e.language,
    }


def expand_pages(paths: list[Path]) -> list[Path]:
    """Files given, with directories expanded to their .html / .html.gz / .htm files."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if _is_page(p)))
        elif path.is_file():
            files.append(path)
        else:
            raise InvalidInputError(f"{path}: no such file or directory")
    return files


def _is_page(path: Path) -> bool:
    name = path.name.lower()
    return path.is_file() and name.endswith((".html", ".htm", ".html.gz", ".htm.gz"))


def story_dict(s: Story) -> dict[str, Any]:
    return {
        "id": s.id,
        "title": s.title,
        "title_article_id": s.title_article_id,
        "first_seen": s.first_seen.isoformat(),
        "last_seen": s.last_seen.isoformat(),
        "size": s.size,
        "outlets": list(s.outlets),
    }


def trending_dict(t: EntityCount) -> dict[str, Any]:
    return {
        "key": t.key,
        "type": t.type,
        "name": t.name,
        "last_24h": t.recent,
        "previous_7d": t.before,
    }
