"""A throwaway PostgreSQL cluster for the distributed-work tests (``tests/support/postgres.py``).

Without PostgreSQL binaries these tests skip, unless ``KHABAR_TEST_REQUIRE_POSTGRES=1`` (CI)
makes that a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from tests.support.postgres import REQUIRE_ENV, PostgresCluster, PostgresUnavailable


@pytest.fixture(scope="session")
def cluster() -> Iterator[PostgresCluster]:
    try:
        running = PostgresCluster().start()
    except PostgresUnavailable as exc:
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{REQUIRE_ENV}=1 but {exc}")
        pytest.skip(str(exc))
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def database_url(cluster: PostgresCluster) -> str:
    """A new empty database for one test."""
    return cluster.create_database("khabar_dist")
