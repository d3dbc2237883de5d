"""Already-collected articles (an archive, a research corpus) given as JSON lines.

One object per line: ``{"source": NAME_OR_URL, "url": …, "title": …, "text": …}`` required;
``published`` (ISO 8601 or RFC 822), ``author``, ``summary``, ``html``, ``guid``,
``categories``, ``language``, ``image`` optional. When ``html`` is given it goes through
extraction; otherwise ``text`` is taken as the article body (paragraphs split on blank lines,
or on single newlines when there are no blank lines).
"""

from __future__ import annotations

import gzip
import html as html_lib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from khabar.arabic.langid import detect_language
from khabar.errors import InvalidInputError
from khabar.extract import extract_article
from khabar.fetch.charset import decode_body
from khabar.types import ExtractedArticle, FeedEntry

__all__ = ["ImportRecord", "article_from_record", "parse_record_date", "read_jsonl", "read_page"]

_REQUIRED = ("source", "url", "title")


@dataclass(frozen=True, slots=True)
class ImportRecord:
    line: int
    source: str
    entry: FeedEntry
    text: str
    html: str | None


def read_page(path: Path) -> str:
    """The text of a saved page, gzipped or not, as UTF-8 (bad bytes replaced)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInputError(f"cannot read {path}: {exc.strerror}") from exc
    if path.suffix == ".gz" or raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except OSError as exc:
            raise InvalidInputError(f"{path}: not a valid gzip file ({exc})") from exc
    return decode_body(raw, None)[0]


def read_jsonl(path: Path) -> Iterator[ImportRecord | InvalidInputError]:
    """Records of a JSONL file (``.gz`` allowed); bad lines yield an error naming the line."""
    try:
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    yield _record(path, number, line)
    except (OSError, UnicodeDecodeError) as exc:
        yield InvalidInputError(f"{path}: cannot read: {exc}")


def _record(path: Path, number: int, line: str) -> ImportRecord | InvalidInputError:
    where = f"{path}:{number}"
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return InvalidInputError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})")
    if not isinstance(data, dict):
        return InvalidInputError(f"{where}: expected a JSON object")
    try:
        return _build(number, data)
    except (ValueError, TypeError) as exc:
        return InvalidInputError(f"{where}: {exc}")


def _build(number: int, data: dict[str, Any]) -> ImportRecord:
    for name in _REQUIRED:
        if not isinstance(data.get(name), str) or not data[name].strip():
            raise ValueError(f"field {name!r} is missing or not a non-empty string")
    text, html = data.get("text") or "", data.get("html")
    if not (isinstance(text, str) and text.strip()) and not (isinstance(html, str) and html):
        raise ValueError("field 'text' (or 'html') is missing or empty")
    categories = data.get("categories") or []
    if not isinstance(categories, list):
        raise ValueError("field 'categories' must be a list of strings")
    entry = FeedEntry(
        url=data["url"].strip(),
        guid=_opt_str(data, "guid"),
        title=data["title"].strip(),
        summary=_opt_str(data, "summary"),
        published=parse_record_date(data.get("published")),
        author=_opt_str(data, "author"),
        categories=tuple(str(c) for c in categories),
        image=_opt_str(data, "image"),
        language=_opt_str(data, "language"),
    )
    return ImportRecord(number, data["source"].strip(), entry, text, html)


def _opt_str(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ValueError(f"field {name!r} must be a string")
    return value


def parse_record_date(value: object) -> datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError("field 'published' must be a date string")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            raise ValueError(f"field 'published': cannot read the date {value!r}") from None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def article_from_record(record: ImportRecord) -> tuple[FeedEntry, ExtractedArticle]:
    """Run a record through the stages from extraction on."""
    entry = record.entry
    if record.html:
        return entry, extract_article(record.html, entry.url, entry)
    paragraphs = _paragraphs(record.text)
    body = "".join(f"<p>{html_lib.escape(p)}</p>" for p in paragraphs)
    language = entry.language or detect_language(" ".join(paragraphs)[:1000])
    article = ExtractedArticle(
        url=entry.url,
        title=entry.title,
        paragraphs=paragraphs,
        html=body,
        author=entry.author,
        published=entry.published,
        image=entry.image,
        language=language,
    )
    return entry, article


def _paragraphs(text: str) -> tuple[str, ...]:
    splitter = "\n\n" if "\n\n" in text else "\n"
    return tuple(p.strip() for p in text.split(splitter) if p.strip())
