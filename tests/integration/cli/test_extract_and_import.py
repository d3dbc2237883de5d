"""extract (saved pages → JSON lines) and import --jsonl (good and bad lines)."""

from __future__ import annotations

import gzip
import json
import urllib.request
from pathlib import Path

import pytest
from tests.integration.cli.helpers import json_out, khabar, sqlite_url

from khabar.demo.server import DemoMirror


@pytest.fixture(scope="module")
def saved(mirror: DemoMirror, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A directory with one demo article saved as .html and another as .html.gz (+ noise)."""
    folder = tmp_path_factory.mktemp("pages")
    first, second = mirror.article_urls()[:2]
    with urllib.request.urlopen(first, timeout=10) as response:
        (folder / "a.html").write_bytes(response.read())
    with urllib.request.urlopen(second, timeout=10) as response:
        (folder / "nested").mkdir()
        (folder / "nested" / "b.html.gz").write_bytes(gzip.compress(response.read()))
    (folder / "notes.txt").write_text("not a page", encoding="utf-8")
    return folder, first


def test_extract_one_saved_page(saved: tuple[Path, str]) -> None:
    folder, url = saved
    result = khabar("extract", str(folder / "a.html"), "--url", url, cwd=folder)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    page = json.loads(lines[0])
    assert page["url"] == url and page["error"] is None
    assert page["language"] == "ar"
    assert page["title"] and len(page["text"]) > 200
    assert page["paragraphs"]


def test_extract_a_directory_gives_one_line_per_page(saved: tuple[Path, str]) -> None:
    folder, _ = saved
    result = khabar("extract", str(folder), cwd=folder)
    assert result.returncode == 0, result.stderr
    pages = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(p["path"]).name for p in pages] == ["a.html", "b.html.gz"]
    assert all(p["language"] == "ar" and p["title"] and p["text"] for p in pages)


def test_extract_url_with_many_files_is_a_usage_error(saved: tuple[Path, str]) -> None:
    folder, url = saved
    result = khabar("extract", str(folder), "--url", url, cwd=folder)
    assert result.returncode == 2
    assert "--url applies only when one file is given" in result.stderr
    assert "Traceback" not in result.stderr


def test_extract_missing_path(tmp_path: Path) -> None:
    result = khabar("extract", str(tmp_path / "nope.html"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: {tmp_path / 'nope.html'}: no such file or directory"


def test_import_jsonl_reports_added_and_bad_lines(saved: tuple[Path, str], tmp_path: Path) -> None:
    folder, url = saved
    good_text = {
        "source": "أرشيف",
        "url": "https://example.org/news/1",
        "title": "افتتاح معرض الكتاب في القاهرة",
        "text": "افتتح معرض القاهرة الدولي للكتاب أبوابه صباح اليوم.\n\n"
        "ويشارك فيه ناشرون من عشرين دولة عربية.",
        "published": "2024-01-25T09:30:00+02:00",
    }
    good_html = {
        "source": "https://example.org/feed.xml",
        "url": url,
        "title": "من صفحة محفوظة",
        "html": (folder / "a.html").read_text(encoding="utf-8"),
        "published": "Thu, 25 Jan 2024 09:30:00 +0200",
    }
    lines = [
        json.dumps(good_text, ensure_ascii=False),
        "{not json",
        json.dumps({"source": "أرشيف", "url": "https://example.org/news/2", "text": "نص"}),
        "",
        json.dumps(good_text | {"url": "https://example.org/news/3", "published": "أمس"}),
        json.dumps(good_html, ensure_ascii=False),
    ]
    jsonl = tmp_path / "articles.jsonl"
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = sqlite_url(tmp_path / "k.db")

    result = khabar("import", "--jsonl", str(jsonl), "--db", db, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "added 2, already stored 0, errors 3"
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 3
    assert errors[0].startswith(f"error {jsonl}:2: not valid JSON")
    assert errors[1].startswith(f"error {jsonl}:3: field 'title'")
    assert errors[2].startswith(f"error {jsonl}:5: field 'published'")

    stored = json_out(khabar("articles", "--json", "--db", db, cwd=tmp_path))
    assert {a["url"] for a in stored} == {good_text["url"], url}
    assert {a["language"] for a in stored} == {"ar"}
    assert {a["published"] for a in stored} == {"2024-01-25T07:30:00+00:00"}
    hits = json_out(khabar("search", "معرض الكتاب", "--json", "--db", db, cwd=tmp_path))
    assert [h["url"] for h in hits["hits"]] == [good_text["url"]]

    again = json_out(khabar("import", "--jsonl", str(jsonl), "--json", "--db", db, cwd=tmp_path))
    assert (again["added"], again["existing"], len(again["errors"])) == (0, 2, 3)


def test_import_jsonl_with_only_bad_lines_fails(tmp_path: Path) -> None:
    jsonl = tmp_path / "bad[draft].jsonl"  # brackets are not Rich markup
    jsonl.write_text('{"source": "s", "url": "https://example.org/1"}\n', encoding="utf-8")
    result = khabar(
        "import", "--jsonl", str(jsonl), "--db", sqlite_url(tmp_path / "k.db"), cwd=tmp_path
    )
    assert result.returncode == 1
    assert f"{jsonl}:1: field 'title'" in result.stderr
