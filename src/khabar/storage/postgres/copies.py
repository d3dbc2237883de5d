"""Dedupe in PostgreSQL: fingerprints and band rows, candidate lookup, copy groups.

The same rules as ``khabar.storage.sqlite.copies`` (read its docstring for copy groups,
leaders and originals); only the SQL dialect differs. Every function runs on a connection
inside the caller's transaction.
"""

from __future__ import annotations

from datetime import timedelta

import psycopg
from psycopg.rows import DictRow

from khabar.dedupe.bands import band_ids
from khabar.dedupe.decide import Candidate, DedupeDecision, Known
from khabar.dedupe.fingerprint import Fingerprint
from khabar.dedupe.original import outlet_name
from khabar.dedupe.thresholds import load_thresholds
from khabar.dedupe.urls import canonical_url
from khabar.errors import NotFoundError
from khabar.storage.postgres.convert import clean_text, utc
from khabar.storage.times import window_around
from khabar.types import ArticleDraft

__all__ = ["copy_candidates", "record_copy", "write_fingerprint"]

Connection = psycopg.Connection[DictRow]

MAX_BAND_CANDIDATES = 200  # a wire story rarely has more copies; bounds the work per article

_FIELDS = """SELECT a.id, a.url, a.canonical_url, a.sort_time, a.credited, a.text_hash,
    a.signature, a.shingle_count, coalesce(s.title, s.site_url, s.url) AS outlet
    FROM articles a JOIN sources s ON s.id = a.source_id"""


def write_fingerprint(conn: Connection, article_id: int, draft: ArticleDraft) -> None:
    """Store what dedupe needs of ``draft``: URL keys, credit, fingerprint and band rows."""
    found = draft.fingerprint
    conn.execute(
        """UPDATE articles SET url_key = %s, canonical_key = %s, credited = %s,
           text_hash = %s, signature = %s, shingle_count = %s WHERE id = %s""",
        (
            clean_text(canonical_url(draft.url)),
            clean_text(canonical_url(draft.canonical_url)) if draft.canonical_url else None,
            clean_text(draft.credited),
            found.content_hash if found else None,
            found.signature if found else None,
            found.shingle_count if found else 0,
            article_id,
        ),
    )
    conn.execute("DELETE FROM article_bands WHERE article_id = %s", (article_id,))
    bands = _bands(found)
    if not bands:
        return  # too short to judge by content: URL and exact matches only
    conn.execute(
        """INSERT INTO article_bands (band, article_id)
           SELECT band, %s FROM unnest(%s::bigint[]) AS band ON CONFLICT DO NOTHING""",
        (article_id, bands),
    )


def copy_candidates(
    conn: Connection, article_id: int, window: timedelta
) -> tuple[Candidate, list[Known]]:
    """The article as a dedupe candidate and the stored articles that may copy it."""
    row = _fields(conn, article_id)
    ids = _by_keys(conn, row) | _by_bands(conn, row, window)
    ids.discard(article_id)
    rows = conn.execute(_FIELDS + " WHERE a.id = ANY(%s) ORDER BY a.id", (sorted(ids),))
    return _candidate(row), [_known(r) for r in rows.fetchall()]


