"""Which stories lead the home page: many outlets, many articles, recent (pure).

``score = (outlets + ½·ln size) · ½^(age / half_life)`` where ``age`` is the time from the
story's last article to the reference moment (the newest story's last article, so an
installation reading old articles still has a front page). Outlet diversity weighs most: ten
copies from one outlet do not make a big story, three outlets covering it do.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime, timedelta

from khabar.types import Story

__all__ = ["HALF_LIFE", "rank_stories", "story_score"]

HALF_LIFE = timedelta(hours=12)


def story_score(story: Story, reference: datetime, half_life: timedelta = HALF_LIFE) -> float:
    age: float = max((reference - story.last_seen) / half_life, 0.0)
    weight: float = len(story.outlets) + 0.5 * math.log(max(story.size, 1))
    return weight * math.pow(0.5, age)


def rank_stories(stories: Sequence[Story], limit: int = 10) -> list[Story]:
    """The ``limit`` best stories of ``stories``, best first (ties: newer, then larger id)."""
    if not stories:
        return []
    reference = max(s.last_seen for s in stories)
    ranked = sorted(
        stories, key=lambda s: (-story_score(s, reference), -s.last_seen.timestamp(), -s.id)
    )
    return ranked[:limit]
