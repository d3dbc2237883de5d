"""The story thresholds table (``data/stories/thresholds.toml``): value + evidence per row."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from importlib.resources import files
from types import MappingProxyType
from typing import Any, Final, cast, get_args

from khabar.stories.cluster import ClusterSettings, Linkage
from khabar.stories.vectors import Vectorizer, VectorSettings, load_document_frequencies

__all__ = ["StorySettings", "load_settings", "load_vectorizer", "parse_settings"]

_VECTOR: Final = {"title_weight": int, "text_chars": int, "max_terms": int, "entity_weight": float}
_CLUSTER: Final = {
    "join_similarity": float,
    "window_hours": float,
    "linkage": str,
    "index_terms": int,
    "query_terms": int,
    "max_candidates": int,
    "late_allowance_hours": float,
    "age_decay_hours": float,
}


@dataclass(frozen=True, slots=True)
class StorySettings:
    vector: VectorSettings
    cluster: ClusterSettings
    evidence: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


def parse_settings(data: Mapping[str, Any]) -> StorySettings:
    """Settings from the parsed table; every known row must be there, no unknown ones."""
    rows = {row["name"]: row for row in data.get("setting", [])}
    known = _VECTOR.keys() | _CLUSTER.keys()
    unknown, missing = rows.keys() - known, known - rows.keys()
    if unknown or missing:
        raise ValueError(f"stories table: unknown {sorted(unknown)}, missing {sorted(missing)}")
    values = {name: kind(rows[name]["value"]) for name, kind in (_VECTOR | _CLUSTER).items()}
    if values["linkage"] not in get_args(Linkage):
        raise ValueError(f"stories table: unknown linkage {values['linkage']!r}")
    cluster = ClusterSettings(
        join_similarity=values["join_similarity"],
        window=timedelta(hours=values["window_hours"]),
        linkage=cast(Linkage, values["linkage"]),
        index_terms=values["index_terms"],
        query_terms=values["query_terms"],
        max_candidates=values["max_candidates"],
        late_allowance=timedelta(hours=values["late_allowance_hours"]),
        age_decay=timedelta(hours=values["age_decay_hours"]),
    )
    vector = VectorSettings(**{name: values[name] for name in _VECTOR})
    evidence = {name: str(row["evidence"]) for name, row in rows.items()}
    return StorySettings(vector, cluster, MappingProxyType(evidence))


@cache
def load_settings() -> StorySettings:
    """The shipped table, read once per process."""
    text = files("khabar.data").joinpath("stories/thresholds.toml").read_text(encoding="utf-8")
    return parse_settings(tomllib.loads(text))


@cache
def load_vectorizer() -> Vectorizer:
    """A vectorizer with the shipped document frequencies and vector settings."""
    return Vectorizer(load_document_frequencies(), load_settings().vector)
