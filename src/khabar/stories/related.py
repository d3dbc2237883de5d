"""Related articles (مقالات مشابهة): the stored articles whose heaviest features meet an
article's own, scored by the dot product of those weights (pure).

Each article keeps its ``FEATURES`` heaviest story-vector features (terms and entity names,
:mod:`khabar.stories.vectors`). To find related ones, storage reads for each of the article's
``QUERY_FEATURES`` heaviest features the ``POSTINGS`` visible articles where that feature weighs
most — a bounded read whatever the corpus size — and adds up ``mine[f] · theirs[f]`` per article
inside the database, in one statement (:func:`scoring_sql`, the same SQL on both backends).
Copies of the article's own text (its copy group) are not related articles; among several
copies of another text, only the best-scoring one is kept (:func:`best_related`).

What a first touch of an article costs is page reads, so each feature row is small and carries
what the choice needs (migration 11, bench/related.py): the weight as an integer of
``WEIGHT_SCALE`` steps (1–2 bytes instead of an 8-byte float) and the article's ``group_id`` and
``hidden``, kept by a trigger when the article changes — the candidates' own rows (long text
before those columns) are never read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from khabar.stories.vectors import TermVector

__all__ = [
    "FEATURES",
    "MIN_SCORE",
    "POSTINGS",
    "QUERY_FEATURES",
    "WEIGHT_SCALE",
    "best_related",
    "best_scored",
    "features_of",
    "quantized",
    "scoring_parameters",
    "scoring_sql",
]

FEATURES = 20  # stored per article
QUERY_FEATURES = 10  # read per query
POSTINGS = 1000  # articles read per feature, heaviest first
MIN_SCORE = 0.08  # below this, two articles share a word or two, not a subject
WEIGHT_SCALE = 32767  # stored weight = round(weight × scale): ≤ 2 bytes, steps of 3e-5


def features_of(vector: TermVector | None) -> tuple[tuple[int, float], ...]:
    """The ``FEATURES`` heaviest term/entity features of an article's vector."""
    if vector is None:
        return ()
    return tuple((f, float(vector.weights[f])) for f in vector.top(FEATURES))


def quantized(features: Sequence[tuple[int, float]]) -> list[tuple[int, int]]:
    """The stored form of features: weights (0..1] as integers of ``WEIGHT_SCALE`` steps."""
    return [(f, min(WEIGHT_SCALE, max(1, round(w * WEIGHT_SCALE)))) for f, w in features]


def scoring_sql(features: int, mark: str) -> str:
    """The statement scoring candidates for ``features`` query features (``mark``: the
    driver's placeholder, ``?`` or ``%s``): for each feature the ``POSTINGS`` visible rows
    where it weighs most, each weight times mine, summed per article; the article itself left
    out; best first (ties: newer id first), at most a given number.

    Parameters: ``(my stored weight / WEIGHT_SCALE², feature, POSTINGS)`` per feature, then the
    article's id and the number of candidates wanted. Rows: ``(article_id, group_id, score)``.
    """
    part = (
        f"SELECT article_id, group_id, weight * {mark} AS s FROM (SELECT article_id, group_id, "
        f"weight FROM article_features WHERE feature = {mark} AND NOT hidden "
        f"ORDER BY weight DESC, article_id DESC LIMIT {mark}) AS p{{}}"
    )
    union = " UNION ALL ".join(part.format(i) for i in range(features))
    return (
        f"SELECT article_id, group_id, sum(s) AS score FROM ({union}) AS postings "
        f"WHERE article_id <> {mark} GROUP BY article_id, group_id "
        f"ORDER BY score DESC, article_id DESC LIMIT {mark}"
    )


def scoring_parameters(
    mine: Mapping[int, int], article_id: int, candidates: int
) -> tuple[int | float, ...]:
    """The parameters of :func:`scoring_sql` for my heaviest ``QUERY_FEATURES`` features
    (``mine``: feature → stored weight)."""
    heaviest = sorted(mine.items(), key=lambda item: (-item[1], item[0]))[:QUERY_FEATURES]
    scale = float(WEIGHT_SCALE * WEIGHT_SCALE)
    flat = [x for feature, weight in heaviest for x in (weight / scale, feature, POSTINGS)]
    return (*flat, article_id, candidates)


def best_related(
    scores: Mapping[int, float],
    groups: Mapping[int, int],
    own_group: int,
    limit: int,
) -> list[int]:
    """Ids of the best ``limit`` related articles: one per copy group, not the own group,
    scores at least ``MIN_SCORE``, best first (ties: newer id first)."""
    ranked = sorted(scores.items(), key=lambda item: (-item[1], -item[0]))
    seen: set[int] = {own_group}
    picked: list[int] = []
    for article_id, score in ranked:
        group = groups.get(article_id, article_id)
        if score < MIN_SCORE or group in seen:
            continue
        seen.add(group)
        picked.append(article_id)
        if len(picked) == limit:
            break
    return picked


def best_scored(
    rows: Iterable[tuple[int, int | None, float]], own_group: int, limit: int
) -> list[int]:
    """:func:`best_related` over the rows of :func:`scoring_sql` (an article without a copy
    group stands for itself)."""
    found = [(int(a), g, float(s)) for a, g, s in rows]
    groups = {a: int(g) for a, g, _ in found if g is not None}
    return best_related({a: s for a, _, s in found}, groups, own_group, limit)
