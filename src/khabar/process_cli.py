"""``khabar process``: analyze articles given as JSON lines, with no database and no network."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from khabar.analyze.sections import SectionClassifier, default_classifier
from khabar.arabic.langid import detect_language
from khabar.errors import InvalidInputError

__all__ = ["process", "process_record"]


def process(
    jsonl: Annotated[
        Path,
        typer.Option(
            "--jsonl",
            help="JSON lines: {title, text, [url], [categories], [source]} per line.",
            exists=True,
            dir_okay=False,
        ),
    ],
    out: Annotated[
        Path | None, typer.Option("--out", help="Output JSON lines (default: stdout).")
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option(
            "--model", help="Section model (from `khabar sections train`).", dir_okay=False
        ),
    ] = None,
) -> None:
    """Add language, section, section_confidence and section_decided_by to each article."""
    classifier = default_classifier(model)
    if out is None:
        _write(_records(jsonl), classifier, sys.stdout)
        return
    with out.open("w", encoding="utf-8") as fh:
        _write(_records(jsonl), classifier, fh)


def _write(records: Iterator[dict[str, Any]], classifier: SectionClassifier, fh: IO[str]) -> None:
    for record in records:
        fh.write(json.dumps(process_record(record, classifier), ensure_ascii=False) + "\n")


def process_record(record: dict[str, Any], classifier: SectionClassifier) -> dict[str, Any]:
    """``record`` with the analysis fields added (pure)."""
    title, text = str(record.get("title") or ""), str(record.get("text") or "")
    categories = record.get("categories") or []
    decision = classifier.classify(
        title,
        text,
        feed_categories=[str(c) for c in categories] if isinstance(categories, list) else [],
        url=record.get("url") if isinstance(record.get("url"), str) else None,
    )
    return {
        **record,
        "language": detect_language(f"{title}\n{text}"),
        "section": decision.section,
        "section_confidence": decision.confidence,
        "section_decided_by": decision.decided_by,
    }


def _records(path: Path) -> Iterator[dict[str, Any]]:
    try:
        yield from _parse(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"{path}: cannot read ({exc})") from exc


def _parse(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InvalidInputError(f"{path}:{number}: not JSON ({exc.msg})") from exc
            if not isinstance(data, dict) or not isinstance(data.get("title", ""), str):
                raise InvalidInputError(f"{path}:{number}: expected an object with a 'title'")
            yield data
