"""``khabar stories`` and ``khabar trending``: what the reader's home and "الأكثر تداولاً"
pages show, in the terminal. Registered on the Typer app by :mod:`khabar.cli`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from khabar import presenters
from khabar.cli_options import ConfigOption, DbOption, JsonOption, print_json, settings_from
from khabar.service import Khabar

__all__ = ["stories", "trending"]

_out = Console(soft_wrap=True)

LimitOption = Annotated[int, typer.Option("--limit", min=1, max=200, help="How many to show.")]


def stories(
    limit: LimitOption = 10,
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Top stories: events several outlets cover, recent first (the home page's ranking)."""
    with Khabar(settings_from(db, config)) as service:
        found = service.top_stories(limit)
    if as_json:
        print_json(_out, [presenters.story_dict(s) for s in found])
        return
    table = Table("id", "story", "outlets", "articles", "last article")
    for s in found:
        table.add_row(
            str(s.id), s.title, str(len(s.outlets)), str(s.size), presenters.when(s.last_seen)
        )
    _out.print(table)


def trending(
    limit: LimitOption = 20,
    db: DbOption = None,
    config: ConfigOption = None,
    as_json: JsonOption = False,
) -> None:
    """Names that rose most: articles naming them in the last 24 h against the 7 days before."""
    with Khabar(settings_from(db, config)) as service:
        found = service.trending(limit)
    if as_json:
        print_json(_out, [presenters.trending_dict(t) for t in found])
        return
    table = Table("name", "type", "last 24 h", "previous 7 days", "key")
    for t in found:
        table.add_row(t.name, t.type, str(t.recent), str(t.before), t.key)
    _out.print(table)
