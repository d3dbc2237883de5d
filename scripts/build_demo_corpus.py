"""Build the bundled demo corpus from the ANT corpus v2.1.

Reads the ANT training split (JSON lines, gzip) and writes a small, deterministic selection of
real articles to ``src/khabar/demo/corpus/articles.jsonl.gz``: ``--per-outlet`` articles from each
of the five outlets, spread round-robin across that outlet's categories. Every kept record has the
original fields plus a stable ``slug``.

Articles of one news week (:data:`NEWS_WEEK`, the 8 days from 4 April 2018: at least 81 usable
articles from each outlet) come first in every category, so the outlets cover the same events and
the demo shows stories told by several outlets; a category short of them is filled with earlier
articles (never later ones: the newest articles are the week's).

Usage: ``.venv/bin/python scripts/build_demo_corpus.py [--source PATH] [--out PATH]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = Path("/work/shared/data/ant/train.jsonl.gz")
DEFAULT_OUT = ROOT / "src" / "khabar" / "demo" / "corpus" / "articles.jsonl.gz"
NEWS_WEEK = (dt.date(2018, 4, 4), dt.date(2018, 4, 11))
"""First and last day of the week whose articles come first (UTC dates)."""
FIELDS = ("docno", "url", "src", "cat", "cats", "title", "time", "author", "abstract", "text")


@dataclass(frozen=True)
class Rules:
    """What makes an ANT record good enough to show as a demo article page."""

    min_paragraphs: int = 3
    min_chars: int = 600
    max_chars: int = 5000


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def paragraphs(text: str) -> list[str]:
    return [part.strip() for part in text.split("\n") if part.strip()]


def is_usable(record: dict[str, Any], rules: Rules) -> bool:
    text = str(record.get("text", ""))
    return (
        bool(str(record.get("title", "")).strip())
        and bool(str(record.get("abstract", "")).strip())
        and "<" not in text
        and rules.min_chars <= len(text) <= rules.max_chars
        and len(paragraphs(text)) >= rules.min_paragraphs
    )


def slug_for(docno: str) -> str:
    """``AL-culture-1-20180218`` -> ``al-culture-1-20180218`` (stable, ASCII, URL-safe)."""
    return re.sub(r"[^a-z0-9]+", "-", docno.lower()).strip("-")


def order_key(record: dict[str, Any]) -> tuple[bool, str]:
    """The news week's articles first, then the earlier ones; a stable pseudo-random order
    within each."""
    return (not in_news_week(record), hashlib.sha256(str(record["docno"]).encode()).hexdigest())


def published_day(record: dict[str, Any]) -> dt.date | None:
    try:
        return parsedate_to_datetime(str(record.get("time") or "")).astimezone(dt.UTC).date()
    except (TypeError, ValueError):
        return None


def in_news_week(record: dict[str, Any]) -> bool:
    day = published_day(record)
    return day is not None and NEWS_WEEK[0] <= day <= NEWS_WEEK[1]


def before_news_week_ends(record: dict[str, Any]) -> bool:
    day = published_day(record)
    return day is not None and day <= NEWS_WEEK[1]


def select(
    records: Iterable[dict[str, Any]], per_outlet: int, rules: Rules
) -> list[dict[str, Any]]:
    by_outlet: dict[str, dict[str, list[dict[str, Any]]]] = {}
    seen_titles: set[str] = set()
    for record in sorted(records, key=order_key):
        title = str(record["title"]).strip()
        if (
            title in seen_titles
            or not is_usable(record, rules)
            or not before_news_week_ends(record)
        ):
            continue
        seen_titles.add(title)
        by_outlet.setdefault(record["src"], {}).setdefault(record["cat"], []).append(record)
    chosen: list[dict[str, Any]] = []
    for src in sorted(by_outlet):
        chosen.extend(round_robin(by_outlet[src], per_outlet))
    return chosen


def round_robin(by_category: dict[str, list[dict[str, Any]]], limit: int) -> list[dict[str, Any]]:
    queues = [list(by_category[cat]) for cat in sorted(by_category)]
    picked: list[dict[str, Any]] = []
    while len(picked) < limit and any(queues):
        for queue in queues:
            if queue and len(picked) < limit:
                picked.append(queue.pop(0))
    return picked


def to_output(record: dict[str, Any]) -> dict[str, Any]:
    out = {field: record[field] for field in FIELDS}
    out["text"] = "\n".join(paragraphs(str(record["text"])))
    out["slug"] = slug_for(str(record["docno"]))
    return out


def write(records: list[dict[str, Any]], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    records = sorted(records, key=lambda r: (r["src"], r["docno"]))
    payload = "".join(json.dumps(to_output(r), ensure_ascii=False) + "\n" for r in records)
    # mtime=0 keeps the gzip bytes identical between runs.
    with out.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(payload.encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--per-outlet", type=int, default=100)
    args = parser.parse_args()
    chosen = select(read_records(args.source), args.per_outlet, Rules())
    write(chosen, args.out)
    counts: dict[str, int] = {}
    for record in chosen:
        counts[record["src"]] = counts.get(record["src"], 0) + 1
    print(f"wrote {len(chosen)} articles to {args.out} ({args.out.stat().st_size} bytes): {counts}")


if __name__ == "__main__":
    main()
