"""The story stage against storage: resume the active stories, assign each new article.

One :class:`StoryLinker` lives as long as the process that writes articles (the single
writer). On creation it resumes every story that may still gain articles — those seen within
the window (+ the late allowance) of the newest story stored, so an installation importing
old articles resumes too — and then keeps storage in step after every assignment.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import TYPE_CHECKING

from khabar.stories.cluster import ClusterSettings, StoryArticle, StoryClusterer
from khabar.stories.thresholds import load_settings, load_vectorizer
from khabar.stories.vectors import TermVector
from khabar.types import Article, Story

if TYPE_CHECKING:
    from khabar.storage.protocol import StorageType

__all__ = ["StoryLinker", "cluster_settings", "story_vector"]


def cluster_settings(window_hours: float | None = None) -> ClusterSettings:
    """The shipped clustering settings, with the user's window when given."""
    shipped = load_settings().cluster
    if window_hours is None:
        return shipped
    return dataclasses.replace(shipped, window=timedelta(hours=window_hours))


def story_vector(title: str, text: str, entities: tuple[str, ...] = ()) -> TermVector:
    """The representation stories are clustered on (runs in the extraction workers)."""
    return load_vectorizer().vector(title, text, entities)


class StoryLinker:
    """Assigns stored articles to stories and stores the result (one writer at a time)."""

    def __init__(self, storage: StorageType, settings: ClusterSettings | None = None) -> None:
        self._storage = storage
        self.settings = settings or cluster_settings()
        newest = storage.list_stories(limit=1)
        states = []
        if newest:
            since = newest[0].last_seen - self.settings.window - self.settings.late_allowance
            states = storage.active_stories(since)
        self._clusterer = StoryClusterer(self.settings, states)

    def assign(self, article: Article, vector: TermVector | None = None) -> Story:
        """Put ``article`` in a story: its copies' story when it copies a stored article."""
        vector = vector or story_vector(article.title, article.text)
        same = self._story_of_group(article)
        when = min(article.sort_time, article.fetched_at)  # a future date cannot expire all
        assignment = self._clusterer.assign(
            StoryArticle(
                str(article.id),
                when,
                article.title,
                article.source_title or str(article.source_id),
                vector,
                same_story_as=same,
            )
        )
        state = self._clusterer.state(assignment.story_id)
        return self._storage.save_story(state, article.id)

    def _story_of_group(self, article: Article) -> str | None:
        if article.group_id is None or article.group_id == article.id:
            return None
        leader = self._storage.get_article(article.group_id)
        return str(leader.story_id) if leader.story_id is not None else None
