"""Quality gate: entity micro-F1 on the hand-labelled ANT set (data/eval/entities).

Same matching rule as bench/entities.py (typed, distinct entities per article, a prediction
matches a gold entity when any of its names/spellings equals the gold name or a variant after
``entity_key`` and one leading ال dropped; one-to-one). The floor is pinned a little under the
measured value (bench/RESULTS.md) and must never be lowered. Needs ../shared/data (the texts
are joined from the ANT corpus by docno); skipped cleanly without it.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from khabar.analyze.entities import Entity, extract_entities
from khabar.analyze.entity_text import entity_key

ROOT = Path(__file__).resolve().parents[2]
ANT = ROOT.parent / "shared" / "data" / "ant" / "train.jsonl.gz"
GOLD = ROOT / "data" / "eval" / "entities" / "ant_entities.jsonl"
MICRO_F1_FLOOR = 0.74

pytestmark = pytest.mark.skipif(
    not ANT.exists() or not GOLD.exists(),
    reason=f"ANT corpus ({ANT}) or entity gold ({GOLD}) not found (../shared/data absent)",
)


def _key(name: str) -> str:
    key = entity_key(name)
    return key[2:] if key.startswith("ال") and len(key) > 4 else key


def _predicted_keys(entity: Entity) -> set[str]:
    return {_key(n) for n in (entity.name, *entity.variants)} | {_key(entity.key)}


def test_entity_micro_f1_floor_on_the_labelled_ant_articles() -> None:
    rows = [json.loads(line) for line in GOLD.read_text("utf-8").splitlines() if line.strip()]
    wanted = {row["docno"] for row in rows}
    texts = {}
    with gzip.open(ANT, "rt", encoding="utf-8") as fh:
        for line in fh:
            if any(docno in line[:200] for docno in wanted):
                record = json.loads(line)
                if record["docno"] in wanted:
                    texts[record["docno"]] = (record["title"], record["text"])
    assert len(texts) == len(rows) == 160
    tp = predicted = gold = 0
    for row in rows:
        entities = [
            (e["type"], {_key(n) for n in (e["name"], *e.get("variants", []))})
            for e in row["entities"]
        ]
        gold += len(entities)
        free = list(range(len(entities)))
        for entity in extract_entities(*texts[row["docno"]]):
            predicted += 1
            keys = _predicted_keys(entity)
            match = next(
                (i for i in free if entities[i][0] == entity.type and keys & entities[i][1]), None
            )
            if match is not None:
                free.remove(match)
                tp += 1
    precision, recall = tp / predicted, tp / gold
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= MICRO_F1_FLOOR, f"entity micro-F1 {f1:.3f} fell below {MICRO_F1_FLOOR}"
