"""The text-mode cleaner on the issue's example (tests/fixtures/pages/issue4_text_capture.txt)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from khabar.clean_cli import clean
from khabar.extract import clean_text
from khabar.extract.rules import fold, load_rules

CAPTURE = Path(__file__).resolve().parents[2] / "fixtures" / "pages" / "issue4_text_capture.txt"


def test_issue_example() -> None:
    article = clean_text(CAPTURE.read_text(encoding="utf-8"))
    assert len(article.paragraphs) == 3
    assert article.paragraphs[0].startswith("افتتح وزير الصحة")
    assert article.attribution is not None
    assert article.attribution.normalized_name == "وكالة الأنباء"
    assert article.tags == ("مستشفيات", "وزارة الصحة", "افتتاح")
    (read_also,) = article.read_also
    assert read_also.title == "عنوان مقال آخر"
    assert read_also.text.startswith("نص مقال آخر كامل")
    assert [link.title for link in article.related] == ["عنوان أول", "عنوان ثان"]
    assert article.language == "ar"


def test_headline_list_then_the_article_continues() -> None:
    text = "فقرة أولى من الخبر.\nاقرأ أيضاً:\nعنوان أول\nعنوان ثان\nفقرة ثانية من الخبر نفسه."
    article = clean_text(text)
    assert article.paragraphs == ("فقرة أولى من الخبر.", "فقرة ثانية من الخبر نفسه.")
    assert [link.title for link in article.read_also] == ["عنوان أول", "عنوان ثان"]


@pytest.mark.parametrize("variant", ["اقرأ ايضا", "إقرأ أيضاً", "اقرا ايضا", "اقـرأ أيضًا"])
def test_marker_variants_fold_to_one(variant: str) -> None:
    assert load_rules().markers[fold(variant)] == "read_also"


def test_clean_command_prints_json() -> None:
    app = typer.Typer()
    app.command()(clean)
    app.command("noop")(lambda: None)  # two commands: Typer keeps "clean" as a subcommand
    result = CliRunner().invoke(app, ["clean", str(CAPTURE), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["tags"] == ["مستشفيات", "وزارة الصحة", "افتتاح"]
    assert data["attribution"]["name"] == "وكالة الأنباء"
    assert data["read_also"][0]["title"] == "عنوان مقال آخر"
    assert [r["title"] for r in data["related"]] == ["عنوان أول", "عنوان ثان"]
