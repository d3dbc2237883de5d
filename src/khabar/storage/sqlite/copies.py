"""Dedupe in SQLite: fingerprints and band rows, candidate lookup, copy groups.

A *copy group* is every stored copy of one text. Its leader (``group_id = id``) stands for the
group in lists and search; the others point to it with ``group_id`` and say how they relate to
the article they matched (``copy_kind``, ``copy_of``). ``original_outlet``/``original_id`` are
the same on every member: where the text first appeared.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from khabar.dedupe.bands import band_ids
from khabar.dedupe.decide import Candidate, DedupeDecision, Known
from khabar.dedupe.fingerprint import Fingerprint
from khabar.dedupe.original import outlet_name
from khabar.dedupe.thresholds import load_thresholds
from khabar.dedupe.urls import canonical_url
from khabar.errors import NotFoundError
from khabar.storage.sqlite.convert import from_ts, to_ts
from khabar.storage.times import window_around
from khabar.types import ArticleDraft

__all__ = ["copy_candidates", "record_copy", "write_fingerprint"]

MAX_BAND_CANDIDATES = 200  # a wire story rarely has more copies; bounds the work per article

_FIELDS = """SELECT a.id, a.url, a.canonical_url, a.sort_time, a.credited, a.text_hash,
    a.signature, a.shingle_count, coalesce(s.title, s.site_url, s.url) AS outlet
    FROM articles a JOIN sources s ON s.id = a.source_id"""


def write_fingerprint(conn: sqlite3.Connection, article_id: int, draft: ArticleDraft) -> None:
    """Store what dedupe needs of ``draft``: URL keys, credit, fingerprint and band rows."""
    found = draft.fingerprint
    conn.execute(
        """UPDATE articles SET url_key = ?, canonical_key = ?, credited = ?, text_hash = ?,
           signature = ?, shingle_count = ? WHERE id = ?""",
        (
            canonical_url(draft.url),
            canonical_url(draft.canonical_url) if draft.canonical_url else None,
            draft.credited,
            found.content_hash if found else None,
            found.signature if found else None,
            found.shingle_count if found else 0,
            article_id,
        ),
    )
    conn.execute("DELETE FROM article_bands WHERE article_id = ?", (article_id,))
    if found is None or found.shingle_count < load_thresholds().min_shingles:
        return  # too short to judge by content: URL and exact matches only
    conn.executemany(
        "INSERT OR IGNORE INTO article_bands (band, article_id) VALUES (?, ?)",
        [(band, article_id) for band in band_ids(found.signature, load_thresholds().lsh_bands)],
    )


def copy_candidates(
    conn: sqlite3.Connection, article_id: int, window: timedelta
) -> tuple[Candidate, list[Known]]:
    """The article as a dedupe candidate and the stored articles that may copy it."""
    row = conn.execute(_FIELDS + " WHERE a.id = ?", (article_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no article with id {article_id}")
    moment = datetime.fromisoformat(row["sort_time"])
    ids = _by_keys(conn, row) | _by_bands(conn, article_id, moment, window)
    ids.discard(article_id)
    known: list[Known] = []
    for i in range(0, len(ids), 500):
        chunk = sorted(ids)[i : i + 500]
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(_FIELDS + f" WHERE a.id IN ({marks})", chunk).fetchall()
        known.extend(_known(r) for r in rows)
    return _candidate(row), known


def _by_keys(conn: sqlite3.Connection, row: sqlite3.Row) -> set[int]:
    keys = [canonical_url(u) for u in (row["url"], row["canonical_url"]) if u]
    marks = ",".join("?" * len(keys))
    found = {
        int(r[0])
        for r in conn.execute(
            f"""SELECT id FROM articles WHERE url_key IN ({marks})
                UNION SELECT id FROM articles WHERE canonical_key IN ({marks})""",
            (*keys, *keys),
        )
    }
    if row["text_hash"] is not None and row["shingle_count"] > 0:
        found.update(
            int(r[0])
            for r in conn.execute(
                "SELECT id FROM articles WHERE text_hash = ? LIMIT ?",
                (row["text_hash"], MAX_BAND_CANDIDATES),
            )
        )
    return found


def _by_bands(
    conn: sqlite3.Connection, article_id: int, moment: datetime, window: timedelta
) -> set[int]:
    rows = conn.execute(
        """SELECT DISTINCT other.article_id FROM article_bands mine
           JOIN article_bands other ON other.band = mine.band
           JOIN articles a ON a.id = other.article_id
           WHERE mine.article_id = ? AND other.article_id <> ?
           AND a.sort_time BETWEEN ? AND ?
           LIMIT ?""",
        (
            article_id,
            article_id,
            to_ts(window_around(moment, window)[0]),
            to_ts(window_around(moment, window)[1]),
            MAX_BAND_CANDIDATES,
        ),
    )
    return {int(r[0]) for r in rows}


def _fingerprint(row: sqlite3.Row) -> Fingerprint:
    return Fingerprint(row["text_hash"] or "", row["signature"] or b"", int(row["shingle_count"]))


def _candidate(row: sqlite3.Row) -> Candidate:
    return Candidate(
        url=row["url"],
        source=row["outlet"],
        fingerprint=_fingerprint(row),
        published=from_ts(row["sort_time"]),
        canonical_url=row["canonical_url"],
        credited=row["credited"],
    )


def _known(row: sqlite3.Row) -> Known:
    return Known(
        id=int(row["id"]),
        url=row["url"],
        source=row["outlet"],
        fingerprint=_fingerprint(row),
        published=from_ts(row["sort_time"]),
        canonical_url=row["canonical_url"],
        credited=row["credited"],
    )


def record_copy(conn: sqlite3.Connection, article_id: int, decision: DedupeDecision) -> None:
    """Store ``decision`` for ``article_id`` (see the module docstring for the group rules)."""
    me = conn.execute(_FIELDS + " WHERE a.id = ?", (article_id,)).fetchone()
    if me is None:
        raise NotFoundError(f"no article with id {article_id}")
    original = decision.original
    outlet = original.outlet if original else None
    if decision.of is None:
        conn.execute(
            """UPDATE articles SET group_id = id, copy_kind = NULL, copy_of = NULL,
               original_outlet = ?, original_id = ? WHERE id = ?""",
            (outlet, original.article_id if original else None, article_id),
        )
        return
    group = _group_of(conn, decision.of)
    members = {
        int(r[0]) for r in conn.execute("SELECT id FROM articles WHERE group_id = ?", (group,))
    }
    members |= {group, article_id}
    original_id: int | None
    if original is None:
        leader, outlet, original_id = article_id, outlet_name(me["outlet"]), article_id
    else:
        original_id = original.article_id
        leader = original_id if original_id is not None and original_id in members else group
    conn.execute(
        """UPDATE articles SET group_id = ?, original_outlet = ?, original_id = ?
           WHERE group_id = ? OR id IN (?, ?)""",
        (leader, outlet, original_id, group, group, article_id),
    )
    if article_id != leader:
        conn.execute(
            "UPDATE articles SET copy_kind = ?, copy_of = ? WHERE id = ?",
            (decision.kind, decision.of, article_id),
        )
    if group != leader:
        _demote(conn, group, leader)
    conn.execute("UPDATE articles SET copy_kind = NULL, copy_of = NULL WHERE id = ?", (leader,))


def _group_of(conn: sqlite3.Connection, article_id: int) -> int:
    row = conn.execute("SELECT group_id FROM articles WHERE id = ?", (article_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no article with id {article_id}")
    return int(row[0]) if row[0] is not None else article_id


def _demote(conn: sqlite3.Connection, old: int, leader: int) -> None:
    """The group's old leader becomes a copy of the new one."""
    rows = conn.execute(
        "SELECT id, source_id FROM articles WHERE id IN (?, ?)", (old, leader)
    ).fetchall()
    sources = {int(r["id"]): int(r["source_id"]) for r in rows}
    kind = "duplicate" if sources.get(old) == sources.get(leader) else "republication"
    conn.execute("UPDATE articles SET copy_kind = ?, copy_of = ? WHERE id = ?", (kind, leader, old))
