"""Extraction quality and speed: Khabar's ``extract_article`` vs bare ``trafilatura.extract``.

Reads ``../shared/data/extraction`` (not shipped with the project; the script says so and exits
when it is missing):

* ``scrapinghub_aeb``: 181 real article pages with human-checked ``articleBody`` (MIT);
* ``newspaper4k_testdata``: a real CNN Arabic page with its expected text (MIT).

Quality is token-level precision / recall / F1 on whitespace tokens (multiset overlap), computed
per page and averaged (as the AEB README does). An extractor that returns nothing for a page
scores 0 on it. Speed is pages per second over the same HTML strings (best of ``--repeat`` runs).

    .venv/bin/python bench/extraction.py [--data ../shared/data] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from khabar.extract import extract_article

Extractor = Callable[[str, str], str]


@dataclass(frozen=True, slots=True)
class Page:
    url: str
    html: str
    truth: str


@dataclass(frozen=True, slots=True)
class Score:
    precision: float
    recall: float
    f1: float


def khabar_text(html: str, url: str) -> str:
    return extract_article(html, url).text


def trafilatura_text(html: str, url: str) -> str:
    return trafilatura.extract(html, url=url) or ""


EXTRACTORS: dict[str, Extractor] = {"khabar": khabar_text, "trafilatura": trafilatura_text}


def token_score(predicted: str, truth: str) -> Score:
    pred, gold = Counter(predicted.split()), Counter(truth.split())
    overlap = sum((pred & gold).values())
    if not overlap:
        return Score(0.0, 0.0, 0.0)
    precision, recall = overlap / sum(pred.values()), overlap / sum(gold.values())
    return Score(precision, recall, 2 * precision * recall / (precision + recall))


def mean_score(scores: Sequence[Score]) -> Score:
    n = len(scores)
    return Score(
        sum(s.precision for s in scores) / n,
        sum(s.recall for s in scores) / n,
        sum(s.f1 for s in scores) / n,
    )


def load_aeb(root: Path) -> list[Page]:
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key, record in sorted(truth.items()):
        raw = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes())
        pages.append(Page(record["url"], raw.decode("utf-8", "replace"), record["articleBody"]))
    return pages


def load_arabic(root: Path) -> list[Page]:
    meta = json.loads((root / "metadata" / "arabic_article.json").read_text(encoding="utf-8"))
    html = (root / "html" / "arabic_article.html").read_text(encoding="utf-8")
    truth = (root / "txt" / "arabic_article.txt").read_text(encoding="utf-8")
    return [Page(meta["url"], html, truth)]


def quality(extractor: Extractor, pages: Sequence[Page]) -> Score:
    return mean_score([token_score(extractor(p.html, p.url), p.truth) for p in pages])


def speeds(pages: Sequence[Page], repeat: int) -> dict[str, float]:
    """Pages per second of each extractor: best of ``repeat`` runs, extractors interleaved."""
    best = dict.fromkeys(EXTRACTORS, float("inf"))
    for _ in range(repeat):
        for label, extractor in EXTRACTORS.items():
            start = time.process_time()
            for page in pages:
                extractor(page.html, page.url)
            best[label] = min(best[label], time.process_time() - start)
    return {label: len(pages) / seconds for label, seconds in best.items()}


def report(name: str, pages: Sequence[Page], repeat: int) -> None:
    print(f"\n{name} ({len(pages)} pages)")
    print(f"{'extractor':<12} {'precision':>9} {'recall':>7} {'F1':>6} {'pages/s':>8}")
    rates = speeds(pages, repeat)
    for label, extractor in EXTRACTORS.items():
        score = quality(extractor, pages)
        print(
            f"{label:<12} {score.precision:>9.3f} {score.recall:>7.3f} {score.f1:>6.3f} "
            f"{rates[label]:>8.1f}"
        )
    print(f"speed ratio khabar/trafilatura: {rates['khabar'] / rates['trafilatura']:.2f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    root = args.data / "extraction"
    if not root.is_dir():
        print(f"shared data not found at {root}; nothing to measure", file=sys.stderr)
        return 2
    trafilatura_text("<html><body><p>warm up</p></body></html>", "https://example.org/")
    khabar_text("<html><body><p>warm up</p></body></html>", "https://example.org/")
    report("newspaper4k CNN Arabic", load_arabic(root / "newspaper4k_testdata"), args.repeat * 5)
    report("scrapinghub AEB", load_aeb(root / "scrapinghub_aeb"), args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
