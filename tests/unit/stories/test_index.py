"""The candidate index: stories ranked by the weight of the heavy features they share."""

from __future__ import annotations

from khabar.stories.index import StoryIndex


def test_candidates_are_ranked_by_shared_weight_then_id() -> None:
    index = StoryIndex()
    index.add("s1", [1, 2])
    index.add("s2", [2, 3])
    index.add("s0", [3])
    assert index.candidates({2: 0.5, 3: 0.2}) == ["s2", "s1", "s0"]
    assert index.candidates({2: 0.5, 3: 0.2}, limit=2) == ["s2", "s1"]
    assert index.candidates({1: 0.3, 3: 0.3}) == ["s0", "s1", "s2"]
    assert index.candidates({9: 1.0}) == []


def test_a_feature_stays_posted_while_any_member_references_it() -> None:
    index = StoryIndex()
    index.add("s", [1, 2])
    index.add("s", [2])
    index.discard("s", [1, 2])
    assert index.candidates({1: 1.0}) == []
    assert index.candidates({2: 1.0}) == ["s"]
    index.discard("s", [2])
    assert index.candidates({2: 1.0}) == []


def test_removed_stories_are_never_proposed() -> None:
    index = StoryIndex()
    index.add("s", [1])
    index.add("t", [1])
    index.remove("s")
    index.discard("gone", [1])
    assert index.candidates({1: 1.0}) == ["t"] and len(index) == 1
