"""--help of every command, usage errors and settings errors, through the console script."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from tests.integration.cli.helpers import khabar, one_error_line
from typer.testing import CliRunner

from khabar.cli import app

COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def test_help_through_the_console_script(tmp_path: Path) -> None:
    top = khabar("--help", cwd=tmp_path)
    assert top.returncode == 0 and top.stderr == ""
    assert all(name in top.stdout for name in COMMANDS)
    one = khabar("update", "--help", cwd=tmp_path)
    assert one.returncode == 0 and "Usage: khabar update" in one.stdout
    assert not list(tmp_path.iterdir())  # --help touches no database


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, [name, "--help"], env={"NO_COLOR": "1", "COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert f"Usage: khabar {name}" in result.output or f"Usage: root {name}" in result.output
    assert not list(tmp_path.iterdir())


def test_unknown_setting_in_environment(tmp_path: Path) -> None:
    result = khabar("sources", cwd=tmp_path, env={"KHABAR_NOPE": "1"})
    line = one_error_line(result)
    assert "KHABAR_NOPE" in line and "'nope'" in line


def test_bad_setting_value_in_environment(tmp_path: Path) -> None:
    result = khabar("sources", cwd=tmp_path, env={"KHABAR_PORT": "eighty"})
    assert "KHABAR_PORT" in one_error_line(result)


def test_unknown_key_in_config_file(tmp_path: Path) -> None:
    config = tmp_path / "khabar.toml"
    config.write_text("[khabar]\nnope = 1\n", encoding="utf-8")
    result = khabar("sources", "--config", str(config), cwd=tmp_path)
    assert "nope" in one_error_line(result)


def test_usage_errors_exit_2_without_traceback(tmp_path: Path) -> None:
    for args in (["no-such-command"], ["articles", "--limit", "0"]):
        result = khabar(*args, cwd=tmp_path)
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr and "Usage: khabar" in result.stderr, args
