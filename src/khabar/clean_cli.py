"""``khabar clean FILE.txt``: the text-mode cleaner over pages captured as plain text.

The command function is registered on the Typer app by ``khabar.cli``
(``app.command()(clean)``); it prints one JSON object per file, the same fields as
``khabar extract``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from khabar import presenters
from khabar.errors import InvalidInputError
from khabar.extract import clean_text

__all__ = ["clean"]


def clean(
    files: Annotated[
        list[Path],
        typer.Argument(help="Plain-text captures of article pages (UTF-8).", metavar="FILE.txt..."),
    ],
    as_json: Annotated[
        bool, typer.Option("--json/--text", help="JSON lines (default) or readable text.")
    ] = True,
) -> None:
    """Segment plain-text pages into body, attribution, tags, read-also and related."""
    for path in files:
        article = clean_text(_read(path), url="")
        if as_json:
            data = presenters.extracted_dict(str(path), article)
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        else:
            typer.echo(f"── {path}")
            typer.echo(article.text)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise InvalidInputError(f"{path}: no such file") from err
    except IsADirectoryError as err:
        raise InvalidInputError(f"{path}: is a directory, not a text file") from err
    except UnicodeDecodeError as err:
        raise InvalidInputError(f"{path}: not UTF-8 text ({err.reason})") from err
