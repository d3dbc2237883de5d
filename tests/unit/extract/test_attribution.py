"""Attribution: credit lines, datelines and "نقلاً عن …" forms, with known agencies as data."""

from __future__ import annotations

import pytest

from khabar.extract import attribution
from khabar.extract.attribution import find_attribution
from khabar.extract.rules import fold, fold_word, load_rules

BODY = "أعلن الوزير اليوم عن خطة جديدة لتطوير قطاع النقل في البلاد خلال السنوات المقبلة."


@pytest.mark.parametrize(
    ("paragraphs", "name", "normalized", "line"),
    [
        ([BODY, "المصدر: عربي21"], "عربي21", "عربي21", 1),
        ([BODY, "المصدر : وكالة الأنباء"], "وكالة الأنباء", "وكالة الأنباء", 1),
        ([BODY, "نقلاً عن وكالة الأنباء الكويتية (كونا)"], "وكالة الأنباء الكويتية (كونا)",
         "وكالة الأنباء الكويتية", 1),
        ([BODY, "(رويترز)"], "رويترز", "رويترز", 1),
        ([BODY, "فرانس 24/ أ ف ب"], "أ ف ب", "وكالة الصحافة الفرنسية", 1),
        (["الرياض (واس) - " + BODY], "واس", "وكالة الأنباء السعودية", None),
        (["دمشق، سوريا (CNN) -- " + BODY], "CNN", "سي إن إن", None),
        ([BODY, "وأضاف بحسب ما أوردت وكالة الأنباء الكويتية أن الخطة جاهزة للتنفيذ الآن."],
         "الأنباء الكويتية", "وكالة الأنباء الكويتية", None),
        (["أعلنت وكالة الأنباء الكويتية (كونا) اليوم أن الأمير استقبل الوفد.", BODY],
         "وكالة الأنباء الكويتية (كونا)", "وكالة الأنباء الكويتية", None),
    ],
)  # fmt: skip
def test_forms(paragraphs: list[str], name: str, normalized: str, line: int | None) -> None:
    found = find_attribution(paragraphs)
    assert found is not None
    assert found.attribution.normalized_name == normalized
    assert found.line == line
    assert found.attribution.evidence


def test_spelling_variants_meet() -> None:
    for written in ("نقلا عن رويترز", "نقلاً عن رويترز", "نقلًا عن Reuters"):
        found = find_attribution([BODY, written])
        assert found is not None and found.attribution.normalized_name == "رويترز"


@pytest.mark.parametrize(
    "paragraphs",
    [
        [BODY, "قال مسؤول نقلا عن مصادر مطلعة إن الأمر جاد."],  # unnamed sources
        [BODY, "عن الحادث قال الشاهد إنه رأى كل شيء."],  # "عن" is not a credit by itself
        ["القاهرة (خاص) - " + BODY],  # "(خاص)" names no outlet
        [BODY, "بنا البيت على الجبل منذ سنوات طويلة."],  # short agency names are not loose words
    ],
)
def test_no_false_credit(paragraphs: list[str]) -> None:
    assert find_attribution(paragraphs) is None


@pytest.mark.parametrize(
    ("first", "name", "normalized", "evidence"),
    [
        (
            "الرياض - واس أعلنت وزارة الصحة اليوم عن حملة",
            "واس",
            "وكالة الأنباء السعودية",
            "الرياض - واس",
        ),
        ("تبوك -واس افتتح أمير المنطقة مشروعاً", "واس", "وكالة الأنباء السعودية", "تبوك -واس"),
        ("واس - جدة وصل وفد رسمي", "واس", "وكالة الأنباء السعودية", "واس - جدة"),
        ("دبي – وام: أعلنت الهيئة", "وام", "وكالة أنباء الإمارات", "دبي – وام"),
        ("القاهرة - رويترز قال مسؤولون", "رويترز", "رويترز", "القاهرة - رويترز"),
    ],
)
def test_dash_datelines(first: str, name: str, normalized: str, evidence: str) -> None:
    found = find_attribution([first, "فقرة ثانية من الخبر."])
    assert found is not None and found.line is None  # the dateline stays in the text
    assert (found.attribution.name, found.attribution.normalized_name) == (name, normalized)
    assert found.attribution.evidence == evidence


@pytest.mark.parametrize(
    "first",
    ["غزة - قال مسؤول إن القصف مستمر", "كرة القدم - نتائج الجولة الأخيرة", "2024 - عام الانتخابات"],
)
def test_dash_without_an_agency_credits_nobody(first: str) -> None:
    assert find_attribution([first, "فقرة ثانية من الخبر."]) is None


def test_cached_word_fold_is_the_plain_fold() -> None:
    for word in ("إقرأ", "أيضاً", "(واس)", "CNN", "--", "وكالة"):
        assert fold_word(word) == fold(word)
        assert fold_word(word) == fold(word)  # the remembered answer too


def test_via_phrases_are_arabic_so_other_scripts_skip_their_scan() -> None:
    rules = load_rules()
    assert attribution._phrases_are_arabic(rules.via_phrases)
    assert not attribution._phrases_are_arabic((("according", "to"), ("نقلا", "عن")))


def test_latin_paragraph_still_finds_a_self_abbreviated_agency() -> None:
    found = find_attribution(["The ministry said so, Saudi Press Agency (SPA) reported."])
    assert found is not None
    assert found.attribution.normalized_name == "وكالة الأنباء السعودية"
    assert found.line is None


def test_presentation_forms_reach_the_phrase_scan() -> None:
    """ "نقلا عن" typed in presentation forms still counts: they are Arabic script."""
    text = "أعلنت الوزارة ذلك، \ufee7\ufed8\ufefc \ufecb\ufee6 وكالة الأنباء الكويتية أمس"
    found = find_attribution([text + " " + "وتابعت الوزارة عملها. " * 20])
    assert found is not None
    assert found.attribution.normalized_name == "وكالة الأنباء الكويتية"
