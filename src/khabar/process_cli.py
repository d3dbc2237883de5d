"""``khabar process``: analyze articles given as JSON lines, with no database and no network.

Each record goes through the offline stages in input order: language and section (pure, per
record), then dedupe against the records before it (:class:`~khabar.dedupe.stream.CopyStream`).
Give records oldest first: the earliest copy of a text that credits nobody is its original.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Annotated, Any

import typer

from khabar.analyze.sections import SectionClassifier, default_classifier
from khabar.arabic.langid import detect_language
from khabar.dedupe.decide import Candidate, DedupeDecision
from khabar.dedupe.link import article_fingerprint
from khabar.dedupe.original import credited_in_text, outlet_name
from khabar.dedupe.stream import CopyStream
from khabar.errors import InvalidInputError
from khabar.jsonl_import import parse_record_date
from khabar.stories.cluster import StoryArticle, StoryClusterer
from khabar.stories.link import cluster_settings, story_vector

__all__ = ["process", "process_record"]


def process(
    jsonl: Annotated[
        Path,
        typer.Option(
            "--jsonl",
            help="JSON lines: {id, source, url, title, text, published, [author], "
            "[attribution], [categories]} per line, oldest first.",
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
    """Add language, section, dedupe fields (copy_kind, duplicate_of, original) and story_id."""
    classifier = default_classifier(model)
    if out is None:
        _write(_records(jsonl), classifier, sys.stdout)
        return
    with out.open("w", encoding="utf-8") as fh:
        _write(_records(jsonl), classifier, fh)


def _write(records: Iterator[dict[str, Any]], classifier: SectionClassifier, fh: IO[str]) -> None:
    stream, stories = CopyStream(), StoryClusterer(cluster_settings())
    ids: list[object] = []
    story_of: list[int] = []  # arrival number → number of the article that started its story
    when = datetime.now(UTC)
    for record in records:
        candidate = dedupe_candidate(record)
        number, decision = stream.add(candidate)
        ids.append(record.get("id", number + 1))
        when = candidate.published or when  # undated: as late as the record before it
        hint = str(story_of[decision.of]) if decision.of is not None else None
        title, text = str(record.get("title") or ""), str(record.get("text") or "")
        assignment = stories.assign(
            StoryArticle(
                str(number), when, title, candidate.source, story_vector(title, text), hint
            )
        )
        story_of.append(int(assignment.story_id))
        out = {
            **process_record(record, classifier),
            **copy_fields(decision, ids),
            "story_id": ids[story_of[-1]],
        }
        fh.write(json.dumps(out, ensure_ascii=False) + "\n")


def dedupe_candidate(record: dict[str, Any]) -> Candidate:
    """What dedupe needs of a record: its outlet, URL, date, credit and text fingerprint."""
    source = str(record.get("source") or "")
    text = str(record.get("text") or "")
    attribution = record.get("attribution")
    author = record.get("author")
    credited = (
        outlet_name(attribution)
        if isinstance(attribution, str) and attribution.strip()
        else credited_in_text(text, author if isinstance(author, str) else None, source)
    )
    return Candidate(
        url=str(record.get("url") or ""),
        source=source,
        fingerprint=article_fingerprint(text),
        published=parse_record_date(record.get("published")),
        credited=credited,
    )


def copy_fields(decision: DedupeDecision, ids: list[object]) -> dict[str, Any]:
    """The dedupe output of one record; ``ids`` maps arrival numbers to the records' ids."""
    original = decision.original
    held = original.article_id if original else None
    return {
        "copy_kind": decision.kind if decision.kind != "new" else None,
        "duplicate_of": ids[decision.of] if decision.of is not None else None,
        "similarity": round(decision.similarity, 3),
        "original": (ids[held] if held is not None else original.outlet) if original else None,
        "original_outlet": original.outlet if original else None,
    }


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
