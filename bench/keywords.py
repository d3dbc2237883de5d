"""Keyword quality on the hand-annotated ANT set: Khabar's extractor beside a plain baseline.

Gold: ``data/eval/keywords/ant_keywords.jsonl`` (64 articles, 5-10 phrases each, written by
reading; texts in ``selection.jsonl`` beside it, see its README). Needs no ``../shared/data``.

Matching is stem-normalized: a phrase's key is the tuple of its search-analyzer terms
(``khabar.search.analyzer.analyze``), so ``الاقتصاد المصري`` = ``والاقتصاد المصري``.

- **exact**: a predicted key equals a gold key;
- **partial**: one key is a contiguous part of the other (``بوفون`` for ``جانلويجي بوفون``,
  ``الطاقة الشمسية`` for ``خطة الطاقة الشمسية``).

Each gold phrase is matched at most once (greedy, in prediction order). Precision@k = matched
predictions / predictions among the first k; recall@k = matched gold / gold; both averaged over
articles (macro). Systems:

- **Khabar**: :func:`khabar.analyze.keywords.extract_keywords` (1-3 word phrases);
- **baseline**: raw TF-IDF unigrams — whitespace words of the search-normalized title + text,
  no stopwords, at least 3 letters; score (1 + ln tf) x IDF of the word's stem from the same
  shipped document-frequency table; title words are not weighted.

Usage: ``.venv/bin/python bench/keywords.py [--show N]``
"""

from __future__ import annotations

import argparse
import json
import math
import platform
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from khabar.analyze.keywords import extract_keywords, shipped_frequencies
from khabar.arabic.normalize import normalize
from khabar.arabic.stopwords import is_stopword
from khabar.search.analyzer import analyze

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "eval" / "keywords"
KS = (5, 10)

Key = tuple[str, ...]
System = Callable[[str, str, int], list[str]]


def load() -> list[tuple[dict[str, str], list[str]]]:
    texts = {
        r["docno"]: r
        for r in map(json.loads, (DATA / "selection.jsonl").read_text("utf-8").splitlines())
    }
    gold = map(json.loads, (DATA / "ant_keywords.jsonl").read_text("utf-8").splitlines())
    return [(texts[g["docno"]], g["keywords"]) for g in gold]


def key(phrase: str) -> Key:
    return tuple(analyze(phrase))


def _contains(big: Key, small: Key) -> bool:
    n = len(small)
    return n > 0 and any(big[i : i + n] == small for i in range(len(big) - n + 1))


def matches(a: Key, b: Key, partial: bool) -> bool:
    if a == b:
        return bool(a)
    return partial and (_contains(a, b) or _contains(b, a))


def score(predicted: Sequence[str], gold: Sequence[str], partial: bool) -> tuple[float, float]:
    """(precision, recall) of ``predicted`` against ``gold``."""
    free = [key(g) for g in gold]
    hit = 0
    for phrase in predicted:
        k = key(phrase)
        found = next((i for i, g in enumerate(free) if g and matches(k, g, partial)), None)
        if found is not None:
            free[found] = ()
            hit += 1
    precision = hit / len(predicted) if predicted else 0.0
    return precision, hit / len(gold)


def khabar(title: str, text: str, k: int) -> list[str]:
    return [kw.phrase for kw in extract_keywords(title, text, k)]


def baseline(title: str, text: str, k: int) -> list[str]:
    frequencies = shipped_frequencies()
    words = normalize(title + "\n" + text, "search").split()
    counts = Counter(
        w for w in words if len(w) >= 3 and w.isalpha() and not is_stopword(normalize(w, "stem"))
    )
    scored = []
    for word, tf in counts.items():
        stems = analyze(word)
        if stems:
            scored.append(((1 + math.log(tf)) * frequencies.idf(stems[0]), word))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [w for _, w in scored[:k]]


SYSTEMS: dict[str, System] = {"Khabar": khabar, "baseline (TF-IDF unigrams)": baseline}


def evaluate(data: list[tuple[dict[str, str], list[str]]], system: System) -> dict[str, float]:
    out: dict[str, float] = {}
    for k in KS:
        for partial in (False, True):
            rows = [score(system(a["title"], a["text"], k), gold, partial) for a, gold in data]
            tag = f"{'partial' if partial else 'exact'}@{k}"
            out[f"P {tag}"] = sum(p for p, _ in rows) / len(rows)
            out[f"R {tag}"] = sum(r for _, r in rows) / len(rows)
    return out


def markdown(results: dict[str, dict[str, float]], articles: int, gold: int) -> str:
    columns = [f"{m} {kind}@{k}" for k in KS for kind in ("exact", "partial") for m in "PR"]
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"### Keywords — {now} — {platform.system()} {platform.machine()}, Python "
        f"{platform.python_version()} (`bench/keywords.py`)",
        "",
        f"{articles} hand-annotated ANT articles, {gold} gold phrases (data/eval/keywords); "
        "stem-normalized match, macro over articles.",
        "",
        "| system | " + " | ".join(columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for name, values in results.items():
        lines.append(f"| {name} | " + " | ".join(f"{values[c]:.3f}" for c in columns) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=0, help="print N articles' outputs")
    args = parser.parse_args()
    data = load()
    for article, gold in data[: args.show]:
        print(article["docno"], "| gold:", " · ".join(gold))
        for name, system in SYSTEMS.items():
            print(f"  {name}:", " · ".join(system(article["title"], article["text"], 10)))
    results = {name: evaluate(data, system) for name, system in SYSTEMS.items()}
    print(markdown(results, len(data), sum(len(g) for _, g in data)))


if __name__ == "__main__":
    main()
