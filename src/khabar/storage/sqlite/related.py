"""Related articles in SQLite: the feature rows and the bounded postings read."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from khabar.errors import NotFoundError
from khabar.stories.related import (
    QUERY_FEATURES,
    best_scored,
    quantized,
    scoring_parameters,
    scoring_sql,
)

__all__ = ["related_ids", "write_features"]


def write_features(
    conn: sqlite3.Connection, article_id: int, features: Sequence[tuple[int, float]]
) -> None:
    """Store an article's features with its copy group and hidden flag as they are now (a
    trigger of migration 11 follows later changes of either)."""
    conn.execute("DELETE FROM article_features WHERE article_id = ?", (article_id,))
    conn.executemany(
        """INSERT OR IGNORE INTO article_features (feature, weight, article_id, group_id, hidden)
           SELECT ?, ?, id, group_id, hidden FROM articles WHERE id = ?""",
        [(feature, weight, article_id) for feature, weight in quantized(features)],
    )


def related_ids(conn: sqlite3.Connection, article_id: int, limit: int) -> list[int]:
    own = conn.execute(
        "SELECT coalesce(group_id, id) FROM articles WHERE id = ?", (article_id,)
    ).fetchone()
    if own is None:
        raise NotFoundError(f"no article with id {article_id}")
    mine = {
        int(f): int(w)
        for f, w in conn.execute(
            "SELECT feature, weight FROM article_features WHERE article_id = ?", (article_id,)
        )
    }
    if not mine:
        return []
    query = scoring_sql(min(len(mine), QUERY_FEATURES), "?")
    rows = conn.execute(query, scoring_parameters(mine, article_id, limit * 5))
    return best_scored(rows, int(own[0]), limit)
