"""``khabar text …``: see what the Arabic text core does to a piece of text.

Every command takes TEXT and ``--json``. Registered in :mod:`khabar.cli` as
``app.add_typer(text_app, name="text")``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from khabar.arabic.langid import detect_language
from khabar.arabic.normalize import PROFILES, normalize
from khabar.arabic.stem import stem as stem_token
from khabar.arabic.stopwords import is_stopword
from khabar.arabic.tokenize import is_url, tokenize
from khabar.search.analyzer import ANALYZER_VERSION, term
from khabar.text_dates_cli import dates as dates_command

__all__ = ["text_app"]

text_app = typer.Typer(
    name="text",
    help="Show what the Arabic text core does to TEXT (normalize, tokens, stem, lang).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_out = Console(soft_wrap=True)

TextArg = Annotated[str, typer.Argument(help="The text to look at.", show_default=False)]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]


def _emit(data: Any, as_json: bool, lines: list[str]) -> None:
    if as_json:
        _out.print_json(json.dumps(data, ensure_ascii=False))
    else:
        for line in lines:
            _out.print(escape(line), highlight=False)


@text_app.command("normalize")
def normalize_command(
    text: TextArg,
    profile: Annotated[
        str, typer.Option("--profile", help=f"One of: {', '.join(PROFILES)}.")
    ] = "search",
    as_json: JsonOption = False,
) -> None:
    """Print TEXT normalized with a profile (display, stem or search)."""
    if profile not in PROFILES:
        raise typer.BadParameter(f"use one of {', '.join(PROFILES)}", param_hint="--profile")
    result = normalize(text, profile)
    _emit({"profile": profile, "text": result}, as_json, [result])


@text_app.command("tokens")
def tokens_command(text: TextArg, as_json: JsonOption = False) -> None:
    """Print the tokens of TEXT as written (one per line)."""
    tokens = tokenize(text)
    _emit({"tokens": tokens}, as_json, tokens)


@text_app.command("stem")
def stem_command(text: TextArg, as_json: JsonOption = False) -> None:
    """Print each token with its light stem and its search term (what the index holds)."""
    rows: list[dict[str, str | bool | None]] = []
    lines: list[str] = []
    for token in tokenize(text):
        normalized = normalize(token, "stem")
        url = is_url(normalized)
        indexed = None if url else term(normalized)
        stopword = is_stopword(normalized)
        rows.append(
            {
                "token": token,
                "stem": None if url else stem_token(normalized),
                "term": indexed,
                "stopword": stopword,
            }
        )
        note = "\t(stopword)" if stopword else ""
        lines.append(f"{token}\t{indexed or '(url: not indexed)'}{note}")
    _emit({"analyzer_version": ANALYZER_VERSION, "tokens": rows}, as_json, lines)


@text_app.command("lang")
def lang_command(text: TextArg, as_json: JsonOption = False) -> None:
    """Print the language of TEXT (ISO 639-1), or "unknown" when it cannot tell."""
    lang = detect_language(text)
    _emit({"lang": lang}, as_json, [lang or "unknown"])


text_app.command("dates")(dates_command)
