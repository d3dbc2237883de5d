import pytest

from khabar.arabic.normalize import normalize
from khabar.arabic.tokenize import tokenize
from khabar.search import analyze, make_snippet, query_terms


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("مُحَمَّدٌ", "محمد"),
        ("إلى", "الي"),
        ("أحمد", "احمد"),
        ("آمال", "امال"),
        ("القاهرة", "القاهره"),
        ("مصطفى", "مصطفي"),
        ("الســـلام", "السلام"),
        ("٢٠٢٤", "2024"),
        ("۱۴۰۳", "1403"),
        ("ﻻ", "لا"),
        ("Gaza", "gaza"),
        ("\u200fمرحبا\u200e", "مرحبا"),
    ],
)
def test_search_profile(raw: str, expected: str) -> None:
    assert normalize(raw, "search") == expected


def test_display_profile_keeps_letters_and_harakat() -> None:
    assert normalize("مُحَمَّدٌ\u200f في القاهرة", "display") == "مُحَمَّدٌ في القاهرة"
    assert normalize("الســـلام", "display") == "السلام"


def test_tokens_never_split_at_harakat() -> None:
    assert tokenize("مُحَمَّدٌ ذهب") == ["مُحَمَّدٌ", "ذهب"]
    assert analyze("قال مُحَمَّدٌ: «مرحباً» في 2024م، #غزة") == [
        "قال",
        "محمد",
        "مرحبا",
        "في",
        "2024م",
        "غزه",
    ]


def test_query_terms_are_distinct() -> None:
    assert query_terms("القاهرة القاهره القاهرة") == ["القاهره"]


def test_snippet_marks_original_spelling() -> None:
    snippet = make_snippet("وصل مُحَمَّدٌ إلى القاهرة <b>أمس</b>", {"محمد", "القاهره"})
    assert "<mark>مُحَمَّدٌ</mark>" in snippet and "<mark>القاهرة</mark>" in snippet
    assert "&lt;b&gt;" in snippet
