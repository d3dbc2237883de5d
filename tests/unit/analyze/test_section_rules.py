"""The feed-category map and the keyword lexicon (khabar.analyze.section_rules)."""

from __future__ import annotations

import pytest

from khabar.analyze.section_rules import FeedMap, Lexicon, bare_term, category_key


@pytest.fixture(scope="module")
def feeds() -> FeedMap:
    return FeedMap.shipped()


def test_bare_term_strips_one_clitic_chain_only_when_a_word_remains() -> None:
    assert bare_term("والمرض") == "مرض"
    assert bare_term("للاعب") == "اعب"
    assert bare_term("ولد") == "ولد"  # too short to be و + a word


def test_category_key_folds_spelling_and_the_article() -> None:
    assert category_key("الاقتصاد") == category_key("اقتصاد")
    assert category_key("  ثقافة  وفن ") == category_key("ثقافه وفن")
    assert category_key("الرياضة") == "رياضه"
    assert category_key("Sport") == "sport"


@pytest.mark.parametrize(
    ("categories", "section"),
    [
        (["رياضة"], "sports"),
        (["الرياضة"], "sports"),
        (["الاقتصاد"], "economy"),
        (["صحة"], "health"),
        (["منوعات"], "society"),
        (["Technology"], "technology"),
        (["عاجل", "ثقافة وفن"], "culture"),
    ],
)
def test_feed_categories_map_to_sections(
    feeds: FeedMap, categories: list[str], section: str
) -> None:
    hint = feeds.hint(categories, None)
    assert hint is not None
    assert (hint.section, hint.strength) == (section, "strong")


@pytest.mark.parametrize(
    ("url", "section", "strength"),
    [
        ("https://www.skynewsarabia.com/sport/1023-ميسي", "sports", "strong"),
        ("http://www.alarabiya.net/ar/aswaq/economy/2018/02/11/x", "economy", "strong"),
        ("http://www.alarabiya.net/ar/culture-and-art/2018/02/18/x", "culture", "strong"),
        ("https://arabic.cnn.com/health/article/2018/05/10/x", "health", "strong"),
        ("http://www.bbc.co.uk/arabic/world-43193332", "politics", "weak"),
        ("https://example.com/rss/lifestyle", "society", "strong"),
    ],
)
def test_section_url_paths_map_to_sections(
    feeds: FeedMap, url: str, section: str, strength: str
) -> None:
    hint = feeds.hint([], url)
    assert hint is not None
    assert (hint.section, hint.strength) == (section, strength)


def test_a_strong_hint_beats_a_weak_one_and_unknown_names_give_none(feeds: FeedMap) -> None:
    hint = feeds.hint(["العالم"], "https://x.example/sport/123")
    assert hint is not None and hint.section == "sports"
    assert feeds.hint(["عاجل", "فيديو"], "https://x.example/2018/05/article-slug") is None
    # an Arabic slug word in the path is not a section desk
    assert feeds.hint([], "https://x.example/ar/20180530-رياضة-محرز") is None


def test_lexicon_scores_health_text_with_the_keywords_that_hit() -> None:
    lexicon = Lexicon.shipped()
    scores = lexicon.scores(
        "منظمة الصحة العالمية تحذر من انتشار الكوليرا",
        "قالت المنظمة إن عدد المرضى في المستشفيات ارتفع، وإن اللقاحات والعلاج متوفرة.",
    )
    assert scores[0].section == "health"
    assert "منظمة الصحة العالمية" in scores[0].keywords
    assert scores[0].score >= 5


def test_lexicon_matches_multiword_keywords_only_in_sequence() -> None:
    lexicon = Lexicon.from_mapping({"health": ["ضغط الدم"]})
    assert lexicon.scores("", "ارتفاع ضغط الدم")[0].keywords == ("ضغط الدم",)
    assert lexicon.scores("", "الدم تحت الضغط") == []
