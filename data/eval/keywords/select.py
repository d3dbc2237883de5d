"""Choose the articles of the keyword evaluation set (issue 6), reproducibly.

The texts come from the entity evaluation set (``data/eval/entities/selection.jsonl``: 160 ANT
v2.1 articles, stratified by outlet x section, 80-600 words; see its README), so no
``../shared/data`` is needed. Among its articles of at most ``Plan.max_words`` words, every
(src, cat) cell gets ``Plan.per_cell`` articles and the remainder up to ``Plan.total`` goes one
article each to cells drawn with the same seeded generator. Writes ``selection.jsonl`` beside
this file (``docno``, ``src``, ``cat``, ``title``, ``text``, ``words``), the texts that were read.

Usage: ``.venv/bin/python data/eval/keywords/select.py``
"""

from __future__ import annotations

import json
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent / "entities" / "selection.jsonl"
OUT = HERE / "selection.jsonl"


@dataclass(frozen=True)
class Plan:
    total: int = 64
    per_cell: int = 2
    max_words: int = 350
    seed: int = 7


def choose(records: list[dict[str, Any]], plan: Plan) -> list[dict[str, Any]]:
    rng = random.Random(plan.seed)
    cells: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for record in sorted(records, key=lambda r: r["docno"]):
        if record["words"] <= plan.max_words:
            cells[(record["src"], record["cat"])].append(record)
    chosen: list[dict[str, Any]] = []
    for cell in sorted(cells):
        rng.shuffle(cells[cell])
        chosen.extend(cells[cell][: plan.per_cell])
        del cells[cell][: plan.per_cell]
    spare = sorted(cell for cell, rest in cells.items() if rest)
    for cell in rng.sample(spare, plan.total - len(chosen)):
        chosen.append(cells[cell].pop())
    return sorted(chosen, key=lambda r: (r["src"], r["cat"], r["docno"]))


def main() -> None:
    records = [json.loads(line) for line in SOURCE.read_text("utf-8").splitlines() if line]
    chosen = choose(records, Plan())
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chosen), "utf-8")
    print(f"wrote {len(chosen)} articles to {OUT}")


if __name__ == "__main__":
    main()
