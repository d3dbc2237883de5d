"""Related articles in PostgreSQL: the same rows and reads as ``khabar.storage.sqlite.related``."""

from __future__ import annotations

from collections.abc import Sequence

import psycopg
from psycopg.rows import DictRow

from khabar.errors import NotFoundError
from khabar.stories.related import QUERY_FEATURES, best_related, scoring_parameters, scoring_sql

__all__ = ["related_ids", "write_features"]

Connection = psycopg.Connection[DictRow]


def write_features(
    conn: Connection, article_id: int, features: Sequence[tuple[int, float]]
) -> None:
    conn.execute("DELETE FROM article_features WHERE article_id = %s", (article_id,))
    if not features:
        return
    conn.execute(
        """INSERT INTO article_features (feature, weight, article_id)
           SELECT f, w, %s FROM unnest(%s::integer[], %s::real[]) AS t(f, w)
           ON CONFLICT DO NOTHING""",
        (article_id, [f for f, _ in features], [w for _, w in features]),
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
    mine = {int(r["feature"]): float(r["weight"]) for r in rows}
    if not mine:
        return []
    query = scoring_sql(min(len(mine), QUERY_FEATURES), "%s")
    found = conn.execute(query, scoring_parameters(mine, article_id, limit * 5)).fetchall()
    scores = {int(r["article_id"]): float(r["score"]) for r in found}
    top = list(scores)
    group_rows = conn.execute(
        "SELECT id, coalesce(group_id, id) AS g FROM articles WHERE id = ANY(%s) AND NOT hidden",
        (top,),
    ).fetchall()
    groups = {int(r["id"]): int(r["g"]) for r in group_rows}
    return best_related({a: scores[a] for a in groups}, groups, int(own["g"]), limit)
