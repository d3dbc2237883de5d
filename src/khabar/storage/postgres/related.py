"""Related articles in PostgreSQL: the same rows and reads as ``khabar.storage.sqlite.related``."""

from __future__ import annotations

from collections.abc import Sequence

import psycopg
from psycopg.rows import DictRow

from khabar.errors import NotFoundError
from khabar.stories.related import (
    POSTINGS,
    QUERY_FEATURES,
    Posting,
    best_related,
    score_postings,
)

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
    postings: list[Posting] = []
    for feature in sorted(mine, key=lambda f: -mine[f])[:QUERY_FEATURES]:
        found = conn.execute(
            """SELECT article_id, weight FROM article_features WHERE feature = %s
               ORDER BY weight DESC LIMIT %s""",
            (feature, POSTINGS),
        ).fetchall()
        postings.extend((int(r["article_id"]), feature, float(r["weight"])) for r in found)
    scores = score_postings(mine, postings)
    scores.pop(article_id, None)
    top = sorted(scores, key=lambda a: -scores[a])[: limit * 5]
    group_rows = conn.execute(
        "SELECT id, coalesce(group_id, id) AS g FROM articles WHERE id = ANY(%s) AND NOT hidden",
        (top,),
    ).fetchall()
    groups = {int(r["id"]): int(r["g"]) for r in group_rows}
    return best_related({a: scores[a] for a in groups}, groups, int(own["g"]), limit)
