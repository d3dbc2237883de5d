"""``khabar stories`` and ``khabar trending`` on a real SQLite file (in-process CLI)."""

from __future__ import annotations

import json

import pytest
from tests.support.events import ERDOGAN_ROWS, write_records
from typer.testing import CliRunner

from khabar.cli import app
from khabar.service import Khabar
from khabar.settings import Settings

runner = CliRunner()


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    work = tmp_path_factory.mktemp("browse")
    url = f"sqlite:///{work / 'k.db'}"
    with Khabar(Settings(database_url=url, extract_workers=1)) as service:
        assert service.import_jsonl(write_records(work / "in.jsonl", ERDOGAN_ROWS)).added == 4
    return url


def _json(*args: str) -> object:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_stories_lists_the_story_several_outlets_cover(db: str) -> None:
    (story,) = _json("stories", "--db", db)  # type: ignore[misc]
    assert story["size"] == 3 and story["outlets"] == ["العربية", "بي بي سي", "سكاي نيوز"]
    table = runner.invoke(app, ["stories", "--db", db]).output
    assert story["title"] in table and str(story["id"]) in table


def test_trending_names_what_rose_and_limit_cuts(db: str) -> None:
    found = _json("trending", "--db", db)
    assert isinstance(found, list) and found
    erdogan = next(t for t in found if t["name"] == "رجب طيب أردوغان")
    assert (erdogan["type"], erdogan["last_24h"], erdogan["previous_7d"]) == ("person", 3, 0)
    assert len(_json("trending", "--db", db, "--limit", "1")) == 1  # type: ignore[arg-type]
    assert "رجب طيب أردوغان" in runner.invoke(app, ["trending", "--db", db]).output


def test_a_limit_out_of_range_is_a_usage_error(db: str) -> None:
    result = runner.invoke(app, ["stories", "--db", db, "--limit", "0"])
    assert result.exit_code == 2 and "--limit" in result.output
