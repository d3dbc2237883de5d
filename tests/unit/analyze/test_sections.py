"""The layered section decision (khabar.analyze.sections) with a small hand-made model."""

from __future__ import annotations

import numpy as np
import pytest

from khabar.analyze.section_model import FeatureOptions, SectionModel
from khabar.analyze.section_rules import FeedMap, Lexicon
from khabar.analyze.sections import SECTION_NAMES, SECTIONS, SectionClassifier
from khabar.search.analyzer import analyze

HEALTH_TITLE = "منظمة الصحة العالمية تحذر من انتشار الكوليرا"
HEALTH_TEXT = "ارتفع عدد المرضى في المستشفيات، وقال الأطباء إن اللقاحات والعلاج متوفرة."


def _model(threshold: float = 0.6) -> SectionModel:
    match = analyze("مباراة")[0]
    oil = analyze("النفط")[0]
    return SectionModel(
        classes=("economy", "sports"),
        vocabulary={oil: 0, match: 1},
        idf=np.ones(2, dtype=np.float32),
        coef=np.array([[5.0, 0.0], [0.0, 5.0]], dtype=np.float32),
        intercept=np.zeros(2, dtype=np.float32),
        temperature=1.0,
        threshold=threshold,
        options=FeatureOptions(title_weight=1, bigrams=False),
    )


@pytest.fixture(scope="module")
def classifier() -> SectionClassifier:
    return SectionClassifier(_model(), FeedMap.shipped(), Lexicon.shipped())


def test_section_keys_are_fixed_with_arabic_names() -> None:
    assert SECTIONS == (
        "politics",
        "economy",
        "sports",
        "culture",
        "technology",
        "health",
        "society",
        "other",
    )
    assert SECTION_NAMES["other"] == "غير مصنف"


def test_a_confident_model_decides(classifier: SectionClassifier) -> None:
    decision = classifier.classify("مباراة حاسمة", "")
    assert (decision.section, decision.decided_by) == ("sports", "model")
    assert decision.confidence > 0.9
    assert decision.name == "رياضة"


def test_below_the_threshold_the_section_is_other(classifier: SectionClassifier) -> None:
    decision = classifier.classify("خبر", "نص لا يعرفه النموذج")
    assert (decision.section, decision.decided_by) == ("other", "none")
    assert decision.confidence == pytest.approx(0.5)


def test_the_threshold_comes_from_the_model() -> None:
    strict = SectionClassifier(_model(threshold=0.999), FeedMap.shipped(), Lexicon.shipped())
    assert strict.classify("مباراة", "").section == "other"


def test_a_strong_feed_category_decides_over_the_model(classifier: SectionClassifier) -> None:
    decision = classifier.classify("مباراة", "", feed_categories=["اقتصاد"])
    assert (decision.section, decision.decided_by) == ("economy", "feed")
    assert decision.evidence == ("category:اقتصاد",)
    by_url = classifier.classify("مباراة", "", url="https://x.example/health/2018/a")
    assert (by_url.section, by_url.decided_by) == ("health", "feed")


def test_a_weak_feed_category_is_only_a_fallback(classifier: SectionClassifier) -> None:
    confident = classifier.classify("مباراة", "", feed_categories=["العالم"])
    assert (confident.section, confident.decided_by) == ("sports", "model")
    unsure = classifier.classify("خبر", "", feed_categories=["العالم"])
    assert (unsure.section, unsure.decided_by) == ("politics", "feed")


def test_rules_reach_sections_without_training_data(classifier: SectionClassifier) -> None:
    decision = classifier.classify(HEALTH_TITLE, HEALTH_TEXT)
    assert (decision.section, decision.decided_by) == ("health", "rules")
    assert "منظمة الصحة العالمية" in decision.evidence


def test_rules_do_not_override_the_model_on_its_own_sections(
    classifier: SectionClassifier,
) -> None:
    # many sports keywords, but sports is a model section: the model decides
    decision = classifier.classify("مباراة المنتخب في الدوري", "اللاعب سجل هدفا في الملعب")
    assert decision.decided_by == "model"


def test_a_weak_keyword_hit_does_not_decide(classifier: SectionClassifier) -> None:
    decision = classifier.classify("خبر", "زار الطبيب المدينة")
    assert (decision.section, decision.decided_by) == ("other", "none")
