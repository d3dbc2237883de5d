"""The JSON API against its own OpenAPI schema: schemathesis generates requests from
``/openapi.json`` and sends them to the app in-process (ASGI). Every answer must be a
documented status, content type and body, and never a 5xx.

Requests carry no admin token, so changes (add a source, a rule) answer 401 and nothing is
ever fetched. The number of examples is bounded and the generation derandomized, so a run
is repeatable and short.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

from khabar.analyze.entities import Entity
from khabar.service import Khabar
from khabar.settings import Settings
from khabar.types import ArticleDraft, NewSource
from khabar.web import create_app

from .conftest import TOKEN

EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
GAZA = Entity("place", "غزة", "غزه", ("غزة", "غزه"), 2)


def _fill(service: Khabar) -> None:
    """A few outlets and articles, so ids 1–3 exist and lists are not empty."""
    now = datetime.now(UTC)
    for n, name in enumerate(("الجزيرة", "العربية", "بي بي سي")):
        source = service.storage.add_source(NewSource(url=f"https://{n}.example/rss", title=name))
        for m in range(3):
            draft = ArticleDraft(
                source_id=source.id,
                key=f"{n}-{m}",
                url=f"https://{n}.example/{m}",
                title=f"خبر {m} عن غزة من {name}",
                text="نص الخبر عن غزة والضفة.\n\nفقرة ثانية.",
                published=now - timedelta(hours=n * 3 + m),
                section=("politics", "economy", "sports")[m],
                categories=("غزة", "فلسطين"),
                entities=(GAZA,),
            )
            service.storage.upsert_article(draft)
    service.storage.search.update()


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    path: Path = tmp_path_factory.mktemp("schemathesis") / "api.db"
    config = Settings(database_url=f"sqlite:///{path}", admin_token=TOKEN, per_host_delay=0.0)
    with Khabar(config) as service:
        _fill(service)
        yield schemathesis.openapi.from_asgi("/openapi.json", create_app(config, service))


def _exercise(operation: Any, mode: GenerationMode) -> list[str]:
    """Send up to ``EXAMPLES`` generated requests to one operation; the failures found."""
    failures: list[str] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    def run(case: Any) -> None:
        try:
            case.call_and_validate(checks=CHECKS)
        except (AssertionError, FailureGroup) as exc:
            failures.append(f"{operation.label} [{mode.value}]: {exc}")

    try:
        run()
    except Unsatisfiable:  # no invalid request exists for an operation without parameters
        if mode is GenerationMode.POSITIVE:
            raise
    return failures


def test_api_answers_as_its_schema_says(api_schema: Any) -> None:
    failures: list[str] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures.extend(_exercise(operation, mode))
    assert not failures, "\n\n".join(failures[:10])
