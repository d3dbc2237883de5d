"""Every contract test runs on every backend: SQLite (with its FTS5 search, and again with
the tantivy search engine), and PostgreSQL on a throwaway cluster.

The cluster starts once per session (``tests/support/postgres.py``); each test gets an empty
``public`` schema in one database, migrated afresh by ``open_storage``. Without PostgreSQL
binaries the PostgreSQL runs skip, unless ``KHABAR_TEST_REQUIRE_POSTGRES=1`` (CI) makes that
a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.support.postgres import REQUIRE_ENV, PostgresCluster, PostgresUnavailable

from khabar.storage import StorageType, open_storage

BACKENDS = ["sqlite", "sqlite-tantivy", "postgres"]


@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[PostgresCluster]:
    """A throwaway cluster for the whole session."""
    try:
        cluster = PostgresCluster().start()
    except PostgresUnavailable as exc:
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{REQUIRE_ENV}=1 but {exc}")
        pytest.skip(str(exc))
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def postgres_url(postgres_cluster: PostgresCluster) -> str:
    """The database the function-scoped ``storage`` fixture empties for each test."""
    return postgres_cluster.create_database()


def empty_postgres(url: str) -> str:
    """Empty the database's ``public`` schema; returns ``url``."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    return url


def backend_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The database URL of a fresh, empty database of ``backend``."""
    if backend.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'khabar.db'}"
    return empty_postgres(request.getfixturevalue("postgres_url"))


@pytest.fixture(params=BACKENDS)
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StorageType]:
    engine = "tantivy" if request.param == "sqlite-tantivy" else "fts5"
    store = open_storage(backend_url(request.param, request, tmp_path), search_engine=engine)
    yield store
    store.close()
