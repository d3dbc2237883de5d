"""What every ``khabar`` command shares: the ``--db``, ``--config`` and ``--json`` options,
the settings they make, and JSON printing. Used by :mod:`khabar.cli` and the command groups it
registers (``rules``, the source commands)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from khabar.settings import Settings, load_settings

__all__ = ["ConfigOption", "DbOption", "JsonOption", "print_json", "settings_from"]

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="Database URL (default: KHABAR_DATABASE_URL or sqlite:///./khabar.db)."
    ),
]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="TOML settings file (default: KHABAR_CONFIG).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def settings_from(db: str | None, config: Path | None, **overrides: Any) -> Settings:
    """The settings of one command: its options over the environment and the config file."""
    return load_settings({"database_url": db, **overrides}, config_file=config)


def print_json(console: Console, data: Any) -> None:
    console.print_json(json.dumps(data, ensure_ascii=False, default=str))
