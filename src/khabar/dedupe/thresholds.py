"""The dedupe thresholds table (``data/dedupe/thresholds.toml``): value + evidence per row."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any, Final, cast

from khabar.dedupe.fingerprint import ShingleKind

__all__ = ["Thresholds", "load_thresholds"]

_NAMES: Final = frozenset({"near_duplicate_jaccard", "min_shingles", "lsh_bands"})
_SHINGLE_KINDS: Final = frozenset({"words3", "words4", "folded3", "chars5"})


@dataclass(frozen=True, slots=True)
class Thresholds:
    near_duplicate_jaccard: float
    """Estimated Jaccard of two texts' shingles at or above which one republishes the other."""
    min_shingles: int
    """Texts with fewer shingles are too short to judge by content (URL matches still count)."""
    lsh_bands: int
    """LSH bands of the MinHash signature (candidates only; the decision uses the Jaccard)."""
    shingles: ShingleKind = "folded3"
    num_perm: int = 128
    evidence: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


def _parse(data: dict[str, Any]) -> Thresholds:
    rows = {row["name"]: row for row in data.get("threshold", [])}
    unknown, missing = rows.keys() - _NAMES, _NAMES - rows.keys()
    if unknown or missing:
        raise ValueError(f"thresholds table: unknown {sorted(unknown)}, missing {sorted(missing)}")
    fingerprint = data["fingerprint"]
    if fingerprint["shingles"] not in _SHINGLE_KINDS:
        raise ValueError(f"thresholds table: unknown shingles {fingerprint['shingles']!r}")
    evidence = {name: str(row["evidence"]) for name, row in rows.items()}
    evidence["shingles"] = str(fingerprint["shingles_evidence"])
    evidence["num_perm"] = str(fingerprint["num_perm_evidence"])
    return Thresholds(
        near_duplicate_jaccard=float(rows["near_duplicate_jaccard"]["value"]),
        min_shingles=int(rows["min_shingles"]["value"]),
        lsh_bands=int(rows["lsh_bands"]["value"]),
        shingles=cast(ShingleKind, fingerprint["shingles"]),
        num_perm=int(fingerprint["num_perm"]),
        evidence=MappingProxyType(evidence),
    )


@cache
def load_thresholds() -> Thresholds:
    """The shipped table, read once per process."""
    text = files("khabar.data").joinpath("dedupe/thresholds.toml").read_text(encoding="utf-8")
    return _parse(tomllib.loads(text))
