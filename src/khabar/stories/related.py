"""Related articles (مقالات مشابهة): the stored articles whose heaviest features meet an
article's own, scored by the dot product of those weights (pure).

Each article keeps its ``FEATURES`` heaviest story-vector features (terms and entity names,
:mod:`khabar.stories.vectors`). To find related ones, storage reads for each of the article's
``QUERY_FEATURES`` heaviest features the ``POSTINGS`` articles where that feature weighs most
— a bounded read whatever the corpus size — and :func:`score_postings` adds up
``mine[f] · theirs[f]``. Copies of the article's own text (its copy group) are not related
articles; among several copies of another text, only the best-scoring one is kept.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from khabar.stories.vectors import TermVector

__all__ = [
    "FEATURES",
    "MIN_SCORE",
    "POSTINGS",
    "QUERY_FEATURES",
    "Posting",
    "best_related",
    "features_of",
    "score_postings",
]

FEATURES = 20  # stored per article
QUERY_FEATURES = 10  # read per query
POSTINGS = 1000  # articles read per feature, heaviest first
MIN_SCORE = 0.08  # below this, two articles share a word or two, not a subject

Posting = tuple[int, int, float]  # (article id, feature, weight)


def features_of(vector: TermVector | None) -> tuple[tuple[int, float], ...]:
    """The ``FEATURES`` heaviest term/entity features of an article's vector."""
    if vector is None:
        return ()
    return tuple((f, float(vector.weights[f])) for f in vector.top(FEATURES))


def score_postings(mine: Mapping[int, float], postings: Iterable[Posting]) -> dict[int, float]:
    """Σ over shared features of my weight × theirs, per article."""
    scores: dict[int, float] = defaultdict(float)
    for article_id, feature, weight in postings:
        scores[article_id] += mine.get(feature, 0.0) * weight
    return dict(scores)


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
