"""Fixtures for the hostile-input suite: a real local server on 127.0.0.1, port 0."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.support.httpserver import LocalServer, Reply


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        running.route("/robots.txt", Reply(200, "User-agent: *\nDisallow:\n"))
        yield running
