"""The dedupe decision on small invented Arabic articles."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from khabar.dedupe.decide import Candidate, Known, Original, decide
from khabar.dedupe.fingerprint import MinHasher, fingerprint
from khabar.dedupe.original import credited_outlet, outlet_name
from khabar.dedupe.thresholds import load_thresholds
from khabar.types import Attribution

HASHER = MinHasher()
SPA = outlet_name("واس")
T0 = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)

WIRE = (
    "أعلنت الهيئة العامة للأرصاد عن توقعات بهطول أمطار رعدية متوسطة إلى غزيرة على مناطق "
    "الجنوب الغربي خلال الأيام الثلاثة المقبلة، مصحوبة برياح نشطة تثير الأتربة والغبار "
    "وتحد من مدى الرؤية الأفقية على الطرق السريعة.\n\n"
    "ودعت الهيئة المواطنين والمقيمين إلى الابتعاد عن مجاري الأودية وأماكن تجمع السيول وعدم "
    "المجازفة بعبورها، والتقيد بتعليمات الدفاع المدني التي تبث عبر وسائل الإعلام الرسمية "
    "ومنصات التواصل الاجتماعي.\n\n"
    "وأوضح المتحدث الرسمي أن درجات الحرارة ستشهد انخفاضاً ملحوظاً في المرتفعات، فيما تبقى "
    "معتدلة على السواحل، مشيراً إلى أن الهيئة ستصدر تحديثات دورية عن حالة الطقس كل ست ساعات."
)
# The same wire story republished: a new intro line, a dateline, a few words changed.
REPUBLISHED = (
    "أبها - صحيفة المرصد:\n\n"
    + WIRE.replace("الأيام الثلاثة المقبلة", "الأيام المقبلة")
    .replace("وأوضح", "وبيّن")
    .replace("كل ست ساعات", "بشكل مستمر")
    + "\n\nتابعوا آخر الأخبار على موقعنا."
)
# Same headline, another story.
OTHER = (
    "شهدت محافظة الساحل أمس أمطاراً خفيفة لم تتجاوز دقائق معدودة، وخرج الأهالي إلى "
    "المتنزهات للاستمتاع بالأجواء اللطيفة، فيما واصلت فرق البلدية أعمال صيانة الحدائق العامة "
    "وتشجير الطرق الرئيسة ضمن خطة تحسين المشهد الحضري التي أطلقت مطلع العام الجاري."
)


def known(
    number: int,
    text: str,
    source: str,
    hours: float = 0,
    url: str | None = None,
    credited: str | None = None,
) -> Known:
    return Known(
        number,
        url or f"https://{number}.example/a",
        source,
        fingerprint(text, HASHER),
        T0 + timedelta(hours=hours),
        credited=credited,
    )


def candidate(
    text: str,
    source: str = "المرصد",
    hours: float = 1,
    url: str = "https://almarsad.example/news/1",
    credited: str | None = None,
) -> Candidate:
    return Candidate(
        url, source, fingerprint(text, HASHER), T0 + timedelta(hours=hours), None, credited
    )


def test_nothing_known_is_new() -> None:
    decision = decide(candidate(WIRE), [])
    assert decision.kind == "new"
    assert decision.original is None


def test_url_variant_is_a_duplicate() -> None:
    old = known(7, OTHER, "المرصد", url="https://almarsad.example/news/1/?utm_source=x")
    decision = decide(candidate(WIRE, url="https://m.almarsad.example/news/1/amp"), [old])
    assert (decision.kind, decision.duplicate_of, decision.reason) == ("duplicate", 7, "url")


def test_page_canonical_link_counts() -> None:
    old = known(7, OTHER, "المرصد", url="https://almarsad.example/news/1")
    arriving = replace(
        candidate(WIRE, url="https://almarsad.example/?p=99"),
        canonical_url="https://almarsad.example/news/1/",
    )
    assert decide(arriving, [old]).duplicate_of == 7


def test_same_content_same_outlet_is_a_duplicate() -> None:
    decision = decide(candidate(WIRE), [known(3, WIRE, "المرصد")])
    assert (decision.kind, decision.of, decision.reason) == ("duplicate", 3, "content_hash")


def test_small_edits_by_another_outlet_are_a_republication() -> None:
    decision = decide(candidate(REPUBLISHED), [known(1, WIRE, "الأفق", hours=-2)])
    assert decision.kind == "republication"
    assert decision.republication_of == 1
    assert decision.reason == "near_duplicate"
    assert decision.similarity >= load_thresholds().near_duplicate_jaccard
    assert decision.original == Original("الأفق", 1)


def test_same_headline_other_story_is_new() -> None:
    decision = decide(candidate(OTHER), [known(1, WIRE, "الأفق")])
    assert decision.kind == "new"


def test_attribution_names_the_original_even_when_not_followed() -> None:
    credit = credited_outlet(Attribution("واس", SPA, "الرياض (واس)"))
    decision = decide(candidate(REPUBLISHED, credited=credit, hours=-5), [known(1, WIRE, "الأفق")])
    assert decision.kind == "republication"
    assert decision.original == Original(SPA, None)


def test_attribution_points_to_our_copy_of_the_agency() -> None:
    agency_copy = known(4, WIRE, "واس", hours=3)  # crawled later than the republisher
    decision = decide(candidate(REPUBLISHED, credited=SPA), [agency_copy])
    assert decision.original == Original(SPA, 4)


def test_a_matched_article_credit_wins_over_earliest() -> None:
    group = [known(1, WIRE, "الأفق", hours=-3), known(2, WIRE, "النهار", hours=-1, credited=SPA)]
    decision = decide(candidate(REPUBLISHED), group)
    assert decision.original == Original(SPA, None)


def test_a_new_article_keeps_its_credit() -> None:
    decision = decide(candidate(WIRE, credited="رويترز"), [])
    assert decision.kind == "new"
    assert decision.original == Original("رويترز", None)


def test_crediting_its_own_outlet_is_its_own_original() -> None:
    decision = decide(candidate(WIRE, source="واس", credited=SPA), [known(1, REPUBLISHED, "الأفق")])
    assert decision.original is None


def test_earliest_published_wins_otherwise() -> None:
    group = [known(1, WIRE, "الأفق", hours=5), known(2, WIRE, "النهار", hours=2)]
    decision = decide(candidate(REPUBLISHED, hours=3), group)
    assert decision.original == Original("النهار", 2)


def test_candidate_earlier_than_all_becomes_the_original() -> None:
    group = [known(1, WIRE, "الأفق", hours=5), known(2, WIRE, "النهار", hours=2, credited=None)]
    decision = decide(candidate(REPUBLISHED, hours=0), group)
    assert decision.original is None
    assert set(decision.now_republications) == {1, 2}


def test_short_texts_are_not_judged_by_content() -> None:
    short = "التفاصيل في الرابط"
    decision = decide(candidate(short), [known(1, short, "الأفق")])
    assert decision.kind == "new"


def test_byline_names_the_agency() -> None:
    assert credited_outlet(None, "الرياض - واس") == SPA
    assert credited_outlet(None, "واس - جدة") == SPA
    assert credited_outlet(None, "&nbsp;واس (جدة)") == SPA
    assert credited_outlet(None, "الجزيرة - واس:", own="الجزيرة") == SPA
    assert credited_outlet(None, "محمد العلي") is None
    assert credited_outlet(None, None) is None


@pytest.mark.parametrize("name", ["واس", "SPA", "وكالة الأنباء السعودية"])
def test_outlet_names_are_canonical(name: str) -> None:
    assert outlet_name(name) == SPA
