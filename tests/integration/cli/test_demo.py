"""``khabar demo --no-serve``: the whole offline demo, printing its counts as JSON."""

from __future__ import annotations

import json

from tests.integration.cli.conftest import DemoRun


def test_demo_no_serve_prints_counts(demo_run: DemoRun) -> None:
    result = demo_run.wait()
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["sources"] == 5
    assert summary["articles"] >= 400
    assert summary["new"] == summary["articles"]
    assert summary["failed_sources"] == []
    assert summary["mirror"].startswith("http://127.0.0.1:")
    assert "demo: " in result.stderr  # messages go to stderr; stdout is only the JSON
    assert demo_run.db_file.exists()
