"""The bundled demo corpus: real Arabic articles from the ANT corpus v2.1 (corpus/CREDITS.md)."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from importlib import resources
from pathlib import Path
from typing import IO, Any

from khabar.demo.outlets import outlet_for_src

__all__ = ["CORPUS_RESOURCE", "DemoArticle", "load_corpus", "read_corpus_file"]

CORPUS_RESOURCE = "corpus/articles.jsonl.gz"

# Replica n (scale > 1) gets the n-th prefix (cycling) and is dated n days before the original.
REPLICA_TITLE_PREFIXES: tuple[str, ...] = ("محدث: ", "متابعة: ", "تقرير: ", "بالصور: ", "تحليل: ")


@dataclass(frozen=True, slots=True)
class DemoArticle:
    """One article as the mirror publishes it (the corpus record, parsed)."""

    slug: str
    docno: str
    outlet: str
    section: str
    sections: tuple[str, ...]
    title: str
    published: datetime
    pub_date: str
    author: str
    abstract: str
    text: str
    original_url: str
    replica: int = 0

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(line for line in self.text.split("\n") if line.strip())


def load_corpus(scale: int = 1) -> list[DemoArticle]:
    """The bundled articles, ordered by outlet then docno; ``scale`` copies of each.

    Copies 2..scale get distinct slugs (``-r1``, ``-r2``, ...), a title prefix and an earlier
    date, so a benchmark can serve ``500 * scale`` distinct pages. Raises ValueError if
    ``scale < 1``.
    """
    if scale < 1:
        raise ValueError(f"scale must be >= 1, got {scale}")
    resource = resources.files("khabar.demo").joinpath(CORPUS_RESOURCE)
    with resource.open("rb") as raw:
        base = _read_articles(raw)
    replicas = [_replica(article, n) for n in range(1, scale) for article in base]
    return base + replicas


def read_corpus_file(path: Path) -> list[DemoArticle]:
    """Articles from another file in the corpus format (JSON lines, gzip): for data sets that
    must not change when the demo's own selection does."""
    with path.open("rb") as raw:
        return _read_articles(raw)


def _read_articles(raw: IO[bytes]) -> list[DemoArticle]:
    with gzip.open(raw, "rt", encoding="utf-8") as lines:
        return [_parse(json.loads(line)) for line in lines if line.strip()]


def _parse(record: dict[str, Any]) -> DemoArticle:
    return DemoArticle(
        slug=str(record["slug"]),
        docno=str(record["docno"]),
        outlet=outlet_for_src(str(record["src"])).slug,
        section=str(record["cat"]),
        sections=tuple(str(cat) for cat in record["cats"]),
        title=str(record["title"]).strip(),
        published=parsedate_to_datetime(str(record["time"])),
        pub_date=str(record["time"]),
        author=str(record["author"]).strip(),
        abstract=str(record["abstract"]).strip(),
        text=str(record["text"]),
        original_url=str(record["url"]),
    )


def _replica(article: DemoArticle, n: int) -> DemoArticle:
    published = article.published - timedelta(days=n)
    prefix = REPLICA_TITLE_PREFIXES[(n - 1) % len(REPLICA_TITLE_PREFIXES)]
    return replace(
        article,
        slug=f"{article.slug}-r{n}",
        docno=f"{article.docno}-r{n}",
        title=prefix + article.title,
        published=published,
        pub_date=format_datetime(published, usegmt=article.pub_date.endswith("GMT")),
        replica=n,
    )
