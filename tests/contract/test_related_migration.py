"""Migration 11 of both backends: the related-articles feature rows of a version-10 database
become small integer weights carrying their article's copy group and hidden flag, and a
trigger keeps those two following the article."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest

from khabar.storage.postgres import schema as postgres_schema
from khabar.storage.sqlite import schema as sqlite_schema

T0 = datetime(2024, 5, 6, 3, 0, tzinfo=UTC)
OLD_ROWS = [(7, 0.5, 1), (7, 0.25, 2), (8, 0.1, 3)]  # (feature, weight, article)

Execute = Callable[..., list[tuple[Any, ...]]]


def _sqlite(path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Execute]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")

    def run(sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return conn.execute(sql.replace("%s", "?"), params).fetchall()

    with monkeypatch.context() as patch:
        patch.setattr(sqlite_schema, "MIGRATIONS", sqlite_schema.MIGRATIONS[:10])
        assert sqlite_schema.migrate(conn) == 10
    _fill(run, T0.isoformat())
    assert sqlite_schema.migrate(conn) == len(sqlite_schema.MIGRATIONS)
    yield run
    conn.close()


def _postgres(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Execute]:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")

        def run(sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

        with monkeypatch.context() as patch:
            patch.setattr(postgres_schema, "MIGRATIONS", postgres_schema.MIGRATIONS[:10])
            assert postgres_schema.migrate(conn) == 10
        _fill(run, T0)
        assert postgres_schema.migrate(conn) == len(postgres_schema.MIGRATIONS)
        yield run


def _fill(run: Execute, now: object) -> None:
    """Articles 1 (plain), 2 (hidden), 3 (a copy of 1) and their version-10 feature rows."""
    run(
        "INSERT INTO sources (id, url, kind, created_at) VALUES (1, 'https://a.example/', "
        "'feed', %s)",
        (now,),
    )
    for article in (1, 2, 3):
        run(
            """INSERT INTO articles (id, source_id, key, url, title, text, html, fetched_at,
               sort_time, content_hash, seq)
               VALUES (%s, 1, %s, %s, 't', 'x', '', %s, %s, '', %s)""",
            (article, str(article), f"https://a.example/{article}", now, now, article),
        )
    run("UPDATE articles SET hidden = %s WHERE id = 2", (True,))
    run("UPDATE articles SET group_id = 1 WHERE id = 3")
    for row in OLD_ROWS:
        run("INSERT INTO article_features (feature, weight, article_id) VALUES (%s, %s, %s)", row)


@pytest.fixture(params=["sqlite", "postgres"])
def migrated(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Execute]:
    monkeypatch = request.getfixturevalue("monkeypatch")
    if request.param == "sqlite":
        yield from _sqlite(tmp_path / "v10.db", monkeypatch)
    else:
        yield from _postgres(request.getfixturevalue("postgres_url"), monkeypatch)


def _rows(run: Execute) -> list[tuple[int, int, int, int | None, bool]]:
    found = run(
        "SELECT feature, weight, article_id, group_id, hidden FROM article_features "
        "ORDER BY feature, article_id"
    )
    return [(int(f), int(w), int(a), g, bool(h)) for f, w, a, g, h in found]


def test_related_migration_keeps_the_rows_in_the_compact_form(migrated: Execute) -> None:
    assert _rows(migrated) == [
        (7, 16384, 1, None, False),
        (7, 8192, 2, None, True),
        (8, 3277, 3, 1, False),
    ]


def test_related_rows_follow_their_article_after_migration(migrated: Execute) -> None:
    migrated("UPDATE articles SET group_id = 1 WHERE id = 1")
    migrated("UPDATE articles SET hidden = %s WHERE id = 3", (True,))
    assert _rows(migrated) == [
        (7, 16384, 1, 1, False),
        (7, 8192, 2, None, True),
        (8, 3277, 3, 1, True),
    ]
    migrated("DELETE FROM articles WHERE id = 2")
    assert [row[2] for row in _rows(migrated)] == [1, 3]
