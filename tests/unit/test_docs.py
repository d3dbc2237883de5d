"""Docs kept honest by tests (STYLE §11): the CLI reference, the settings and commands in README."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType

import pytest
import typer.main

from khabar.cli import app
from khabar.settings import SETTINGS

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(typer.main.get_command(app).commands)  # type: ignore[attr-defined]


def _cli_reference() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "cli_reference", ROOT / "scripts/cli_reference.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _readme_table(heading: str) -> str:
    """The Markdown table rows of README's section ``## heading``."""
    section = README.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return "\n".join(line for line in section.splitlines() if line.startswith("|"))


def test_cli_reference_is_up_to_date() -> None:
    expected = _cli_reference().reference()
    actual = (ROOT / "docs/cli.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/cli.md is out of date: run `make docs`"


def test_cli_reference_covers_every_command() -> None:
    text = (ROOT / "docs/cli.md").read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f"## `khabar {name}`" in text
        assert f"Usage: khabar {name} " in text
    assert "\x1b[" not in text  # no ANSI colours


@pytest.mark.parametrize("name", [s.name for s in SETTINGS])
def test_every_setting_is_in_the_readme_configuration_table(name: str) -> None:
    names = set(re.findall(r"`([a-z_]+)`", _readme_table("Configuration")))
    assert name in names, f"setting {name!r} is missing from README.md's configuration table"


def test_readme_configuration_table_names_only_real_settings() -> None:
    first_column = [row.split("|")[1] for row in _readme_table("Configuration").splitlines()]
    documented = {n for cell in first_column for n in re.findall(r"`([a-z_]+)`", cell)}
    assert documented == {s.name for s in SETTINGS}


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_in_the_readme(name: str) -> None:
    table = _readme_table("Command line")
    assert re.search(rf"`khabar {re.escape(name)}[ `]", table), (
        f"command {name!r} is missing from README.md's command-line table"
    )
