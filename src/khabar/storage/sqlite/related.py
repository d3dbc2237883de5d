"""Related articles in SQLite: the feature rows and the bounded postings read."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from khabar.errors import NotFoundError
from khabar.stories.related import QUERY_FEATURES, best_related, scoring_parameters, scoring_sql

__all__ = ["best_visible", "related_ids", "write_features"]


def write_features(
    conn: sqlite3.Connection, article_id: int, features: Sequence[tuple[int, float]]
) -> None:
    conn.execute("DELETE FROM article_features WHERE article_id = ?", (article_id,))
    conn.executemany(
        "INSERT OR IGNORE INTO article_features (feature, weight, article_id) VALUES (?, ?, ?)",
        [(feature, weight, article_id) for feature, weight in features],
    )


def related_ids(conn: sqlite3.Connection, article_id: int, limit: int) -> list[int]:
    own = conn.execute(
        "SELECT coalesce(group_id, id) FROM articles WHERE id = ?", (article_id,)
    ).fetchone()
    if own is None:
        raise NotFoundError(f"no article with id {article_id}")
    mine = {
        int(f): float(w)
        for f, w in conn.execute(
            "SELECT feature, weight FROM article_features WHERE article_id = ?", (article_id,)
        )
    }
    if not mine:
        return []
    query = scoring_sql(min(len(mine), QUERY_FEATURES), "?")
    scores = {
        int(a): float(s)
        for a, s in conn.execute(query, scoring_parameters(mine, article_id, limit * 5))
    }
    return best_visible(conn, scores, int(own[0]), limit)


def best_visible(
    conn: sqlite3.Connection, scores: dict[int, float], own_group: int, limit: int
) -> list[int]:
    """The ``limit`` best of the scored articles that are not hidden, one per copy group and
    none of ``own_group`` (:func:`khabar.stories.related.best_related`)."""
    top = list(scores)
    marks = ",".join("?" * len(top))
    groups = {
        int(a): int(g)
        for a, g in conn.execute(
            f"SELECT id, coalesce(group_id, id) FROM articles WHERE id IN ({marks}) AND hidden = 0",
            top,
        )
    }
    return best_related({a: scores[a] for a in groups}, groups, own_group, limit)
