"""Incremental story clustering: time window, joining, title, determinism, resumable state."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from khabar.stories.cluster import (
    ClusterSettings,
    StoryArticle,
    StoryAssignment,
    StoryClusterer,
)
from khabar.stories.thresholds import load_settings, load_vectorizer
from khabar.stories.vectors import TermVector

T0 = datetime(2018, 3, 6, 9, 0, tzinfo=UTC)
PLAIN = ClusterSettings(join_similarity=0.3, age_decay=timedelta(0))


def _vec(**weights: float) -> TermVector:
    ids = {f"f{k}": k for k in range(10)}
    norm = math.sqrt(sum(w * w for w in weights.values()))
    return TermVector({ids[name]: w / norm for name, w in weights.items()})


def _article(
    article_id: str, hours: float, vector: TermVector, outlet: str = "bbc", **kw: str
) -> StoryArticle:
    when = T0 + timedelta(hours=hours)
    return StoryArticle(article_id, when, f"title {article_id}", outlet, vector, **kw)


def _run(clusterer: StoryClusterer, articles: Sequence[StoryArticle]) -> list[StoryAssignment]:
    return [clusterer.assign(a) for a in articles]


# Real articles: the same two events reported by different outlets, in their own words.
CRASH_BBC = (
    "مقتل 32 شخصا في تحطم طائرة نقل عسكرية روسية في سوريا",
    "أعلنت وزارة الدفاع الروسية مقتل 32 شخصا في تحطم طائرة نقل عسكرية روسية عند هبوطها "
    "في قاعدة حميميم الجوية قرب مدينة اللاذقية السورية.",
)
CRASH_CNN = (
    "موسكو: مقتل 32 شخصا بتحطم طائرة نقل روسية خلال هبوطها بمطار حميميم",
    "أعلنت وزارة الدفاع الروسية الثلاثاء عن تحطم طائرة نقل من طراز أنتونوف خلال هبوطها في "
    "مطار حميميم وقالت إن جميع من كانوا على متنها قتلوا.",
)
OSCAR = (
    "اعتقال رجل بتهمة سرقة جائزة أوسكار أفضل ممثلة",
    "شرطة مدينة لوس انجليس تعتقل رجلا تشتبه في أنه سرق جائزة الأوسكار التي فازت بها "
    "فرانسيس مكدورماند لأفضل ممثلة خلال حفل بعد الحفل.",
)


def _real(article_id: str, hours: float, texts: tuple[str, str], outlet: str) -> StoryArticle:
    vector = load_vectorizer().vector(*texts)
    return StoryArticle(article_id, T0 + timedelta(hours=hours), texts[0], outlet, vector)


def test_same_event_in_two_outlets_joins_and_another_event_stays_apart() -> None:
    clusterer = StoryClusterer(load_settings().cluster)
    first, second, other = _run(
        clusterer,
        [
            _real("bbc-1", 0, CRASH_BBC, "BBC"),
            _real("cnn-1", 2, CRASH_CNN, "CNN"),
            _real("cnn-2", 3, OSCAR, "CNN"),
        ],
    )
    assert first == StoryAssignment("bbc-1", "bbc-1", True, 0.0)
    assert second.story_id == "bbc-1" and not second.created
    assert second.similarity >= load_settings().cluster.join_similarity
    assert other.created and other.story_id == "cnn-2"
    state = clusterer.state("bbc-1")
    assert state.size == 2 and state.outlets == ("BBC", "CNN")
    assert (state.first_seen, state.last_seen) == (T0, T0 + timedelta(hours=2))


def test_a_story_is_a_candidate_only_within_the_window() -> None:
    v = _vec(f1=1.0)
    clusterer = StoryClusterer(replace(PLAIN, late_allowance=timedelta(0)))
    _, inside, outside = _run(
        clusterer, [_article("a", 0, v), _article("b", 72, v), _article("c", 144.01, v)]
    )
    assert inside.story_id == "a" and not inside.created
    assert outside.created and outside.story_id == "c"
    assert "a" not in clusterer  # expired: its last article is 72 h behind the newest
    late = clusterer.assign(_article("d", 100, v))
    assert late.story_id == "c"  # an earlier article joins a story it is within 72 h of


def test_an_article_before_a_story_may_join_it() -> None:
    clusterer = StoryClusterer(PLAIN)
    _run(clusterer, [_article("a", 50, _vec(f1=1.0))])
    early = clusterer.assign(_article("b", 0, _vec(f1=1.0)))
    assert early.story_id == "a"
    assert clusterer.state("a").first_seen == T0


def test_age_decay_lowers_similarity_as_the_story_ages() -> None:
    v = _vec(f1=1.0)
    settings = replace(PLAIN, age_decay=timedelta(hours=24), join_similarity=0.5)
    clusterer = StoryClusterer(settings)
    same_day = _run(clusterer, [_article("a", 0, v), _article("b", 12, v)])[1]
    assert same_day.similarity == pytest.approx(math.exp(-0.5))
    two_days = clusterer.assign(_article("c", 48, v))
    assert two_days.created and two_days.similarity == pytest.approx(math.exp(-2))


def test_title_is_the_member_closest_to_the_centroid() -> None:
    clusterer = StoryClusterer(PLAIN)
    middle = _vec(f1=1.0, f2=1.0)
    _run(clusterer, [_article("a", 0, _vec(f1=1.0)), _article("m", 1, middle)])
    assert clusterer.state("a").title == "title a"  # tie: the earlier one
    joined = clusterer.assign(_article("z", 2, _vec(f2=1.0)))
    assert joined.story_id == "a"
    state = clusterer.state("a")
    assert (state.title, state.title_article_id) == ("title m", "m")


def test_max_linkage_compares_with_the_closest_member() -> None:
    clusterer = StoryClusterer(replace(PLAIN, linkage="max"))
    _run(clusterer, [_article("a", 0, _vec(f1=1.0)), _article("b", 1, _vec(f1=1.0, f2=1.0))])
    close_to_b = clusterer.assign(_article("c", 2, _vec(f1=1.0, f2=1.0, f3=0.2)))
    assert close_to_b.story_id == "a"
    assert close_to_b.similarity == pytest.approx(2 / math.sqrt(2 * 2.04))


def test_a_republication_joins_the_story_of_its_original() -> None:
    clusterer = StoryClusterer(PLAIN)
    _run(clusterer, [_article("a", 0, _vec(f1=1.0)), _article("b", 1, _vec(f2=1.0))])
    hinted = clusterer.assign(_article("c", 2, _vec(f3=1.0), same_story_as="b"))
    assert hinted == StoryAssignment("c", "b", False, 0.0)
    unknown = clusterer.assign(_article("d", 3, _vec(f1=1.0), same_story_as="gone"))
    assert unknown.story_id == "a"  # the hint names no active story: clustered as usual


def _stream() -> list[StoryArticle]:
    topics = [_vec(f1=1.0, f2=0.3), _vec(f3=1.0, f4=0.5), _vec(f5=1.0), _vec(f6=1.0, f7=0.3)]
    return [
        _article(f"x{k:02d}", 7.0 * k, topics[(k // 12) % 2 * 2 + k % 2], outlet=f"o{k % 3}")
        for k in range(40)
    ]


def test_results_are_deterministic() -> None:
    first = _run(StoryClusterer(PLAIN), _stream())
    second = _run(StoryClusterer(PLAIN), _stream())
    assert first == second
    assert len({a.story_id for a in first}) == 8  # each topic comes back after > 72 h


def test_state_round_trip_resumes_exactly() -> None:
    articles = _stream()
    whole = _run(StoryClusterer(PLAIN), articles)
    before = StoryClusterer(PLAIN)
    head = _run(before, articles[:25])
    stored = [
        replace(s, centroid=TermVector.from_bytes(s.centroid.to_bytes())) for s in before.states()
    ]
    after = StoryClusterer(PLAIN, stored)
    assert after.states() == stored
    tail = _run(after, articles[25:])
    assert [a.story_id for a in head + tail] == [a.story_id for a in whole]


def test_restore_needs_the_title_member() -> None:
    clusterer = StoryClusterer(PLAIN)
    clusterer.assign(_article("a", 0, _vec(f1=1.0)))
    state = replace(clusterer.state("a"), members=())
    with pytest.raises(ValueError, match="title article"):
        StoryClusterer(PLAIN, [state])


def test_naive_times_are_refused() -> None:
    article = replace(_article("a", 0, _vec(f1=1.0)), published=datetime(2018, 3, 6))
    with pytest.raises(ValueError, match="timezone-aware"):
        StoryClusterer(PLAIN).assign(article)


def test_an_article_cannot_start_a_second_story_under_its_id() -> None:
    clusterer = StoryClusterer(PLAIN)
    clusterer.assign(_article("a", 0, _vec(f1=1.0)))
    with pytest.raises(ValueError, match="already started"):
        clusterer.assign(_article("a", 1, _vec(f2=1.0)))
