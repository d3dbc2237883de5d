from khabar.search import analyze, query_terms
from khabar.search.analyzer import ANALYZER_VERSION, term


def test_analyze_normalizes_stems_and_folds_after_stemming() -> None:
    assert analyze("قال مُحَمَّدٌ: «مرحباً» في 2024م، #غزة") == [
        "قال",
        "محمد",
        "مرحب",
        "في",
        "2024",
        "م",
        "غزه",
    ]
    assert analyze("القاهرة") == analyze("القاهره") == ["قاهر"]


def test_analyze_drops_urls_and_keeps_latin_lowercased() -> None:
    assert analyze("خبر https://example.com/خبر-عاجل Apple iPhone") == ["خبر", "apple", "iphone"]


def test_numbers() -> None:
    assert analyze("٣٫٥ 3.5 ١٬٠٠٠ 1,000 1000 ۱۴۰۳") == [
        "3.5",
        "3.5",
        "1000",
        "1000",
        "1000",
        "1403",
    ]
    assert term("12,5") == "12,5"  # not a thousands group: left alone


def test_query_terms_are_distinct_and_drop_stopwords_only_beside_other_words() -> None:
    assert query_terms("القاهرة القاهره القاهرة") == ["قاهر"]
    assert query_terms("الى القاهرة") == ["قاهر"]
    assert query_terms("وقال الرئيس") == ["رءيس"]
    assert query_terms("في") == ["في"]
    assert query_terms("") == []


def test_analyzer_version_is_an_int() -> None:
    assert isinstance(ANALYZER_VERSION, int) and ANALYZER_VERSION >= 2
