"""The thresholds table loads, and every row carries its evidence."""

from __future__ import annotations

import pytest

from khabar.dedupe.thresholds import _parse, load_thresholds


def test_table_loads_with_evidence() -> None:
    table = load_thresholds()
    assert 0 < table.near_duplicate_jaccard < 1
    assert table.min_shingles > 0
    assert table.num_perm % table.lsh_bands == 0
    for name in ("near_duplicate_jaccard", "min_shingles", "lsh_bands", "shingles", "num_perm"):
        assert table.evidence[name].strip()
        assert "PENDING" not in table.evidence[name]


def test_unknown_or_missing_rows_fail() -> None:
    fingerprint = {
        "shingles": "words3",
        "shingles_evidence": "e",
        "num_perm": 128,
        "num_perm_evidence": "e",
    }
    with pytest.raises(ValueError, match="missing"):
        _parse({"fingerprint": fingerprint, "threshold": []})
    rows = [{"name": "typo", "value": 1, "evidence": "e"}]
    with pytest.raises(ValueError, match="unknown"):
        _parse({"fingerprint": fingerprint, "threshold": rows})
