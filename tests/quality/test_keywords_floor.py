"""Quality gate: keyword precision/recall on the hand-annotated ANT set (data/eval/keywords).

Same rule as bench/keywords.py: a phrase's key is its search-analyzer terms; "exact" means
equal keys, "partial" that one key is a contiguous part of the other; each gold phrase is
matched once; precision and recall are averaged over the 64 articles. The texts ship with
the gold (``selection.jsonl``), so the test needs no ../shared/data. The floors are pinned a
little under the measured values (bench/RESULTS.md) and must never be lowered.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from khabar.analyze.keywords import extract_keywords
from khabar.search.analyzer import analyze

DATA = Path(__file__).resolve().parents[2] / "data" / "eval" / "keywords"
EXACT_PRECISION_AT_5_FLOOR = 0.40
EXACT_RECALL_AT_10_FLOOR = 0.32
PARTIAL_RECALL_AT_10_FLOOR = 0.58

Key = tuple[str, ...]


def _contains(big: Key, small: Key) -> bool:
    n = len(small)
    return any(big[i : i + n] == small for i in range(len(big) - n + 1))


def _hits(predicted: Sequence[str], gold: Sequence[str], partial: bool) -> int:
    free = [tuple(analyze(g)) for g in gold]
    hits = 0
    for phrase in predicted:
        key = tuple(analyze(phrase))
        for i, g in enumerate(free):
            if g and (key == g or (partial and (_contains(key, g) or _contains(g, key)))):
                free[i] = ()
                hits += 1
                break
    return hits


def _articles() -> list[tuple[str, str, list[str]]]:
    lines = (DATA / "selection.jsonl").read_text("utf-8").splitlines()
    texts = {r["docno"]: r for r in map(json.loads, lines)}
    gold = map(json.loads, (DATA / "ant_keywords.jsonl").read_text("utf-8").splitlines())
    return [(texts[g["docno"]]["title"], texts[g["docno"]]["text"], g["keywords"]) for g in gold]


def test_keyword_floors_on_the_annotated_ant_articles() -> None:
    articles = _articles()
    assert len(articles) >= 60
    p5, r10, r10_partial = [], [], []
    for title, text, gold in articles:
        top5 = [k.phrase for k in extract_keywords(title, text, 5)]
        top10 = [k.phrase for k in extract_keywords(title, text, 10)]
        p5.append(_hits(top5, gold, False) / max(1, len(top5)))
        r10.append(_hits(top10, gold, False) / len(gold))
        r10_partial.append(_hits(top10, gold, True) / len(gold))
    scores = {
        "exact P@5": (sum(p5) / len(p5), EXACT_PRECISION_AT_5_FLOOR),
        "exact R@10": (sum(r10) / len(r10), EXACT_RECALL_AT_10_FLOOR),
        "partial R@10": (sum(r10_partial) / len(r10_partial), PARTIAL_RECALL_AT_10_FLOOR),
    }
    low = {name: round(v, 3) for name, (v, floor) in scores.items() if v < floor}
    assert not low, f"keyword quality fell below its floor: {low}"
