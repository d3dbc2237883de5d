import pytest

from khabar.arabic.affixes import load_rules
from khabar.arabic.normalize import normalize
from khabar.arabic.proclitics import strip_proclitics, strip_suffixes
from khabar.arabic.stem import is_arabic_word, stem


def s(word: str) -> str:
    return stem(normalize(word, "stem"))


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("والمدرسة", "مدرس"),
        ("فبالقاهرة", "قاهر"),
        ("وللرئيس", "رءيس"),
        ("هاتفاً", "هاتف"),
        ("الفلسطينيين", "فلسطين"),
        ("فلسطين", "فلسطين"),
        ("وفلسطين", "فلسطين"),
        ("للجنة", "لجن"),
        ("كتاب", "كتاب"),
        ("مكتب", "مكتب"),
        ("كاتب", "كاتب"),
        ("الطرفان", "طرف"),
        ("السيارات", "سيار"),
    ],
)
def test_stem(word: str, expected: str) -> None:
    assert s(word) == expected


def test_latin_and_numbers_are_not_stemmed() -> None:
    assert stem("gaza") == "gaza" and stem("running") == "running" and stem("3.5") == "3.5"
    assert not is_arabic_word("gaza") and is_arabic_word("غزة") and not is_arabic_word("")


def test_proclitics_keep_root_letters_and_short_words() -> None:
    assert strip_proclitics("وزير") == "وزير"  # protected: و is a root letter
    assert strip_proclitics("والوزير") == "وزير"
    assert strip_proclitics("ومصر") == "مصر"
    assert strip_proclitics("بمصر") == "مصر"
    assert strip_proclitics("الي") == "الي"  # too short to lose ال
    assert strip_proclitics("ولد") == "ولد"


def test_suffixes_each_at_most_once_and_radical_endings_kept() -> None:
    assert strip_suffixes("مدرستها") == "مدرست"
    assert strip_suffixes("قانون") == "قانون" and strip_suffixes("مسلمون") == "مسلم"
    assert strip_suffixes("عام") == "عام"


def test_rules_are_data() -> None:
    rules = load_rules()
    assert rules.min_stem == 3 and "وال" in rules.article_chains
    assert rules.article_chains == tuple(sorted(rules.article_chains, key=len, reverse=True))
    assert {"وزير", "فلسطين", "كتاب"} <= rules.protected
    assert "لبنان" in rules.protected_endings
