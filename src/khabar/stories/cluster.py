"""Incremental story clustering: each arriving article joins the closest active story or starts one.

A story is *active* while it may still gain articles. A candidate story must have an article
within ``window`` of the new one (its ``[first_seen − window, last_seen + window]`` holds the
article's time) and share one of the article's heaviest features (:class:`StoryIndex`). The
article joins the candidate of highest similarity when that reaches ``join_similarity``;
otherwise it starts a story whose id is its own ``article_id``. Similarity is the cosine to
the story's centroid (``linkage = "centroid"``) or the highest cosine to a member kept in the
window (``"max"``), times ``exp(−|t − first_seen| / age_decay)``: a story is one event at one
time, so a crisis's later developments start stories of their own instead of chaining into
one thread for days. Entity overlap is part of the vectors (:mod:`khabar.stories.vectors`).
Each article is assigned once (its id must not already name an active story).

A republication (dedupe's decision) passes ``same_story_as`` and joins that story when it is
active, whatever the similarity. The story title is the title of the kept member closest to
the centroid. Ties are broken by story id / article id, so the result depends only on the
order of arrival.

State: :class:`StoryState` is plain data (ids, times, titles, outlets, vectors as
:class:`TermVector`, which stores as bytes). ``state(story_id)`` after each assignment is what
storage keeps; ``StoryClusterer(settings, states)`` resumes from the active ones. A story
is dropped from memory once the newest article time seen is more than ``window +
late_allowance`` past its ``last_seen``; callers must clamp future-dated articles (published
≤ fetched) so one bad date cannot expire everything.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from khabar.stories.index import StoryIndex
from khabar.stories.vectors import TermVector

__all__ = [
    "ClusterSettings",
    "Linkage",
    "Member",
    "StoryArticle",
    "StoryAssignment",
    "StoryClusterer",
    "StoryState",
]

Linkage = Literal["centroid", "max"]


@dataclass(frozen=True, slots=True)
class ClusterSettings:
    """Values and evidence: ``data/stories/thresholds.toml`` (:func:`load_settings`)."""

    join_similarity: float = 0.3
    window: timedelta = timedelta(hours=72)
    linkage: Linkage = "centroid"
    index_terms: int = 10
    query_terms: int = 20
    """0: every active story in the window is a candidate (no index; slow, for measuring)."""
    max_candidates: int = 20
    """Candidates scored exactly, best first by shared heavy features (0: all)."""
    late_allowance: timedelta = timedelta(hours=24)
    age_decay: timedelta = timedelta(hours=48)
    """Similarity × exp(−|t − first_seen| / age_decay): a story is one event at one time
    (0: no decay)."""


@dataclass(frozen=True, slots=True)
class StoryArticle:
    """One article as the clusterer sees it (``published`` timezone-aware)."""

    article_id: str
    published: datetime
    title: str
    outlet: str
    vector: TermVector
    same_story_as: str | None = None


@dataclass(frozen=True, slots=True)
class StoryAssignment:
    """The decision for one article. ``similarity``: to the story joined, or the best refused."""

    article_id: str
    story_id: str
    created: bool
    similarity: float


@dataclass(frozen=True, slots=True)
class Member:
    """A story member kept in memory (those in the window, and the title's article)."""

    article_id: str
    published: datetime
    title: str
    outlet: str
    vector: TermVector


@dataclass(frozen=True, slots=True)
class StoryState:
    """What storage keeps to resume a story. ``centroid`` is the *sum* of every member's vector."""

    story_id: str
    title: str
    title_article_id: str
    first_seen: datetime
    last_seen: datetime
    size: int
    outlets: tuple[str, ...]
    """Distinct outlets in order of their first article."""
    centroid: TermVector
    members: tuple[Member, ...]


@dataclass(slots=True)
class _Story:
    story_id: str
    first_seen: datetime
    last_seen: datetime
    size: int
    outlets: dict[str, None]
    centroid: dict[int, float]
    norm2: float
    members: list[Member]
    title_member: Member

    def cosine(self, vector: TermVector) -> float:
        return vector.dot(self.centroid) / math.sqrt(self.norm2) if self.norm2 > 0 else 0.0

    def add_vector(self, vector: TermVector) -> None:
        centroid = self.centroid
        for i, w in vector.weights.items():
            old = centroid.get(i, 0.0)
            centroid[i] = old + w
            self.norm2 += 2.0 * old * w + w * w

    def state(self) -> StoryState:
        return StoryState(
            story_id=self.story_id,
            title=self.title_member.title,
            title_article_id=self.title_member.article_id,
            first_seen=self.first_seen,
            last_seen=self.last_seen,
            size=self.size,
            outlets=tuple(self.outlets),
            centroid=TermVector(dict(self.centroid)),
            members=tuple(self.members),
        )


class StoryClusterer:
    """Assigns articles to stories, one at a time. Not thread-safe (one writer)."""

    __slots__ = ("_expiry", "_index", "_stories", "_watermark", "settings")

    def __init__(
        self, settings: ClusterSettings | None = None, states: Iterable[StoryState] = ()
    ) -> None:
        self.settings = settings or ClusterSettings()
        self._stories: dict[str, _Story] = {}
        self._index = StoryIndex()
        self._expiry: list[tuple[datetime, str]] = []
        self._watermark: datetime | None = None
        for state in states:
            self.restore(state)

    def __len__(self) -> int:
        return len(self._stories)

    def __contains__(self, story_id: object) -> bool:
        return story_id in self._stories

    def assign(self, article: StoryArticle) -> StoryAssignment:
        """Join ``article`` to a story (or start one) and return the decision."""
        _require_aware(article.published)
        self._advance(article.published)
        story_id, similarity = self._choose(article)
        if story_id is None:
            self._start(article)
            return StoryAssignment(article.article_id, article.article_id, True, similarity)
        self._join(self._stories[story_id], article)
        return StoryAssignment(article.article_id, story_id, False, similarity)

    def state(self, story_id: str) -> StoryState:
        """The story's current state (``KeyError`` when it is not active)."""
        return self._stories[story_id].state()

    def states(self) -> list[StoryState]:
        """Every active story, by id."""
        return [self._stories[sid].state() for sid in sorted(self._stories)]

    def restore(self, state: StoryState) -> None:
        """Make a stored story active again (replacing an active one with the same id)."""
        self._drop(state.story_id)
        members = list(state.members)
        title = next((m for m in members if m.article_id == state.title_article_id), None)
        if title is None:
            raise ValueError(f"story {state.story_id}: its title article is not among members")
        story = _Story(
            story_id=state.story_id,
            first_seen=state.first_seen,
            last_seen=state.last_seen,
            size=state.size,
            outlets=dict.fromkeys(state.outlets),
            centroid=dict(state.centroid.weights),
            norm2=sum(w * w for w in state.centroid.weights.values()),
            members=members,
            title_member=title,
        )
        self._stories[story.story_id] = story
        for member in members:
            self._index.add(story.story_id, member.vector.top(self.settings.index_terms))
        self._schedule(story)

    # -- decisions ------------------------------------------------------------------------

    def _choose(self, article: StoryArticle) -> tuple[str | None, float]:
        hinted = self._stories.get(article.same_story_as or "")
        if hinted is not None:
            return hinted.story_id, self._similarity(hinted, article)
        best_id, best = None, 0.0
        for story_id in self._candidates(article):
            similarity = self._similarity(self._stories[story_id], article)
            if similarity > best:
                best_id, best = story_id, similarity
        if best_id is not None and best >= self.settings.join_similarity:
            return best_id, best
        return None, best

    def _candidates(self, article: StoryArticle) -> list[str]:
        """Active stories in the window that may hold the article, best first."""
        s = self.settings
        if not s.query_terms:
            found: Iterable[str] = sorted(self._stories)
        else:
            query = {i: article.vector.weights[i] for i in article.vector.top(s.query_terms)}
            found = self._index.candidates(query)
        near = (sid for sid in found if self._in_window(self._stories[sid], article.published))
        return list(itertools.islice(near, s.max_candidates or None))

    def _in_window(self, story: _Story, when: datetime) -> bool:
        window = self.settings.window
        return story.first_seen - window <= when <= story.last_seen + window

    def _similarity(self, story: _Story, article: StoryArticle) -> float:
        return self._cosine(story, article) * self._decay(story, article.published)

    def _cosine(self, story: _Story, article: StoryArticle) -> float:
        if self.settings.linkage == "centroid":
            return story.cosine(article.vector)
        window, when = self.settings.window, article.published
        near = [m for m in story.members if abs(m.published - when) <= window]
        return max((article.vector.dot(m.vector.weights) for m in near), default=0.0)

    def _decay(self, story: _Story, when: datetime) -> float:
        scale = self.settings.age_decay
        return math.exp(-abs(when - story.first_seen) / scale) if scale else 1.0

    # -- updates --------------------------------------------------------------------------

    def _start(self, article: StoryArticle) -> None:
        if article.article_id in self._stories:
            raise ValueError(f"article {article.article_id} already started a story")
        member = _member(article)
        story = _Story(
            story_id=article.article_id,
            first_seen=article.published,
            last_seen=article.published,
            size=0,
            outlets={},
            centroid={},
            norm2=0.0,
            members=[],
            title_member=member,
        )
        self._stories[story.story_id] = story
        self._join(story, article)

    def _join(self, story: _Story, article: StoryArticle) -> None:
        member = _member(article)
        story.size += 1
        story.first_seen = min(story.first_seen, article.published)
        story.last_seen = max(story.last_seen, article.published)
        story.outlets.setdefault(article.outlet)
        story.add_vector(article.vector)
        story.members.append(member)
        self._index.add(story.story_id, article.vector.top(self.settings.index_terms))
        story.title_member = _most_central(story)
        self._prune(story)
        self._schedule(story)

    def _prune(self, story: _Story) -> None:
        oldest = story.last_seen - self.settings.window
        keep = [m for m in story.members if m.published >= oldest or m is story.title_member]
        if len(keep) == len(story.members):
            return
        for member in story.members:
            if member.published < oldest and member is not story.title_member:
                self._index.discard(story.story_id, member.vector.top(self.settings.index_terms))
        story.members = keep

    def _schedule(self, story: _Story) -> None:
        heapq.heappush(self._expiry, (story.last_seen, story.story_id))

    def _advance(self, when: datetime) -> None:
        if self._watermark is not None and when <= self._watermark:
            return
        self._watermark = when
        cutoff = when - self.settings.window - self.settings.late_allowance
        while self._expiry and self._expiry[0][0] < cutoff:
            last_seen, story_id = heapq.heappop(self._expiry)
            story = self._stories.get(story_id)
            if story is not None and story.last_seen == last_seen:
                self._drop(story_id)

    def _drop(self, story_id: str) -> None:
        if self._stories.pop(story_id, None) is not None:
            self._index.remove(story_id)


def _member(article: StoryArticle) -> Member:
    return Member(
        article.article_id, article.published, article.title, article.outlet, article.vector
    )


def _most_central(story: _Story) -> Member:
    """The kept member closest to the centroid (ties: earliest, then smallest id)."""
    return min(
        story.members,
        key=lambda m: (-round(story.cosine(m.vector), 9), m.published, m.article_id),
    )


def _require_aware(when: datetime) -> None:
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("published must be timezone-aware")
