import pytest

from khabar.arabic.normalize import PROFILES, fold_after_stem, normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("مُحَمَّدٌ", "محمد"),
        ("إلى", "الي"),
        ("أحمد", "احمد"),
        ("آمال", "امال"),
        ("ٱلله", "الله"),
        ("القاهرة", "القاهره"),
        ("مصطفى", "مصطفي"),
        ("الســـلام", "السلام"),
        ("٢٠٢٤", "2024"),
        ("۱۴۰۳", "1403"),
        ("٣٫٥", "3.5"),
        ("١٬٠٠٠", "1,000"),
        ("ﻻ", "لا"),
        ("ﷲ", "الله"),
        ("Gaza", "gaza"),
        ("\u200fمرحبا\u200e", "مرحبا"),
        ("مرح\u200cبا", "مرحبا"),
        ("مسؤول", "مسءول"),
        ("مسئول", "مسءول"),
        ("شاطىء", "شاطء"),
        ("شاطئ", "شاطء"),
        ("شيء", "شء"),
        ("ذَٰلِكَ", "ذلك"),  # superscript alef
        # Quranic marks go; the dagger alef is dropped (modern هذا، ذلك، الرحمن have no alef)
        ("ذَٰلِكَ ٱلۡكِتَٰبُ لَا رَيۡبَۛ فِيهِۛ", "ذلك الكتب لا ريب فيه"),
        ("İstanbul", "istanbul"),
        ("؟،؛", "؟،؛"),  # punctuation stays punctuation
    ],
)
def test_search_profile(raw: str, expected: str) -> None:
    assert normalize(raw, "search") == expected


def test_stem_profile_keeps_ta_marbuta_and_folds_ya() -> None:
    assert normalize("القاهرة مصطفى", "stem") == "القاهرة مصطفي"
    assert fold_after_stem("مدرسة") == "مدرسه"
    assert normalize("مدرسة", "search") == fold_after_stem(normalize("مدرسة", "stem"))


def test_display_profile_keeps_letters_harakat_and_digits() -> None:
    assert normalize("مُحَمَّدٌ\u200f في القاهرة", "display") == "مُحَمَّدٌ في القاهرة"
    assert normalize("الســـلام", "display") == "السلام"
    assert normalize("ﻻ ٢٠٢٤ إلى Gaza", "display") == "لا ٢٠٢٤ إلى Gaza"
    assert normalize("ﷺ", "display") == "ﷺ"  # word ligatures stay whole for reading


def test_profiles_are_listed_and_unknown_is_refused() -> None:
    assert PROFILES == ("display", "stem", "search")
    with pytest.raises(ValueError, match="unknown normalization profile"):
        normalize("x", "loud")  # type: ignore[arg-type]
