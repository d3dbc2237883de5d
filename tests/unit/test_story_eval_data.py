"""The labelled story-clustering set in data/eval/stories/ is well formed.

The set is hand-labelled data (see data/eval/stories/README.md); these checks keep its two files
consistent with each other and with what the README promises, without needing ../shared/data.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

STORIES_DIR = Path(__file__).resolve().parents[2] / "data" / "eval" / "stories"
ARTICLES_FILE = STORIES_DIR / "ant_week_stories.jsonl"
STORIES_FILE = STORIES_DIR / "stories.jsonl"
OUTLETS = {"alarabia", "BBC", "CNN", "france24", "skynews"}
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ARABIC_LETTER = re.compile("[\u0621-\u064a]")


def _read(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.fixture(scope="module")
def articles() -> list[dict[str, Any]]:
    return _read(ARTICLES_FILE)


@pytest.fixture(scope="module")
def stories() -> dict[str, dict[str, Any]]:
    rows = _read(STORIES_FILE)
    by_slug = {row["story"]: row for row in rows}
    assert len(by_slug) == len(rows), "a story slug appears twice in stories.jsonl"
    return by_slug


def test_article_records_have_exactly_the_documented_fields(articles: list[dict[str, Any]]) -> None:
    assert {frozenset(a) for a in articles} == {
        frozenset({"docno", "src", "time", "title", "story"})
    }


def test_story_records_have_exactly_the_documented_fields(
    stories: dict[str, dict[str, Any]],
) -> None:
    fields = {frozenset(s) for s in stories.values()}
    assert fields == {frozenset({"story", "description", "size", "outlets"})}


def test_docnos_are_unique(articles: list[dict[str, Any]]) -> None:
    counts = Counter(a["docno"] for a in articles)
    assert [d for d, n in counts.items() if n > 1] == []


def test_at_least_300_articles_from_all_five_outlets(articles: list[dict[str, Any]]) -> None:
    assert len(articles) >= 300
    assert {a["src"] for a in articles} == OUTLETS


def test_every_article_story_is_described(
    articles: list[dict[str, Any]], stories: dict[str, dict[str, Any]]
) -> None:
    assert {a["story"] for a in articles} == set(stories)


def test_story_sizes_and_outlets_match_the_articles(
    articles: list[dict[str, Any]], stories: dict[str, dict[str, Any]]
) -> None:
    members: dict[str, list[dict[str, Any]]] = {}
    for article in articles:
        members.setdefault(article["story"], []).append(article)
    for slug, story in stories.items():
        assert story["size"] == len(members[slug]), slug
        assert story["outlets"] == sorted({a["src"] for a in members[slug]}), slug


def test_slugs_are_short_ascii_and_descriptions_arabic(
    stories: dict[str, dict[str, Any]],
) -> None:
    for slug, story in stories.items():
        assert SLUG.fullmatch(slug) and len(slug) <= 48, slug
        assert ARABIC_LETTER.search(story["description"]), slug


def test_window_spans_at_most_seven_days(articles: list[dict[str, Any]]) -> None:
    times = [datetime.fromisoformat(a["time"].replace("Z", "+00:00")) for a in articles]
    assert all(t.utcoffset() == timedelta(0) for t in times)
    assert max(times) - min(times) <= timedelta(days=7)


def test_articles_are_sorted_by_story_then_time(articles: list[dict[str, Any]]) -> None:
    keys = [(a["story"], a["time"]) for a in articles]
    assert keys == sorted(keys)


def test_the_set_has_many_multi_article_and_multi_outlet_stories(
    stories: dict[str, dict[str, Any]],
) -> None:
    multi = [s for s in stories.values() if s["size"] > 1]
    assert len(multi) >= 40
    assert sum(1 for s in multi if len(s["outlets"]) >= 3) >= 20
    assert any(s["size"] == 1 for s in stories.values())
