"""``khabar sections …``: retrain the section model from the user's labelled articles."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

__all__ = ["sections_app"]

sections_app = typer.Typer(
    name="sections",
    help="Section classifier: retrain from labelled articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_err = Console(stderr=True)


@sections_app.callback()
def _sections() -> None:
    """Section classifier: retrain from labelled articles."""


@sections_app.command()
def train(
    jsonl: Annotated[
        Path,
        typer.Option(
            "--jsonl",
            help="Labelled JSON lines (.jsonl/.jsonl.gz): title, text, cat [, cats, src, docno].",
            exists=True,
            dir_okay=False,
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", help="Directory for model.npz.", file_okay=False)
    ] = Path("."),
) -> None:
    """Train a section model (cat: a Khabar section key or an ANT label) and write model.npz."""
    from khabar.analyze.section_training import read_labelled_jsonl, train_model

    articles = list(read_labelled_jsonl(jsonl))
    model = train_model(articles, progress=lambda m: _err.print(m, highlight=False))
    path = out / "model.npz"
    model.save(path)
    info = model.info
    typer.echo(
        f"{path}: {len(articles)} articles, sections {', '.join(model.classes)}; "
        f"threshold {model.threshold:.2f}; out-of-outlet accuracy "
        f"{info['out_of_outlet_accuracy']:.3f}"
    )
