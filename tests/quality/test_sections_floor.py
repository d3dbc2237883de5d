"""Quality gate: the shipped section model's macro-F1 on the fixed ANT held-out split.

The 2,421 held-out articles (``khabar/data/sections/heldout_docnos.txt``) were excluded from
training by docno. The floor is pinned just below the measured value (see bench/RESULTS.md,
bench/sections.py) and must never be lowered; raise it when the model improves. Needs
../shared/data (CI has it).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from khabar.analyze.section_model import SectionModel
from khabar.analyze.section_training import section_of
from khabar.analyze.sections import shipped_model_path

ROOT = Path(__file__).resolve().parents[2]
ANT = ROOT.parent / "shared" / "data" / "ant" / "train.jsonl.gz"
HELDOUT = ROOT / "src" / "khabar" / "data" / "sections" / "heldout_docnos.txt"
MACRO_F1_FLOOR = 0.908

pytestmark = pytest.mark.skipif(
    not ANT.exists(), reason=f"ANT corpus not found at {ANT} (../shared/data absent)"
)


def _macro_f1(truth: list[str], predicted: list[str]) -> float:
    scores = []
    for label in sorted(set(truth)):
        tp = sum(t == p == label for t, p in zip(truth, predicted, strict=True))
        fp = sum(p == label != t for t, p in zip(truth, predicted, strict=True))
        fn = sum(t == label != p for t, p in zip(truth, predicted, strict=True))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / len(scores)


def test_section_macro_f1_floor_on_the_heldout_split() -> None:
    heldout = set(HELDOUT.read_text("utf-8").split())
    model = SectionModel.load(shipped_model_path())
    truth, predicted = [], []
    with gzip.open(ANT, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if record["docno"] not in heldout:
                continue
            probs = model.probabilities(record["title"], record["text"])
            truth.append(section_of(record["cat"], record.get("cats") or []) or "")
            predicted.append(max(probs, key=probs.__getitem__))
    assert len(truth) == len(heldout) == 2421
    score = _macro_f1(truth, predicted)
    assert score >= MACRO_F1_FLOOR, f"section macro-F1 {score:.3f} fell below {MACRO_F1_FLOOR}"
