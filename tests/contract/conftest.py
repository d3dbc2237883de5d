"""Every contract test runs on every backend (SQLite here; PostgreSQL joins with issue 9)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from khabar.storage import StorageType, open_storage

BACKENDS = ["sqlite"]


@pytest.fixture(params=BACKENDS)
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StorageType]:
    store = open_storage(f"sqlite:///{tmp_path / 'khabar.db'}")
    yield store
    store.close()
