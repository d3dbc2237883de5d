"""khabar.jsonl_import: reading JSON lines into records, and records into articles."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from khabar.demo.corpus import load_corpus
from khabar.errors import InvalidInputError
from khabar.jsonl_import import ImportRecord, article_from_record, read_jsonl, read_page

TEXT = "افتتح معرض القاهرة الدولي للكتاب أبوابه صباح اليوم بمشاركة ناشرين من عشرين دولة عربية."
GOOD: dict[str, Any] = {
    "source": "أرشيف",
    "url": "https://example.org/news/1",
    "title": "افتتاح معرض الكتاب",
    "text": TEXT,
}


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def read_all(path: Path) -> list[ImportRecord | InvalidInputError]:
    return list(read_jsonl(path))


def one(tmp_path: Path, **fields: Any) -> ImportRecord | InvalidInputError:
    data = {k: v for k, v in (GOOD | fields).items() if v is not ...}
    (item,) = read_all(write_lines(tmp_path / "a.jsonl", [json.dumps(data)]))
    return item


def record(tmp_path: Path, **fields: Any) -> ImportRecord:
    item = one(tmp_path, **fields)
    assert isinstance(item, ImportRecord), item
    return item


def error(tmp_path: Path, **fields: Any) -> str:
    item = one(tmp_path, **fields)
    assert isinstance(item, InvalidInputError), item
    return str(item)


# --- reading lines ---------------------------------------------------------------------


def test_a_good_line(tmp_path: Path) -> None:
    item = record(tmp_path, author="مراسل", categories=["ثقافة", "مصر"], guid="g-1")
    assert (item.line, item.source, item.text, item.html) == (1, "أرشيف", TEXT, None)
    entry = item.entry
    assert (entry.url, entry.title, entry.author, entry.guid) == (
        "https://example.org/news/1",
        "افتتاح معرض الكتاب",
        "مراسل",
        "g-1",
    )
    assert entry.categories == ("ثقافة", "مصر")
    assert entry.published is None


def test_blank_lines_are_skipped_and_line_numbers_kept(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "a.jsonl", [json.dumps(GOOD), "", "   ", json.dumps(GOOD)])
    items = read_all(path)
    assert [i.line for i in items if isinstance(i, ImportRecord)] == [1, 4]


def test_bad_json_names_file_and_line(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "a.jsonl", [json.dumps(GOOD), '{"source": '])
    good, bad = read_all(path)
    assert isinstance(good, ImportRecord)
    assert isinstance(bad, InvalidInputError)
    assert str(bad).startswith(f"{path}:2: not valid JSON (")
    assert "column" in str(bad)


def test_a_line_that_is_not_an_object(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "a.jsonl", ['["a", "list"]'])
    (item,) = read_all(path)
    assert str(item) == f"{path}:1: expected a JSON object"


@pytest.mark.parametrize("field", ["source", "url", "title"])
@pytest.mark.parametrize("value", [..., "", "   ", 42, None])
def test_required_fields(tmp_path: Path, field: str, value: object) -> None:
    message = error(tmp_path, **{field: value})
    assert (
        message == f"{tmp_path / 'a.jsonl'}:1: field {field!r} is missing or not a non-empty string"
    )


def test_text_or_html_is_required(tmp_path: Path) -> None:
    assert "field 'text' (or 'html')" in error(tmp_path, text=...)
    assert "field 'text' (or 'html')" in error(tmp_path, text="  \n ")
    assert isinstance(one(tmp_path, text=..., html="<p>نص</p>"), ImportRecord)


def test_optional_fields_must_be_strings(tmp_path: Path) -> None:
    assert error(tmp_path, author=["a", "b"]).endswith("field 'author' must be a string")
    assert error(tmp_path, categories="ثقافة").endswith(
        "field 'categories' must be a list of strings"
    )


def test_values_are_trimmed(tmp_path: Path) -> None:
    item = record(tmp_path, source=" أرشيف ", url=" https://example.org/x ", title=" عنوان ")
    assert (item.source, item.entry.url, item.entry.title) == (
        "أرشيف",
        "https://example.org/x",
        "عنوان",
    )


# --- dates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-25T09:30:00+02:00", datetime(2024, 1, 25, 7, 30, tzinfo=UTC)),
        ("2024-01-25T07:30:00Z", datetime(2024, 1, 25, 7, 30, tzinfo=UTC)),
        ("2024-01-25T07:30:00", datetime(2024, 1, 25, 7, 30, tzinfo=UTC)),  # naive: UTC
        ("2024-01-25", datetime(2024, 1, 25, tzinfo=UTC)),
        ("Thu, 25 Jan 2024 09:30:00 +0200", datetime(2024, 1, 25, 7, 30, tzinfo=UTC)),
        ("Thu, 25 Jan 2024 07:30:00 GMT", datetime(2024, 1, 25, 7, 30, tzinfo=UTC)),
        ("", None),
        (None, None),
    ],
)
def test_published_formats(tmp_path: Path, value: str | None, expected: datetime | None) -> None:
    published = record(tmp_path, published=value).entry.published
    assert published == expected
    if published is not None:
        assert published.utcoffset() is not None and published.tzinfo == UTC


@pytest.mark.parametrize("value", ["أمس", "25/01/2024 foo", "not a date"])
def test_unreadable_date_names_line_and_field(tmp_path: Path, value: str) -> None:
    message = error(tmp_path, published=value)
    assert message == (
        f"{tmp_path / 'a.jsonl'}:1: field 'published': cannot read the date {value!r}"
    )


def test_date_must_be_a_string(tmp_path: Path) -> None:
    assert error(tmp_path, published=1706167800).endswith("field 'published' must be a date string")


# --- files -----------------------------------------------------------------------------


def test_gzipped_input(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl.gz"
    path.write_bytes(gzip.compress((json.dumps(GOOD, ensure_ascii=False) + "\n{bad\n").encode()))
    good, bad = read_all(path)
    assert isinstance(good, ImportRecord) and good.entry.title == GOOD["title"]
    assert str(bad).startswith(f"{path}:2: not valid JSON")


def test_unreadable_file_is_one_error(tmp_path: Path) -> None:
    (item,) = read_all(tmp_path / "missing.jsonl")
    assert isinstance(item, InvalidInputError)
    assert str(item).startswith(f"{tmp_path / 'missing.jsonl'}: cannot read")


def test_not_utf8_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(json.dumps(GOOD, ensure_ascii=False).encode("cp1256"))
    (item,) = read_all(path)
    assert isinstance(item, InvalidInputError) and "cannot read" in str(item)


def test_read_page_plain_and_gzipped(tmp_path: Path) -> None:
    html = f"<html><body><p>{TEXT}</p></body></html>"
    (tmp_path / "a.html").write_text(html, encoding="utf-8")
    (tmp_path / "a.html.gz").write_bytes(gzip.compress(html.encode("utf-8")))
    (tmp_path / "b.html").write_bytes(gzip.compress(html.encode("utf-8")))  # sniffed
    assert read_page(tmp_path / "a.html") == html
    assert read_page(tmp_path / "a.html.gz") == html
    assert read_page(tmp_path / "b.html") == html


def test_read_page_errors(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="cannot read"):
        read_page(tmp_path / "missing.html")
    (tmp_path / "bad.html.gz").write_bytes(b"\x1f\x8bnot really gzip")
    with pytest.raises(InvalidInputError, match="not a valid gzip file"):
        read_page(tmp_path / "bad.html.gz")


# --- records into articles -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "paragraphs"),
    [
        ("أولى\n\nثانية\nتتمة\n\n\n  ثالثة  ", ("أولى", "ثانية\nتتمة", "ثالثة")),
        ("أولى\nثانية\n  \nثالثة", ("أولى", "ثانية", "ثالثة")),
        ("فقرة واحدة", ("فقرة واحدة",)),
    ],
)
def test_text_paragraphs(tmp_path: Path, text: str, paragraphs: tuple[str, ...]) -> None:
    _, article = article_from_record(record(tmp_path, text=text))
    assert article.paragraphs == paragraphs
    assert article.html == "".join(f"<p>{p}</p>" for p in paragraphs)


def test_text_article_keeps_the_record_metadata(tmp_path: Path) -> None:
    item = record(
        tmp_path,
        text="نص <b>ليس</b> وسماً & رمز",
        author="مراسل",
        image="https://example.org/a.jpg",
        published="2024-01-25T07:30:00Z",
    )
    entry, article = article_from_record(item)
    assert entry is item.entry
    assert article.html == "<p>نص &lt;b&gt;ليس&lt;/b&gt; وسماً &amp; رمز</p>"
    assert (article.url, article.title, article.author, article.image) == (
        GOOD["url"],
        GOOD["title"],
        "مراسل",
        "https://example.org/a.jpg",
    )
    assert article.published == datetime(2024, 1, 25, 7, 30, tzinfo=UTC)
    assert article.error is None


def test_language_is_detected_unless_given(tmp_path: Path) -> None:
    assert article_from_record(record(tmp_path))[1].language == "ar"
    assert article_from_record(record(tmp_path, language="fa"))[1].language == "fa"


def test_html_goes_through_extraction(tmp_path: Path) -> None:
    demo = load_corpus()[0]
    paragraphs = [p for p in demo.text.split("\n") if p.strip()]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        f'<html lang="ar" dir="rtl"><head><title>{demo.title}</title></head><body>'
        '<nav><a href="/">الرئيسية</a> <a href="/sport">رياضة</a></nav>'
        f"<article><h1>{demo.title}</h1>{body}</article>"
        "<footer>جميع الحقوق محفوظة</footer><script>var tracking = 1;</script></body></html>"
    )
    entry, article = article_from_record(record(tmp_path, text=..., html=html))
    assert article.error is None
    assert article.language == "ar"
    assert paragraphs[0][:30] in article.text
    assert "tracking" not in article.text and "tracking" not in article.html
    assert "جميع الحقوق محفوظة" not in article.text
    assert article.url == entry.url == GOOD["url"]
