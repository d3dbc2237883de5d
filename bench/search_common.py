"""Helpers shared by ``bench/search_relevance.py`` and ``bench/search_speed.py``.

Both read ANT (``../shared/data/ant/train.jsonl.gz``, 24,206 Arabic news articles from five
outlets) directly and store articles through Khabar's real storage API
(``open_storage("sqlite:///…")``, ``add_source``, ``upsert_article``, ``search.update``).
"""

from __future__ import annotations

import gzip
import json
import os
import platform
import sqlite3
import sys
import time
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from khabar.storage import open_storage
from khabar.storage.protocol import StorageType
from khabar.types import ArticleDraft, NewSource

__all__ = [
    "ANT",
    "AntArticle",
    "IndexTimer",
    "add_sources",
    "db_size",
    "draft",
    "load_ant",
    "machine_line",
    "markdown_table",
    "open_bench_storage",
    "query_words",
    "require_ant",
]

ROOT = Path(__file__).resolve().parents[1]
ANT = ROOT.parent / "shared" / "data" / "ant" / "train.jsonl.gz"


@dataclass(frozen=True, slots=True)
class AntArticle:
    """One ANT article, as far as the search benchmarks need it."""

    docno: str
    src: str
    title: str
    text: str
    published: datetime | None


def require_ant(path: Path = ANT) -> Path:
    """``path`` if it exists; otherwise exit with a message saying what is missing."""
    if not path.is_file():
        sys.exit(
            f"MISSING DATA: {path} not found. These benchmarks read the ANT corpus from "
            "../shared/data/ant/train.jsonl.gz (next to the repository); nothing was measured."
        )
    return path


def load_ant(path: Path = ANT) -> Iterator[AntArticle]:
    """ANT articles in file order (streamed)."""
    with gzip.open(require_ant(path), "rt", encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            yield AntArticle(
                docno=row["docno"],
                src=row["src"],
                title=row["title"],
                text=row["text"],
                published=_parse_time(row.get("time")),
            )


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).astimezone(UTC)
    except (TypeError, ValueError):
        return None  # a bad ANT time only loses the article's date; sort_time falls back


def open_bench_storage(path: Path) -> StorageType:
    return open_storage(f"sqlite:///{path}")


def add_sources(storage: StorageType, outlets: Iterable[str]) -> dict[str, int]:
    """One source per ANT outlet (``src``); returns outlet → source id."""
    return {
        src: storage.add_source(
            NewSource(url=f"https://{src}.example/feed", title=src, language="ar")
        ).id
        for src in sorted(set(outlets))
    }


def draft(
    source_id: int, key: str, title: str, text: str, published: datetime | None
) -> ArticleDraft:
    return ArticleDraft(
        source_id=source_id,
        key=key,
        url=f"https://bench.example/{key}",
        title=title,
        text=text,
        published=published,
        language="ar",
    )


class IndexTimer:
    """Stores drafts in batches and indexes each batch; times the two stages apart."""

    def __init__(self, storage: StorageType, batch: int = 1000) -> None:
        self.storage = storage
        self.batch = batch
        self.store_seconds = 0.0
        self.index_seconds = 0.0
        self.count = 0
        self._pending: list[ArticleDraft] = []

    def add(self, item: ArticleDraft) -> None:
        self._pending.append(item)
        if len(self._pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        start = time.perf_counter()
        for item in self._pending:
            self.storage.upsert_article(item)
        middle = time.perf_counter()
        self.storage.search.update()
        self.store_seconds += middle - start
        self.index_seconds += time.perf_counter() - middle
        self.count += len(self._pending)
        self._pending.clear()

    @property
    def seconds(self) -> float:
        return self.store_seconds + self.index_seconds


def db_size(path: Path) -> int:
    """Bytes on disk of a SQLite file with its WAL and shared-memory files."""
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())


def machine_line(started: datetime) -> str:
    return (
        f"{started:%Y-%m-%d %H:%M} UTC — {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}"
    )


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def query_words(title: str) -> list[str]:
    """A title as a reader types it: letters, marks and digits; everything else a space."""
    kept = "".join(ch if unicodedata.category(ch)[0] in "LMN" else " " for ch in title)
    return kept.split()
