"""Choose the ANT articles of the named-entity evaluation set (issue 6), reproducibly.

Reads the ANT v2.1 training split (JSON lines, gzip) and writes ``selection.jsonl`` beside this
file: one line per chosen article with ``docno``, ``src``, ``cat``, ``title``, ``text`` and
``words`` (whitespace tokens of ``text``). These are the texts the annotator read.

The choice is stratified by outlet x section: every (src, cat) cell that exists in ANT gets
``Plan.per_cell`` articles, and the remainder up to ``Plan.total`` goes one article each to cells
drawn with the same seeded generator. Only articles whose text has ``min_words``..``max_words``
words are eligible (long texts make reading unreliable), and an exact duplicate text is kept once
(the lowest docno). Everything is sorted before sampling so the output depends only on the data
and the seed.

Usage: ``.venv/bin/python data/eval/entities/select.py [--source PATH] [--out PATH]``
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = Path("/work/shared/data/ant/train.jsonl.gz")
DEFAULT_OUT = HERE / "selection.jsonl"

Cell = tuple[str, str]


@dataclass(frozen=True)
class Plan:
    """How many articles to draw, from which texts, with which seed."""

    total: int = 160
    per_cell: int = 6
    min_words: int = 80
    max_words: int = 600
    seed: int = 6


@dataclass(frozen=True)
class Candidate:
    """One eligible ANT article."""

    docno: str
    src: str
    cat: str
    title: str
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def cell(self) -> Cell:
        return (self.src, self.cat)


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def to_candidate(record: dict[str, Any]) -> Candidate:
    return Candidate(
        docno=str(record["docno"]),
        src=str(record["src"]),
        cat=str(record["cat"]),
        title=str(record["title"]).strip(),
        text=str(record["text"]).strip(),
    )


def eligible(candidates: Iterable[Candidate], plan: Plan) -> list[Candidate]:
    """Candidates within the word limits, one per distinct text, sorted by docno."""
    kept: dict[str, Candidate] = {}
    for cand in sorted(candidates, key=lambda c: c.docno):
        if plan.min_words <= cand.words <= plan.max_words and cand.text not in kept:
            kept[cand.text] = cand
    return sorted(kept.values(), key=lambda c: c.docno)


def by_cell(candidates: Iterable[Candidate]) -> dict[Cell, list[Candidate]]:
    cells: dict[Cell, list[Candidate]] = defaultdict(list)
    for cand in candidates:
        cells[cand.cell].append(cand)
    return dict(sorted(cells.items()))


def quotas(cells: list[Cell], plan: Plan, rng: random.Random) -> dict[Cell, int]:
    """``per_cell`` for every cell, plus one for a seeded draw of cells to reach ``total``."""
    base = {cell: plan.per_cell for cell in cells}
    extra = plan.total - plan.per_cell * len(cells)
    if extra < 0 or extra > len(cells):
        raise ValueError(f"total {plan.total} does not fit {len(cells)} cells x {plan.per_cell}")
    for cell in rng.sample(cells, extra):
        base[cell] += 1
    return base


def select(candidates: Iterable[Candidate], plan: Plan) -> list[Candidate]:
    rng = random.Random(plan.seed)
    cells = by_cell(eligible(candidates, plan))
    wanted = quotas(list(cells), plan, rng)
    chosen: list[Candidate] = []
    for cell, pool in cells.items():
        if len(pool) < wanted[cell]:
            raise ValueError(f"cell {cell} has {len(pool)} eligible articles, needs {wanted[cell]}")
        chosen.extend(sorted(rng.sample(pool, wanted[cell]), key=lambda c: c.docno))
    return chosen


def to_line(cand: Candidate) -> str:
    row = {
        "docno": cand.docno,
        "src": cand.src,
        "cat": cand.cat,
        "title": cand.title,
        "text": cand.text,
        "words": cand.words,
    }
    return json.dumps(row, ensure_ascii=False)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    chosen = select((to_candidate(r) for r in read_records(args.source)), Plan())
    args.out.write_text("".join(to_line(c) + "\n" for c in chosen), encoding="utf-8")
    print(f"wrote {len(chosen)} articles to {args.out}")


if __name__ == "__main__":
    main()
