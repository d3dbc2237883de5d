"""``khabar text dates``: the dates Khabar reads in a text, as ISO 8601 (for ``text_app``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer

from khabar.arabic.dates import FoundDate, find_dates

__all__ = ["dates"]


def dates(
    text: Annotated[str, typer.Argument(help="Text to scan: a byline, a date, a paragraph.")],
    now: Annotated[
        str | None,
        typer.Option(
            "--now",
            help="ISO 8601 reference time for relative dates and missing years (default: now).",
        ),
    ] = None,
    tz: Annotated[
        str, typer.Option("--tz", help="IANA zone of the source, used when the text names none.")
    ] = "Asia/Riyadh",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of lines.")] = False,
) -> None:
    """Print the dates found in TEXT as ISO 8601 UTC, one per line (exit 1 when none)."""
    found = find_dates(text, now=_reference_time(now), tz=_zone(tz))
    if as_json:
        typer.echo(json.dumps([_as_dict(f) for f in found], ensure_ascii=False, indent=2))
    else:
        for item in found:
            typer.echo(item.value.isoformat())
    if not found:
        if not as_json:
            typer.echo("no date found", err=True)
        raise typer.Exit(1)


def _reference_time(value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as error:
        raise typer.BadParameter(
            f"not an ISO 8601 date-time: {value!r}", param_hint="--now"
        ) from error
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise typer.BadParameter(f"unknown time zone: {name!r}", param_hint="--tz") from error


def _as_dict(found: FoundDate) -> dict[str, str | int]:
    return {
        "text": found.text,
        "start": found.start,
        "end": found.end,
        "date": found.value.isoformat(),
        "calendar": found.calendar,
    }
