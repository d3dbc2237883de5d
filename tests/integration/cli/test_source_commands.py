"""pause, resume and remove on a copy of the ingested database (the shared one stays intact)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.integration.cli.conftest import Ingested
from tests.integration.cli.helpers import json_out, khabar, one_error_line, sqlite_url


@pytest.fixture
def db(ingested: Ingested, tmp_path: Path) -> str:
    source = Path(ingested.db.removeprefix("sqlite:///"))
    shutil.copy(source, tmp_path / "k.db")
    shutil.copytree(source.with_name("k.db.tantivy"), tmp_path / "k.db.tantivy")
    return sqlite_url(tmp_path / "k.db")


def _sources(db: str, cwd: Path) -> dict[int, dict[str, object]]:
    return {s["id"]: s for s in json_out(khabar("sources", "--json", "--db", db, cwd=cwd))}


def test_pause_and_resume_a_source(db: str, tmp_path: Path) -> None:
    paused = json_out(khabar("pause", "2", "--json", "--db", db, cwd=tmp_path))
    assert paused["id"] == 2 and paused["paused"] is True
    listed = _sources(db, tmp_path)
    assert [i for i, s in listed.items() if s["paused"]] == [2]
    table = khabar("sources", "--db", db, cwd=tmp_path).stdout
    states = [line.split("│")[3].strip() for line in table.splitlines() if line.count("│") > 4]
    assert states.count("paused") == 1 and states.count("active") == 4
    update = json_out(khabar("update", "--json", "--db", db, cwd=tmp_path))
    assert 2 not in {r["source_id"] for r in update}

    resumed = khabar("resume", "2", "--db", db, cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout.startswith("resumed source 2: ")
    assert not any(s["paused"] for s in _sources(db, tmp_path).values())


def test_remove_deletes_the_source_and_its_articles(db: str, tmp_path: Path) -> None:
    before = _sources(db, tmp_path)
    count = before[3]["article_count"]
    assert isinstance(count, int) and count > 0
    one = json_out(khabar("articles", "--source", "3", "--json", "--db", db, cwd=tmp_path))
    title = one[0]["title"]

    removed = khabar("remove", "3", "--yes", "--db", db, cwd=tmp_path)
    assert removed.returncode == 0, removed.stderr
    assert (
        removed.stdout.startswith("removed source 3: ") and f"({count} articles)" in removed.stdout
    )
    after = _sources(db, tmp_path)
    assert sorted(after) == sorted(i for i in before if i != 3)
    found = json_out(khabar("search", title, "--json", "--db", db, cwd=tmp_path))
    assert all(hit["source_id"] != 3 for hit in found["hits"])


def test_remove_without_yes_and_without_a_terminal_refuses(db: str, tmp_path: Path) -> None:
    result = khabar("remove", "1", "--db", db, cwd=tmp_path)
    line = one_error_line(result)
    assert "remove source 1" in line and "--yes" in line
    assert 1 in _sources(db, tmp_path)


@pytest.mark.parametrize("command", ["pause", "resume", "remove"])
def test_an_unknown_source_is_named(command: str, db: str, tmp_path: Path) -> None:
    extra = ["--yes"] if command == "remove" else []
    line = one_error_line(khabar(command, "999", *extra, "--db", db, cwd=tmp_path))
    assert "999" in line
