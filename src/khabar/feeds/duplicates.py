"""Make entry keys unique inside one document, saying what was changed."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence

from khabar.types import FeedEntry

__all__ = ["dedupe_entries"]


def dedupe_entries(
    entries: Sequence[FeedEntry],
) -> tuple[tuple[FeedEntry, ...], tuple[str, ...]]:
    """Return entries whose ``key`` is unique, and warnings describing the repairs.

    A GUID shared by entries with *different* URLs is unreliable: those entries drop the GUID
    and are keyed by URL. Entries that repeat both GUID and URL are true duplicates: the first
    is kept.
    """
    warnings: list[str] = []
    urls_by_guid: dict[str, set[str]] = {}
    for entry in entries:
        if entry.guid is not None:
            urls_by_guid.setdefault(entry.guid, set()).add(entry.url)
    shared = {guid for guid, urls in urls_by_guid.items() if len(urls) > 1}
    for guid in sorted(shared):
        warnings.append(
            f"GUID {guid!r} is used by {len(urls_by_guid[guid])} different URLs; "
            "those entries are keyed by URL instead"
        )
    repaired = [
        dataclasses.replace(entry, guid=None) if entry.guid in shared else entry
        for entry in entries
    ]
    counts = Counter(entry.key for entry in repaired)
    seen: set[str] = set()
    kept: list[FeedEntry] = []
    for entry in repaired:
        if entry.key in seen:
            continue
        seen.add(entry.key)
        kept.append(entry)
    for key, count in counts.items():
        if count > 1:
            warnings.append(f"entry {key!r} appears {count} times; kept the first")
    return tuple(kept), tuple(warnings)
