"""Related articles in SQLite: the feature rows and the bounded postings read."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from khabar.errors import NotFoundError
from khabar.stories.related import (
    POSTINGS,
    QUERY_FEATURES,
    Posting,
    best_related,
    score_postings,
)

__all__ = ["related_ids", "write_features"]


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
    postings: list[Posting] = []
    for feature in sorted(mine, key=lambda f: -mine[f])[:QUERY_FEATURES]:
        rows = conn.execute(
            """SELECT article_id, weight FROM article_features WHERE feature = ?
               ORDER BY weight DESC LIMIT ?""",
            (feature, POSTINGS),
        )
        postings.extend((int(a), feature, float(w)) for a, w in rows)
    scores = score_postings(mine, postings)
    scores.pop(article_id, None)
    top = sorted(scores, key=lambda a: -scores[a])[: limit * 5]
    marks = ",".join("?" * len(top))
    groups = {
        int(a): int(g)
        for a, g in conn.execute(
            f"SELECT id, coalesce(group_id, id) FROM articles WHERE id IN ({marks}) AND hidden = 0",
            top,
        )
    }
    return best_related({a: scores[a] for a in groups}, groups, int(own[0]), limit)
