"""data/eval/entities: the hand-labelled ANT named-entity set is well formed (issue 6).

Structure checks only; nothing here needs /work/shared/data. The texts the annotator read are
shipped beside the labels (selection.jsonl, ANT v2.1, Apache-2.0), so the checks that every
labelled name really occurs in its article run on a fresh clone too.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = ROOT / "data" / "eval" / "entities"
TYPES = {"person", "organization", "place"}
OUTLETS = {"BBC", "CNN", "alarabia", "france24", "skynews"}
SECTIONS = {"culture", "economy", "internationalNews", "middleEast", "sport", "technology"}
DOCNO_PREFIX = {"BBC": "BB", "CNN": "CN", "alarabia": "AL", "france24": "FR", "skynews": "SK"}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def gold() -> list[dict[str, Any]]:
    return read_jsonl(HERE / "ant_entities.jsonl")


@pytest.fixture(scope="module")
def texts() -> dict[str, dict[str, Any]]:
    return {row["docno"]: row for row in read_jsonl(HERE / "selection.jsonl")}


@pytest.fixture(scope="module")
def build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("entities_build", HERE / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their annotations through sys.modules
    spec.loader.exec_module(module)
    return module


def names_of(row: dict[str, Any]) -> list[str]:
    return [n for e in row["entities"] for n in (e["name"], *e["variants"])]


def test_at_least_150_distinct_articles(gold: list[dict[str, Any]]) -> None:
    docnos = [row["docno"] for row in gold]
    assert len(docnos) >= 150
    assert len(set(docnos)) == len(docnos)


def test_every_outlet_and_section_is_represented(gold: list[dict[str, Any]]) -> None:
    assert {row["src"] for row in gold} == OUTLETS
    assert {row["cat"] for row in gold} == SECTIONS
    cells = Counter((row["src"], row["cat"]) for row in gold)
    assert min(cells.values()) >= 5  # stratified: about 6 per existing outlet x section cell


def test_outlet_and_section_agree_with_the_docno(gold: list[dict[str, Any]]) -> None:
    for row in gold:
        prefix, cat = row["docno"].split("-")[:2]
        assert (prefix, cat) == (DOCNO_PREFIX[row["src"]], row["cat"]), row["docno"]


def test_entities_have_a_valid_type_and_non_empty_names(gold: list[dict[str, Any]]) -> None:
    for row in gold:
        assert row["title"].strip(), row["docno"]
        assert row["entities"], row["docno"]
        for ent in row["entities"]:
            assert set(ent) == {"type", "name", "variants"}
            assert ent["type"] in TYPES
            assert all(isinstance(n, str) and n.strip() == n and n for n in names_of(row))


def test_no_name_is_listed_twice_within_an_article(gold: list[dict[str, Any]]) -> None:
    for row in gold:
        repeated = [n for n, k in Counter(names_of(row)).items() if k > 1]
        assert not repeated, (row["docno"], repeated)


def test_all_three_types_are_well_populated(gold: list[dict[str, Any]]) -> None:
    counts = Counter(e["type"] for row in gold for e in row["entities"])
    assert set(counts) == TYPES
    assert min(counts.values()) >= 300


def test_gold_matches_the_texts_that_were_read(
    gold: list[dict[str, Any]], texts: dict[str, dict[str, Any]]
) -> None:
    assert set(texts) == {row["docno"] for row in gold}
    for row in gold:
        read = texts[row["docno"]]
        assert (read["src"], read["cat"], read["title"]) == (row["src"], row["cat"], row["title"])
        assert 80 <= read["words"] <= 600


def test_every_name_and_variant_occurs_in_its_article(
    gold: list[dict[str, Any]], texts: dict[str, dict[str, Any]], build: ModuleType
) -> None:
    for row in gold:
        read = texts[row["docno"]]
        haystack = build.normalize(read["title"] + "\n" + read["text"])
        missing = [n for n in names_of(row) if not build.occurs(n, haystack)]
        assert not missing, (row["docno"], missing)


def test_clitic_lam_before_the_article_is_matched(build: ModuleType) -> None:
    assert build.occurs("البوليساريو", build.normalize("دعم الحزب للبوليساريو بالسلاح"))
    assert build.occurs("اللجنة الدولية", build.normalize("بيان للجنة الدولية للصليب"))
    assert not build.occurs("البوليساريو", build.normalize("دعم الحزب بالسلاح"))


def test_the_jsonl_is_the_serialization_of_annotations_txt(
    gold: list[dict[str, Any]], build: ModuleType
) -> None:
    lines = (HERE / "annotations.txt").read_text(encoding="utf-8").splitlines()
    blocks = list(build.parse_blocks(lines))
    assert [docno for docno, _ in blocks] == [row["docno"] for row in gold]
    for (_, entities), row in zip(blocks, gold, strict=True):
        parsed = [{"type": e.type, "name": e.name, "variants": list(e.variants)} for e in entities]
        assert parsed == row["entities"], row["docno"]
