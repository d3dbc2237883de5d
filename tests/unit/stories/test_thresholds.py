"""The story settings table loads, and every row carries its evidence."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from khabar.stories.thresholds import load_settings, parse_settings


def test_table_loads_with_evidence_for_every_row() -> None:
    settings = load_settings()
    assert 0 < settings.cluster.join_similarity < 1
    assert settings.cluster.window == timedelta(hours=72)
    assert settings.vector.max_terms > settings.cluster.query_terms > 0
    assert len(settings.evidence) == 12
    for name, evidence in settings.evidence.items():
        assert evidence.strip(), name
        assert "provisional" not in evidence.lower(), name


def _rows() -> list[dict[str, Any]]:
    return [{"name": k, "value": v, "evidence": "e"} for k, v in _VALUES.items()]


_VALUES: dict[str, Any] = {
    "join_similarity": 0.3,
    "window_hours": 24,
    "linkage": "max",
    "index_terms": 5,
    "query_terms": 10,
    "max_candidates": 0,
    "late_allowance_hours": 0,
    "age_decay_hours": 0,
    "title_weight": 2,
    "text_chars": 500,
    "max_terms": 50,
    "entity_weight": 0.5,
}


def test_values_are_read_into_settings() -> None:
    settings = parse_settings({"setting": _rows()})
    assert settings.cluster.window == timedelta(hours=24)
    assert settings.cluster.linkage == "max"
    assert settings.cluster.age_decay == timedelta(0)
    assert settings.vector.text_chars == 500


def test_unknown_missing_or_invalid_rows_fail() -> None:
    with pytest.raises(ValueError, match="missing"):
        parse_settings({"setting": _rows()[1:]})
    with pytest.raises(ValueError, match="unknown"):
        parse_settings({"setting": [*_rows(), {"name": "typo", "value": 1, "evidence": "e"}]})
    bad = [r | {"value": "average"} if r["name"] == "linkage" else r for r in _rows()]
    with pytest.raises(ValueError, match="linkage"):
        parse_settings({"setting": bad})
