"""The section model shipped in the package: loads fast and classifies real-looking Arabic."""

from __future__ import annotations

import time

import pytest

from khabar.analyze.section_model import SectionModel
from khabar.analyze.sections import default_classifier, shipped_model_path
from khabar.search.analyzer import ANALYZER_VERSION

SNIPPETS = [
    (
        "sports",
        "ريال مدريد يفوز على برشلونة ويقترب من لقب الدوري",
        "سجل المهاجم هدفين في الشوط الثاني من المباراة التي أقيمت على ملعب سانتياغو برنابيو، "
        "ليرفع الفريق رصيده إلى 80 نقطة في صدارة الترتيب.",
    ),
    (
        "economy",
        "أسعار النفط ترتفع بعد قرار أوبك خفض الإنتاج",
        "ارتفع سعر خام برنت إلى 75 دولارا للبرميل، فيما صعدت أسهم شركات الطاقة في البورصات "
        "الخليجية وسط توقعات بتراجع المعروض ونمو الطلب العالمي.",
    ),
    (
        "politics",
        "مجلس الأمن يعقد جلسة طارئة بشأن الهجوم على المدنيين",
        "دعا الأمين العام للأمم المتحدة إلى وقف فوري لإطلاق النار، فيما أعلنت الحكومة أن "
        "قواتها تصدت لهجوم شنه مسلحون على مواقع الجيش قرب الحدود.",
    ),
    (
        "technology",
        "آبل تكشف عن هاتف آيفون الجديد بكاميرا ثلاثية",
        "أعلنت شركة آبل عن الجيل الجديد من هواتفها الذكية، مع معالج أسرع وتطبيقات تعتمد على "
        "الذكاء الاصطناعي وتحديث لنظام التشغيل آي أو إس.",
    ),
    (
        "culture",
        "انطلاق مهرجان القاهرة السينمائي بمشاركة 150 فيلما",
        "افتتح المهرجان دورته الجديدة بعرض فيلم المخرج المصري، بحضور نجوم السينما العربية "
        "والممثلين والفنانين، وتتنافس الأفلام على جوائز الهرم الذهبي.",
    ),
]


@pytest.fixture(scope="module")
def model() -> SectionModel:
    return SectionModel.load(shipped_model_path())


def test_the_shipped_model_loads_in_well_under_a_second() -> None:
    start = time.perf_counter()
    SectionModel.load(shipped_model_path())
    assert time.perf_counter() - start < 0.5


def test_the_shipped_model_was_trained_with_the_current_analyzer(model: SectionModel) -> None:
    assert model.info["analyzer_version"] == ANALYZER_VERSION, (
        "the search analyzer changed since the section model was trained: "
        "run scripts/train_sections.py (and check tests/quality/test_sections_floor.py)"
    )


def test_the_shipped_model_knows_the_trainable_sections(model: SectionModel) -> None:
    assert set(model.classes) == {"politics", "economy", "sports", "culture", "technology"}
    assert 0.2 <= model.threshold < 1.0


@pytest.mark.parametrize(("section", "title", "text"), SNIPPETS, ids=[s[0] for s in SNIPPETS])
def test_the_shipped_classifier_gets_real_looking_snippets_right(
    section: str, title: str, text: str
) -> None:
    decision = default_classifier().classify(title, text)
    assert (decision.section, decision.decided_by) == (section, "model")
    assert decision.confidence >= 0.5


def test_the_shipped_classifier_sends_health_news_to_health() -> None:
    decision = default_classifier().classify(
        "دراسة: النوم الجيد يقي من أمراض القلب والسكري",
        "قال باحثون إن المرضى الذين ينامون سبع ساعات أقل عرضة لارتفاع ضغط الدم والسمنة، "
        "ونصح الأطباء باتباع نظام غذائي متوازن.",
    )
    assert (decision.section, decision.decided_by) == ("health", "rules")
