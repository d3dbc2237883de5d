import json

from typer.testing import CliRunner

from khabar.text_cli import text_app

runner = CliRunner()


def run(*args: str) -> str:
    result = runner.invoke(text_app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_normalize_profiles() -> None:
    assert run("normalize", "مُحَمَّدٌ إلى القاهرة").strip() == "محمد الي القاهره"
    assert run("normalize", "--profile", "display", "مُحَمَّدٌ").strip() == "مُحَمَّدٌ"
    data = json.loads(run("normalize", "--profile", "stem", "--json", "القاهرة"))
    assert data == {"profile": "stem", "text": "القاهرة"}
    assert runner.invoke(text_app, ["normalize", "--profile", "loud", "x"]).exit_code == 2


def test_tokens_stem_and_lang() -> None:
    assert json.loads(run("tokens", "--json", "وصل #غزة ٣٫٥")) == {"tokens": ["وصل", "غزة", "٣٫٥"]}
    rows = json.loads(run("stem", "--json", "والمدرسة وقال"))["tokens"]
    assert [(r["term"], r["stopword"]) for r in rows] == [("مدرس", False), ("قال", True)]
    assert "مدرس" in run("stem", "والمدرسة")
    assert json.loads(run("lang", "--json", "ok")) == {"lang": None}
    assert run("lang", "هذا نص عربي طويل بما يكفي لمعرفة لغته").strip() == "ar"
