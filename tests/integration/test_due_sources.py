"""Which sources an ``update(only_due=True)`` round (the scheduler loop) picks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from khabar.service import Khabar
from khabar.settings import Settings
from khabar.types import NewSource, SourceFetchState

NOW = datetime(2024, 5, 1, 12, tzinfo=UTC)


def _fetched(service: Khabar, source_id: int, next_fetch: datetime) -> None:
    state = SourceFetchState(
        fetched_at=NOW - timedelta(hours=1),
        next_fetch_at=next_fetch,
        error_count=0,
        last_error=None,
    )
    service.storage.record_fetch(source_id, state)


def test_due_sources(tmp_path: Path) -> None:
    with Khabar(Settings(database_url=f"sqlite:///{tmp_path / 'k.db'}")) as service:
        new, due, later, paused = (
            service.storage.add_source(NewSource(url=f"https://example.com/{n}.xml")).id
            for n in ("new", "due", "later", "paused")
        )
        _fetched(service, due, NOW - timedelta(minutes=1))
        _fetched(service, later, NOW + timedelta(minutes=5))
        service.pause_source(paused)
        assert [s.id for s in service.due_sources(NOW)] == [new, due]
        assert [s.id for s in service.due_sources(NOW + timedelta(minutes=10))] == [new, due, later]
