"""decode_body: declared, meta-declared, wrong-declared and undeclared Arabic charsets."""

from __future__ import annotations

import codecs

import pytest

from khabar.fetch.charset import decode_body, normalize_charset

SENTENCE = (
    "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في العاصمة لخدمة المواطنين في المناطق "
    "الشمالية، وقال الوزير إن المشروع يضم مئتي سرير وسيبدأ العمل فيه الشهر المقبل."
)
ARABIC_CODECS = ["cp1256", "iso8859-6"]


def _html(charset_meta: str = "") -> str:
    return (
        f"<html><head>{charset_meta}<title>خبر</title></head><body><p>{SENTENCE}</p></body></html>"
    )


@pytest.mark.parametrize(
    ("label", "codec"),
    [("windows-1256", "cp1256"), ("ISO-8859-6", "iso8859-6"), ("arabic", "iso8859-6")],
)
def test_header_declared(label: str, codec: str) -> None:
    body = _html().encode(codec)
    text, used = decode_body(body, f"text/html; charset={label}")
    assert (text, used) == (_html(), codec)


@pytest.mark.parametrize("codec", ARABIC_CODECS)
@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="{label}">',
        '<meta http-equiv="Content-Type" content="text/html; charset={label}">',
    ],
)
def test_meta_declared(codec: str, meta: str) -> None:
    page = _html(meta.format(label=codec.upper()))
    text, used = decode_body(page.encode(codec), "text/html")
    assert (text, used) == (page, codec)


@pytest.mark.parametrize("codec", ARABIC_CODECS)
def test_xml_declared(codec: str) -> None:
    feed = f'<?xml version="1.0" encoding="{codec}"?><rss><title>{SENTENCE}</title></rss>'
    assert decode_body(feed.encode(codec), "application/rss+xml") == (feed, codec)


@pytest.mark.parametrize("codec", ARABIC_CODECS)
def test_undeclared_is_detected(codec: str) -> None:
    assert decode_body(_html().encode(codec), None) == (_html(), codec)


@pytest.mark.parametrize("codec", ARABIC_CODECS)
@pytest.mark.parametrize("wrong", ["utf-8", "iso-8859-1", "windows-1252", "us-ascii"])
def test_wrong_declaration_falls_back_to_detection(codec: str, wrong: str) -> None:
    text, used = decode_body(_html().encode(codec), f"text/html; charset={wrong}")
    assert (text, used) == (_html(), codec)


def test_wrong_meta_declaration_falls_back_to_detection() -> None:
    page = _html('<meta charset="utf-8">')
    assert decode_body(page.encode("cp1256"), None) == (page, "cp1256")


def test_header_wins_over_meta() -> None:
    page = _html('<meta charset="iso-8859-6">')
    assert decode_body(page.encode("cp1256"), "text/html; charset=cp1256") == (page, "cp1256")


def test_bom_wins_over_a_wrong_header() -> None:
    body = codecs.BOM_UTF8 + SENTENCE.encode("utf-8")
    assert decode_body(body, "text/html; charset=iso-8859-1") == (SENTENCE, "utf-8-sig")


def test_utf8_and_latin_pages_stay_correct() -> None:
    assert decode_body(SENTENCE.encode(), "text/html; charset=UTF-8") == (SENTENCE, "utf-8")
    french = "Le président a annoncé la réforme à Paris."
    assert decode_body(french.encode("latin-1"), "text/html; charset=iso-8859-1")[0] == french


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("windows-1256", "cp1256"),
        ("CP1256", "cp1256"),
        ("x-cp1256", "cp1256"),
        ("iso-8859-6", "iso8859-6"),
        ("arabic", "iso8859-6"),
        ("ASMO-708", "iso8859-6"),
        ('"utf-8"', "utf-8"),
        ("no-such-charset", None),
        ("", None),
    ],
)
def test_labels_are_normalized(label: str, codec: str | None) -> None:
    assert normalize_charset(label) == codec


@pytest.mark.parametrize(
    "body",
    [b"", b"\xff\xfe\xfd" * 50, bytes(range(256)) * 4, b"\x00\x81\x8d" * 100, b"<meta charset=>"],
)
def test_garbage_never_raises(body: bytes) -> None:
    text, used = decode_body(body, "text/html; charset=bogus")
    assert isinstance(text, str) and used
