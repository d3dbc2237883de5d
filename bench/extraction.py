"""Extraction quality and speed: Khabar's ``extract_article`` vs bare ``trafilatura.extract``.

Reads ``../shared/data/extraction`` (not shipped with the project; the script says so and exits
when it is missing):

* ``scrapinghub_aeb``: 181 real article pages with human-checked ``articleBody`` (MIT);
* ``newspaper4k_testdata``: a real CNN Arabic page with its expected text (MIT).

and builds the constructed Arabic page set (``bench/arabic_pages/build.py``: 48 pages, real ANT
texts in 8 realistic templates, ground truth known by construction; needs no shared data). On
that set it also reports Khabar's field accuracy: the share of pages whose attribution
(normalized name), tags (as a set), read-also and related links (sets of title + URL, glued
text included for read-also) and embeds (set of kind + URL) equal the truth exactly.

Quality is token-level precision / recall / F1 on whitespace tokens (multiset overlap), computed
per page and averaged (as the AEB README does). An extractor that returns nothing for a page
scores 0 on it. Speed is pages per second over the same HTML strings (best of ``--repeat`` runs).

    .venv/bin/python bench/extraction.py [--data ../shared/data] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import trafilatura

from khabar.extract import extract_article
from khabar.types import ExtractedArticle

Extractor = Callable[[str, str], str]
ARABIC_PAGES_BUILDER = Path(__file__).resolve().parent / "arabic_pages" / "build.py"
FIELDS = ("attribution", "tags", "read_also", "related", "embeds")


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


def trafilatura_precision_text(html: str, url: str) -> str:
    return trafilatura.extract(html, url=url, favor_precision=True) or ""


EXTRACTORS: dict[str, Extractor] = {
    "khabar": khabar_text,
    "trafilatura": trafilatura_text,
    "traf-precise": trafilatura_precision_text,
}


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


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("arabic_pages_build", ARABIC_PAGES_BUILDER)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {ARABIC_PAGES_BUILDER}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def load_arabic_set() -> tuple[list[Page], list[Any]]:
    """The constructed Arabic pages (as ``Page``s) and their full ground truth."""
    built = _builder().build_pages()
    pages = [Page(b.url, b.html, "\n\n".join(b.truth.paragraphs)) for b in built]
    return pages, [b.truth for b in built]


def _field_values(article: ExtractedArticle) -> dict[str, object]:
    attribution = article.attribution.normalized_name if article.attribution else None
    return {
        "attribution": attribution,
        "tags": set(article.tags),
        "read_also": {(link.title, link.url) for link in article.read_also},
        "glued": "\n\n".join(link.text for link in article.read_also if link.text),
        "related": {(link.title, link.url) for link in article.related},
        "embeds": {(embed.kind, embed.url) for embed in article.embeds},
    }


def _collapsed(text: str) -> str:
    """``text`` with each paragraph's whitespace collapsed (as extraction writes it)."""
    return "\n\n".join(" ".join(p.split()) for p in text.split("\n\n"))


def field_accuracy(pages: Sequence[Page], truths: Sequence[Any]) -> dict[str, float]:
    """Share of pages whose field equals the truth exactly, per field."""
    hits = Counter[str]()
    for page, truth in zip(pages, truths, strict=True):
        got = _field_values(extract_article(page.html, page.url))
        expected = {
            "attribution": truth.attribution,
            "tags": set(truth.tags),
            "read_also": set(truth.read_also),
            "glued": _collapsed(truth.glued_text),
            "related": set(truth.related),
            "embeds": set(truth.embeds),
        }
        for name in FIELDS:
            same = got[name] == expected[name]
            if name == "read_also":
                same = same and got["glued"] == expected["glued"]
            hits[name] += same
    return {name: hits[name] / len(pages) for name in FIELDS}


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
    print(f"{'extractor':<13} {'precision':>9} {'recall':>7} {'F1':>6} {'pages/s':>8}")
    rates = speeds(pages, repeat)
    for label, extractor in EXTRACTORS.items():
        score = quality(extractor, pages)
        print(
            f"{label:<13} {score.precision:>9.3f} {score.recall:>7.3f} {score.f1:>6.3f} "
            f"{rates[label]:>8.1f}"
        )
    print(f"speed ratio khabar/trafilatura: {rates['khabar'] / rates['trafilatura']:.2f}")


def report_arabic_set(repeat: int) -> None:
    pages, truths = load_arabic_set()
    report("constructed Arabic set", pages, repeat)
    accuracy = field_accuracy(pages, truths)
    print("khabar field accuracy: " + "  ".join(f"{k} {v:.3f}" for k, v in accuracy.items()))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    trafilatura_text("<html><body><p>warm up</p></body></html>", "https://example.org/")
    khabar_text("<html><body><p>warm up</p></body></html>", "https://example.org/")
    report_arabic_set(args.repeat)
    root = args.data / "extraction"
    if not root.is_dir():
        print(f"shared data not found at {root}; AEB and CNN not measured", file=sys.stderr)
        return 2
    report("newspaper4k CNN Arabic", load_arabic(root / "newspaper4k_testdata"), args.repeat * 5)
    report("scrapinghub AEB", load_aeb(root / "scrapinghub_aeb"), args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
