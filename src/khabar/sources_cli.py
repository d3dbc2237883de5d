"""``khabar pause``, ``khabar resume`` and ``khabar remove``: stop, restart and unfollow a source.

Registered on the Typer app by :mod:`khabar.cli`. Removing a source deletes its stored articles
too, so the command asks first; ``--yes`` answers for scripts, and without a terminal to ask
on it refuses instead of guessing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from khabar import presenters
from khabar.cli_options import ConfigOption, DbOption, JsonOption, print_json, settings_from
from khabar.errors import InvalidInputError
from khabar.service import Khabar
from khabar.types import Source

__all__ = ["can_ask", "pause", "remove", "resume"]

_out = Console(soft_wrap=True)

SourceId = Annotated[int, typer.Argument(help="Source id (see `khabar sources`).")]
YesOption = Annotated[
    bool, typer.Option("--yes", "-y", help="Do not ask; delete the source's articles too.")
]


def pause(
    source_id: SourceId,
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Stop fetching a source; its articles stay and stay searchable."""
    _set_paused(source_id, True, db, config, as_json)


def resume(
    source_id: SourceId,
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Fetch a paused source again, from its next update on."""
    _set_paused(source_id, False, db, config, as_json)


def remove(
    source_id: SourceId, yes: YesOption = False, db: DbOption = None, config: ConfigOption = None
) -> None:
    """Unfollow a source and delete its stored articles (asks first unless --yes)."""
    with Khabar(settings_from(db, config)) as service:
        source = service.source(source_id)
        if not yes:
            _confirm(source)
        service.delete_source(source_id)
    _out.print(
        f"removed source {source.id}: {source.display_name} ({source.article_count} articles)",
        highlight=False,
    )


def _set_paused(
    source_id: int, paused: bool, db: str | None, config: Path | None, as_json: bool
) -> None:
    with Khabar(settings_from(db, config)) as service:
        source = service.pause_source(source_id, paused)
    if as_json:
        print_json(_out, presenters.source_dict(source))
    else:
        state = "paused" if paused else "resumed"
        _out.print(f"{state} source {source.id}: {source.display_name}", highlight=False)


def _confirm(source: Source) -> None:
    question = (
        f"remove source {source.id} ({source.display_name}) "
        f"and its {source.article_count} stored articles?"
    )
    if not can_ask():
        raise InvalidInputError(f"{question} Pass --yes to confirm (no terminal to ask on).")
    if not typer.confirm(question, default=False):
        raise typer.Exit(1)


def can_ask() -> bool:
    """Whether a person can answer on standard input (a terminal, not a pipe or a script)."""
    return sys.stdin.isatty()
