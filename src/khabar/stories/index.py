"""Which active stories share a heavy term with an article: an inverted index for candidates.

Each story is posted under the ``index_terms`` heaviest features of each member it keeps;
a reference count per (story, feature) lets members leave without a rebuild. An article asks
with its own heaviest features and gets back the stories posted under any of them, ranked by
the summed weight of the shared features (a cheap stand-in for the cosine, so that only the
best few are scored exactly). The index only proposes;
:class:`~khabar.stories.cluster.StoryClusterer` scores and decides.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping

__all__ = ["StoryIndex"]


class StoryIndex:
    """Feature id → story ids. Not thread-safe."""

    __slots__ = ("_postings", "_refs")

    def __init__(self) -> None:
        self._postings: defaultdict[int, set[str]] = defaultdict(set)
        self._refs: dict[str, Counter[int]] = {}

    def __len__(self) -> int:
        return len(self._refs)

    def add(self, story_id: str, features: Iterable[int]) -> None:
        """Post ``story_id`` under ``features`` (one reference each)."""
        refs = self._refs.setdefault(story_id, Counter())
        for feature in features:
            if not refs[feature]:
                self._postings[feature].add(story_id)
            refs[feature] += 1

    def discard(self, story_id: str, features: Iterable[int]) -> None:
        """Drop one reference to each of ``features``; unpost the story where none remain."""
        refs = self._refs.get(story_id)
        if refs is None:
            return
        for feature in features:
            refs[feature] -= 1
            if refs[feature] <= 0:
                del refs[feature]
                self._unpost(story_id, feature)

    def remove(self, story_id: str) -> None:
        """Forget ``story_id`` entirely."""
        for feature in self._refs.pop(story_id, Counter()):
            self._unpost(story_id, feature)

    def candidates(self, features: Mapping[int, float], limit: int = 0) -> list[str]:
        """Stories posted under any of ``features``, best first: by the summed weight of the
        features they are posted under (ties: smaller id); only the ``limit`` best if > 0."""
        scores: defaultdict[str, float] = defaultdict(float)
        for feature, weight in features.items():
            for story_id in self._postings.get(feature, ()):
                scores[story_id] += weight
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        return [story_id for story_id, _ in (ranked[:limit] if limit > 0 else ranked)]

    def _unpost(self, story_id: str, feature: int) -> None:
        posting = self._postings.get(feature)
        if posting is not None:
            posting.discard(story_id)
            if not posting:
                del self._postings[feature]
