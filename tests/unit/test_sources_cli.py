"""``khabar remove`` asks on a terminal: yes removes, no keeps (in-process CLI, real SQLite)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import khabar.sources_cli
from khabar.cli import app
from khabar.storage import open_storage
from khabar.types import NewSource

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'k.db'}"
    storage = open_storage(url)
    try:
        storage.add_source(NewSource(url="https://a.example/rss", title="أ"))
    finally:
        storage.close()
    return url


def _ids(url: str) -> list[int]:
    storage = open_storage(url)
    try:
        return [s.id for s in storage.list_sources()]
    finally:
        storage.close()


@pytest.mark.parametrize(("answer", "kept"), [("n\n", [1]), ("y\n", [])])
def test_remove_on_a_terminal_asks_first(
    answer: str, kept: list[int], db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(khabar.sources_cli, "can_ask", lambda: True)
    result = runner.invoke(app, ["remove", "1", "--db", db], input=answer)
    assert "remove source 1 (أ) and its 0 stored articles?" in result.output
    assert result.exit_code == (1 if kept else 0), result.output
    assert _ids(db) == kept