def _fields(conn: Connection, article_id: int) -> DictRow:
    row = conn.execute(_FIELDS + " WHERE a.id = %s", (article_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no article with id {article_id}")
    return row


def _by_keys(conn: Connection, row: DictRow) -> set[int]:
    keys = [clean_text(canonical_url(u)) for u in (row["url"], row["canonical_url"]) if u]
    found = {
        int(r["id"])
        for r in conn.execute(
            """SELECT id FROM articles WHERE url_key = ANY(%s)
               UNION SELECT id FROM articles WHERE canonical_key = ANY(%s)""",
            (keys, keys),
        )
    }
    if row["text_hash"] is not None and row["shingle_count"] > 0:
        found.update(
            int(r["id"])
            for r in conn.execute(
                "SELECT id FROM articles WHERE text_hash = %s LIMIT %s",
                (row["text_hash"], MAX_BAND_CANDIDATES),
            )
        )
    return found


def _by_bands(conn: Connection, row: DictRow, window: timedelta) -> set[int]:
    """Articles sharing an LSH band with ``row``, within the window around it.

    The bands are computed from the stored signature (as ``write_fingerprint`` does) and
    looked up by value first, through the ``(band, article_id)`` key — a handful of rows.
    Joining the article's own band rows instead let the planner start from every article
    in the time window and read all their bands: ~30 ms per write with 400 articles in a
    window, growing with it, inside the write lock.
    """
    bands = _bands(_fingerprint(row))
    if not bands:
        return set()
    rows = conn.execute(
        """WITH sharing AS MATERIALIZED (
               SELECT DISTINCT article_id FROM article_bands
               WHERE band = ANY(%s::bigint[]) AND article_id <> %s)
           SELECT s.article_id FROM sharing s JOIN articles a ON a.id = s.article_id
           WHERE a.sort_time BETWEEN %s AND %s
           LIMIT %s""",
        (
            bands,
            row["id"],
            *window_around(utc(row["sort_time"]), window),
            MAX_BAND_CANDIDATES,
        ),
    )
    return {int(r["article_id"]) for r in rows}


def _bands(found: Fingerprint | None) -> list[int]:
    """The band rows of a fingerprint; none when it is too short to judge by content."""
    if found is None or found.shingle_count < load_thresholds().min_shingles:
        return []
    return sorted(set(band_ids(found.signature, load_thresholds().lsh_bands)))


def _fingerprint(row: DictRow) -> Fingerprint:
    signature = bytes(row["signature"]) if row["signature"] is not None else b""
    return Fingerprint(row["text_hash"] or "", signature, int(row["shingle_count"]))


def _candidate(row: DictRow) -> Candidate:
    return Candidate(
        url=row["url"],
        source=row["outlet"],
        fingerprint=_fingerprint(row),
        published=utc(row["sort_time"]),
        canonical_url=row["canonical_url"],
        credited=row["credited"],
    )


def _known(row: DictRow) -> Known:
    return Known(
        id=int(row["id"]),
        url=row["url"],
        source=row["outlet"],
        fingerprint=_fingerprint(row),
        published=utc(row["sort_time"]),
        canonical_url=row["canonical_url"],
        credited=row["credited"],
    )


def record_copy(conn: Connection, article_id: int, decision: DedupeDecision) -> None:
    """Store ``decision`` for ``article_id`` (see the SQLite module for the group rules)."""
    me = _fields(conn, article_id)
    original = decision.original
    outlet = original.outlet if original else None
    if decision.of is None:
        conn.execute(
            """UPDATE articles SET group_id = id, copy_kind = NULL, copy_of = NULL,
               original_outlet = %s, original_id = %s WHERE id = %s""",
            (outlet, original.article_id if original else None, article_id),
        )
        return
    group = _group_of(conn, decision.of)
    members = {
        int(r["id"]) for r in conn.execute("SELECT id FROM articles WHERE group_id = %s", (group,))
    }
    members |= {group, article_id}
    original_id: int | None
    if original is None:
        leader, outlet, original_id = article_id, outlet_name(me["outlet"]), article_id
    else:
        original_id = original.article_id
        leader = original_id if original_id is not None and original_id in members else group
    conn.execute(
        """UPDATE articles SET group_id = %s, original_outlet = %s, original_id = %s
           WHERE group_id = %s OR id = ANY(%s)""",
        (leader, outlet, original_id, group, [group, article_id]),
    )
    if article_id != leader:
        conn.execute(
            "UPDATE articles SET copy_kind = %s, copy_of = %s WHERE id = %s",
            (decision.kind, decision.of, article_id),
        )
    if group != leader:
        _demote(conn, group, leader)
    conn.execute("UPDATE articles SET copy_kind = NULL, copy_of = NULL WHERE id = %s", (leader,))


def _group_of(conn: Connection, article_id: int) -> int:
    row = conn.execute("SELECT group_id FROM articles WHERE id = %s", (article_id,)).fetchone()
    if row is None:
        raise NotFoundError(f"no article with id {article_id}")
    return int(row["group_id"]) if row["group_id"] is not None else article_id


def _demote(conn: Connection, old: int, leader: int) -> None:
    """The group's old leader becomes a copy of the new one."""
    rows = conn.execute(
        "SELECT id, source_id FROM articles WHERE id = ANY(%s)", ([old, leader],)
    ).fetchall()
    sources = {int(r["id"]): int(r["source_id"]) for r in rows}
    kind = "duplicate" if sources.get(old) == sources.get(leader) else "republication"
    conn.execute(
        "UPDATE articles SET copy_kind = %s, copy_of = %s WHERE id = %s", (kind, leader, old)
    )
