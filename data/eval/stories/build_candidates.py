"""Propose candidate story groups for the ANT week that a person then reads and judges.

This script only PROPOSES: it prints the articles of one week ordered so that look-alikes sit
together (single-link components of title+lead TF-IDF cosine), each with its nearest
neighbours. The labels in ``ant_week_stories.jsonl`` were decided by reading, not by this.

Usage (from the project root)::

    .venv/bin/python data/eval/stories/build_candidates.py \
        --ant ../shared/data/ant/train.jsonl.gz --start 2018-03-12 --days 7 > /tmp/candidates.txt
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

from khabar.arabic.normalize import normalize
from khabar.arabic.stem import stem
from khabar.arabic.stopwords import is_stopword
from khabar.arabic.tokenize import is_url, tokenize

LEAD_CHARS = 400
"""How much of the body joins title and abstract in the comparison (the lead names the event)."""
LINK_COSINE = 0.30
"""Two articles are linked into one candidate component at this cosine or above."""
NEIGHBOURS = 4


@dataclass(frozen=True, slots=True)
class Article:
    docno: str
    src: str
    cat: str
    time: datetime
    title: str
    abstract: str
    lead: str


def read_week(path: Path, start: date, days: int) -> list[Article]:
    """Articles whose RSS pubDate (in UTC) falls on ``start`` … ``start + days - 1``."""
    end = start + timedelta(days=days)
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    week = [_article(row) for row in rows]
    return sorted((a for a in week if start <= a.time.date() < end), key=lambda a: a.time)


def _article(row: dict[str, str]) -> Article:
    when = parsedate_to_datetime(row["time"]).astimezone(UTC)
    lead = " ".join(row["text"].split())[:LEAD_CHARS]
    return Article(row["docno"], row["src"], row["cat"], when, row["title"], row["abstract"], lead)


def terms(text: str) -> list[str]:
    """Stemmed content words of ``text`` (stopwords, URLs and short tokens dropped)."""
    words = (normalize(t, "stem") for t in tokenize(text) if not is_url(t))
    return [stem(w) for w in words if len(w) > 2 and not is_stopword(w)]


def similarity(articles: Sequence[Article]) -> NDArray[np.float64]:
    """Cosine of TF-IDF vectors of title (counted twice), abstract and lead."""
    docs = [f"{a.title} {a.title} {a.abstract} {a.lead}" for a in articles]
    vectorizer = TfidfVectorizer(analyzer=terms, sublinear_tf=True, min_df=1)
    matrix = vectorizer.fit_transform(docs)
    sims = (matrix @ matrix.T).toarray()
    np.fill_diagonal(sims, 0.0)
    return np.asarray(sims, dtype=np.float64)


def components(sims: NDArray[np.float64], threshold: float) -> list[list[int]]:
    """Single-link components of the graph ``sims >= threshold``, largest first."""
    parent = list(range(len(sims)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in zip(*np.nonzero(np.triu(sims) >= threshold), strict=True):
        parent[find(int(i))] = find(int(j))
    groups: dict[int, list[int]] = {}
    for i in range(len(sims)):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values(), key=lambda g: (-len(g), g[0]))


def render(articles: Sequence[Article], sims: NDArray[np.float64]) -> Iterable[str]:
    """Lines for a reader: one block per candidate component, members in time order."""
    for number, group in enumerate(components(sims, LINK_COSINE)):
        yield f"=== candidate {number} ({len(group)})"
        for i in group:
            yield from _block(articles, sims, i)


def _block(articles: Sequence[Article], sims: NDArray[np.float64], i: int) -> Iterable[str]:
    a = articles[i]
    near = np.argsort(-sims[i])[:NEIGHBOURS]
    links = ", ".join(f"{articles[j].docno}:{sims[i, j]:.2f}" for j in near if sims[i, j] > 0.1)
    yield f"[{i}] {a.docno} | {a.src} | {a.cat} | {a.time:%m-%d %H:%M}"
    yield f"  T: {a.title}"
    yield f"  A: {a.abstract[:300]}"
    yield f"  L: {a.lead}"
    yield f"  near: {links}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ant", type=Path, required=True)
    parser.add_argument("--start", type=date.fromisoformat, required=True)
    parser.add_argument("--days", type=int, default=7)
    args = parser.parse_args(argv)
    articles = read_week(args.ant, args.start, args.days)
    sims = similarity(articles)
    for line in render(articles, sims):
        sys.stdout.write(line + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
