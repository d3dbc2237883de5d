"""Related articles in PostgreSQL: the same rows and reads as ``khabar.storage.sqlite.related``."""

from __future__ import annotations

from collections.abc import Sequence

import psycopg
from psycopg.rows import DictRow

from khabar.errors import NotFoundError
from khabar.stories.related import (
    QUERY_FEATURES,
    best_scored,
    quantized,
    scoring_parameters,
    scoring_sql,
)

__all__ = ["related_ids", "write_features"]

Connection = psycopg.Connection[DictRow]


def write_features(
    conn: Connection, article_id: int, features: Sequence[tuple[int, float]]
) -> None:
    """Store an article's features with its copy group and hidden flag as they are now (a
    trigger of migration 11 follows later changes of either)."""
    conn.execute("DELETE FROM article_features WHERE article_id = %s", (article_id,))
    stored = quantized(features)
    if not stored:
        return
    conn.execute(
        """INSERT INTO article_features (feature, weight, article_id, group_id, hidden)
           SELECT t.f, t.w, a.id, a.group_id, a.hidden
           FROM unnest(%s::integer[], %s::smallint[]) AS t(f, w), articles a WHERE a.id = %s
           ON CONFLICT DO NOTHING""",
        ([f for f, _ in stored], [w for _, w in stored], article_id),
    )


def related_ids(conn: Connection, article_id: int, limit: int) -> list[int]:
    own = conn.execute(
        "SELECT coalesce(group_id, id) AS g FROM articles WHERE id = %s", (article_id,)
    ).fetchone()
    if own is None:
        raise NotFoundError(f"no article with id {article_id}")
    rows = conn.execute(
        "SELECT feature, weight FROM article_features WHERE article_id = %s", (article_id,)
    ).fetchall()
    mine = {int(r["feature"]): int(r["weight"]) for r in rows}
    if not mine:
        return []
    query = scoring_sql(min(len(mine), QUERY_FEATURES), "%s")
    found = conn.execute(query, scoring_parameters(mine, article_id, limit * 5))
    scored = ((r["article_id"], r["group_id"], r["score"]) for r in found)
    return best_scored(scored, int(own["g"]), limit)
