import pytest

from khabar.arabic.tokenize import WORD_PATTERN, is_url, tokenize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("مُحَمَّدٌ ذهب", ["مُحَمَّدٌ", "ذهب"]),
        ("الســـلام عليكم", ["الســـلام", "عليكم"]),
        ("قال: «مرحباً»، ثم؟", ["قال", "مرحباً", "ثم"]),
        ("#غزة #عاصي_الحلاني @user", ["غزة", "عاصي", "الحلاني", "user"]),
        (
            "ارتفع 3.5% و٣٫٥ و١٬٠٠٠ و1,000.",
            ["ارتفع", "3.5", "و", "٣٫٥", "و", "١٬٠٠٠", "و", "1,000"],
        ),
        ("عام 2024م و1445هـ", ["عام", "2024", "م", "و", "1445", "هـ"]),
        ("كوفيد-19 covid19 g20", ["كوفيد", "19", "covid19", "g20"]),
        ("Apple وأبل café", ["Apple", "وأبل", "café"]),
        (
            "انظر https://example.com/a-b?x=1، وwww.x.org.",
            ["انظر", "https://example.com/a-b?x=1", "و", "www.x.org"],
        ),
        ("مرح\u200cبا", ["مرح\u200cبا"]),
    ],
)
def test_tokenize(text: str, expected: list[str]) -> None:
    assert tokenize(text) == expected


def test_word_pattern_spans_cover_original_words() -> None:
    text = "وصل مُحَمَّدٌ إلى القاهرة"
    spans = [text[m.start() : m.end()] for m in WORD_PATTERN.finditer(text)]
    assert spans == ["وصل", "مُحَمَّدٌ", "إلى", "القاهرة"]


def test_is_url() -> None:
    assert is_url("https://example.com/x") and is_url("www.example.com")
    assert not is_url("example") and not is_url("3.5")
