"""Extraction quality and speed, all systems side by side in one run.

Systems: Khabar's ``extract_article``; bare ``trafilatura.extract`` (defaults, and
``favor_precision=True``); readability-lxml 0.9 (``Document(html).summary()`` turned into text).

Reads ``../shared/data/extraction`` (not shipped with the project; the script says so and skips
those sets when it is missing):

* ``scrapinghub_aeb``: 181 real article pages with human-checked ``articleBody`` (MIT). Scored
  exactly as that benchmark's ``evaluate.py`` does: 4-gram shingles of ``\\w+`` tokens, per-page
  TP/FP/FN normalized to sum 1, precision and recall averaged over pages (precision only over
  pages with a prediction), F1 = harmonic mean of the two averages.
* ``trafilatura_eval``: trafilatura's 990-page evaluation set; scored as its ``eval_common.py``
  does (whitespace-normalized substring test): share of "with" snippets found, share of
  "without" snippets absent, precision, recall and F1 over all snippets.
* ``readability_test_pages`` (Mozilla) and ``newspaper4k_testdata`` (incl. the CNN Arabic page):
  title / author / date accuracy against their expected metadata, and the CNN Arabic page's body.

and builds the constructed Arabic page set (``bench/arabic_pages/build.py``: 48 pages, real ANT
texts in 8 realistic templates, ground truth known by construction; needs no shared data). On
that set it also reports Khabar's field accuracy: the share of pages whose attribution
(normalized name), tags (as a set), read-also and related links (sets of title + URL, glued
text included for read-also) and embeds (set of kind + URL) equal the truth exactly.

Speed is pages per second of CPU time over the same decoded HTML strings, systems interleaved,
best of ``--repeat`` runs.

    .venv/bin/python bench/extraction.py [--data ../shared/data] [--repeat 3] [--worst 20]
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import lxml.html
import trafilatura
from readability import Document as ReadabilityDocument

from khabar.extract import extract_article
from khabar.fetch.charset import decode_body
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


@dataclass(frozen=True, slots=True)
class SnippetPage:
    """A trafilatura eval page: snippets that must and must not be in the text."""

    url: str
    html: str
    with_: tuple[str, ...]
    without: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MetaPage:
    """A page with expected title, authors (any one may match) and date (``YYYY-MM-DD`` …)."""

    url: str
    html: str
    title: str | None
    authors: tuple[str, ...]
    date: str | None


@dataclass(frozen=True, slots=True)
class Meta:
    title: str | None
    author: str | None
    dates: tuple[str, ...]  # the ISO dates the system's answer may be read as


# --- systems -------------------------------------------------------------------------------


def khabar_text(html: str, url: str) -> str:
    return extract_article(html, url).text


def khabar_with_posts_text(html: str, url: str) -> str:
    """Khabar's text followed by the text of the posts it keeps in ``embeds`` (tweets …).

    AEB's ground truth counts embedded posts as article body; Khabar keeps them out of
    ``text`` on purpose (issue 4). This row shows what that choice costs, not a goal row.
    """
    article = extract_article(html, url)
    return "\n\n".join([article.text, *(embed.text for embed in article.embeds if embed.text)])


def trafilatura_text(html: str, url: str) -> str:
    return trafilatura.extract(html, url=url) or ""


def trafilatura_precision_text(html: str, url: str) -> str:
    return trafilatura.extract(html, url=url, favor_precision=True) or ""


def readability_text(html: str, url: str) -> str:
    summary = ReadabilityDocument(html, url=url).summary(html_partial=True)
    if not summary.strip():
        return ""
    return " ".join(" ".join(lxml.html.fromstring(summary).itertext()).split())


EXTRACTORS: dict[str, Extractor] = {
    "khabar": khabar_text,
    "trafilatura": trafilatura_text,
    "traf-precise": trafilatura_precision_text,
    "readability": readability_text,
}


def khabar_meta(html: str, url: str) -> Meta:
    article = extract_article(html, url)
    published = article.published
    return Meta(article.title, article.author, (published.date().isoformat(),) if published else ())


def trafilatura_meta(html: str, url: str) -> Meta:
    found = trafilatura.extract_metadata(html, default_url=url)
    if found is None:
        return Meta(None, None, ())
    return Meta(found.title, found.author, (found.date,) if found.date else ())


def readability_meta(html: str, url: str) -> Meta:
    return Meta(ReadabilityDocument(html, url=url).short_title() or None, None, ())


META_SYSTEMS: dict[str, Callable[[str, str], Meta]] = {
    "khabar": khabar_meta,
    "trafilatura": trafilatura_meta,
    "readability": readability_meta,
}

# --- AEB metric (evaluate.py of scrapinghub/article-extraction-benchmark) -----------------

_TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)
TpFpFn = tuple[float, float, float]


def _shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN_RE.findall(text or "")
    return Counter(
        shingle for i in range(max(1, len(tokens) - n + 1)) if (shingle := tuple(tokens[i : i + n]))
    )


def shingle_matching(truth: str, predicted: str) -> TpFpFn:
    gold, pred = _shingles(truth), _shingles(predicted)
    tp = float(sum((gold & pred).values()))
    fp = float(sum((pred - gold).values()))
    fn = float(sum((gold - pred).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (tp, fp, fn)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def aeb_score(counts: Sequence[TpFpFn]) -> Score:
    precision = statistics.mean(_precision(*c) for c in counts if c[0] + c[1] > 0)
    recall = statistics.mean(_recall(*c) for c in counts if c[0] + c[2] > 0)
    return Score(precision, recall, 2 * precision * recall / (precision + recall))


def page_f1(truth: str, predicted: str) -> float:
    tp, fp, fn = shingle_matching(truth, predicted)
    precision, recall = _precision(tp, fp, fn), _recall(tp, fp, fn)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score_texts(pages: Sequence[Page], texts: Sequence[str]) -> Score:
    return aeb_score([shingle_matching(p.truth, t) for p, t in zip(pages, texts, strict=True)])


def quality(extractor: Extractor, pages: Sequence[Page]) -> Score:
    return score_texts(pages, [extractor(p.html, p.url) for p in pages])


# --- trafilatura eval metric (tests/eval_common.py of adbar/trafilatura) -------------------


def _norm(text: str) -> str:
    return " ".join(text.split())


def snippet_counts(page: SnippetPage, text: str) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn) of one page, as trafilatura's ``count_item``."""
    found = _norm(text)
    tp = sum(_norm(s) in found for s in page.with_)
    fp = sum(_norm(s) in found for s in page.without)
    return tp, fp, len(page.with_) - tp, len(page.without) - fp


def snippet_score(pages: Sequence[SnippetPage], texts: Sequence[str]) -> dict[str, float]:
    tp = fp = fn = tn = 0
    for page, text in zip(pages, texts, strict=True):
        a, b, c, d = snippet_counts(page, text)
        tp, fp, fn, tn = tp + a, fp + b, fn + c, tn + d
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return {
        "with_found": recall,
        "without_absent": tn / (tn + fp),
        "precision": precision,
        "f1": 2 * tp / (2 * tp + fp + fn),
    }


# --- loaders -------------------------------------------------------------------------------


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


def load_trafilatura_eval(root: Path) -> list[SnippetPage]:
    """The 990 pages, decoded once by Khabar's own charset rules (every system gets that text)."""
    evaldata = json.loads((root / "evaldata.json").read_text(encoding="utf-8"))
    pages = []
    for url, item in evaldata.items():
        for folder in ("cache", "eval"):
            path = root / folder / (item["file"] + ".gz")
            if path.is_file():
                html, _codec = decode_body(gzip.decompress(path.read_bytes()), None)
                pages.append(SnippetPage(url, html, tuple(item["with"]), tuple(item["without"])))
                break
    return pages


def load_readability_meta(root: Path) -> list[MetaPage]:
    pages = []
    for folder in sorted(p for p in root.iterdir() if (p / "expected-metadata.json").is_file()):
        meta = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        html = (folder / "source.html").read_text(encoding="utf-8", errors="replace")
        byline = meta.get("byline")
        pages.append(
            MetaPage(
                f"http://fakehost/{folder.name}/",
                html,
                meta.get("title") or None,
                (byline,) if byline and byline.strip() else (),
                meta.get("publishedTime") or None,
            )
        )
    return pages


def load_newspaper_meta(root: Path) -> list[MetaPage]:
    pages = []
    for path in sorted((root / "metadata").glob("*.json")):
        html_path = root / "html" / f"{path.stem}.html"
        if not html_path.is_file():
            continue
        meta = json.loads(path.read_text(encoding="utf-8"))
        pages.append(
            MetaPage(
                meta.get("url") or f"http://fakehost/{path.stem}.html",
                html_path.read_text(encoding="utf-8", errors="replace"),
                meta.get("title") or None,
                tuple(a for a in meta.get("authors") or () if a.strip()),
                meta.get("publish_date") or None,
            )
        )
    return pages


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


# --- field and metadata accuracy ----------------------------------------------------------


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


_TITLE_SEPARATORS = "|-–—:·»/_["


def title_matches(expected: str, got: str | None) -> bool:
    """Same title (case and spacing aside), or one is the other plus a "| Site" style suffix."""
    if not got:
        return False
    a, b = _norm(expected).casefold(), _norm(got).casefold()
    short, long_ = sorted((a, b), key=len)
    if short == long_:
        return True
    rest = long_.removeprefix(short).strip() if long_.startswith(short) else ""
    return bool(rest) and rest[0] in _TITLE_SEPARATORS


def author_matches(expected: Sequence[str], got: str | None) -> bool:
    """Any expected name inside the answer, or the answer inside the expected byline."""
    if not got:
        return False
    answer = _norm(got).casefold()
    names = [_norm(name).casefold() for name in expected]
    return any(name in answer or answer in name for name in names)


def _expected_dates(value: str) -> set[str]:
    """The expected date as written, and its UTC date when it carries an offset."""
    dates = {value[:10]}
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return dates
    if parsed.tzinfo is not None:
        dates.add(parsed.astimezone(UTC).date().isoformat())
    return dates


def meta_accuracy(pages: Sequence[MetaPage], system: Callable[[str, str], Meta]) -> dict[str, str]:
    """``hits/n`` per field, over the pages where the expected value is known."""
    hits, totals = Counter[str](), Counter[str]()
    for page in pages:
        got = system(page.html, page.url)
        if page.title:
            totals["title"] += 1
            hits["title"] += title_matches(page.title, got.title)
        if page.authors:
            totals["author"] += 1
            hits["author"] += author_matches(page.authors, got.author)
        if page.date:
            totals["date"] += 1
            hits["date"] += bool(_expected_dates(page.date) & set(got.dates))
    return {k: f"{hits[k] / totals[k]:.3f} ({hits[k]}/{totals[k]})" for k in totals}


# --- runs and reports ---------------------------------------------------------------------


def run_all(
    pages: Sequence[Page | SnippetPage], repeat: int
) -> tuple[dict[str, list[str]], dict[str, float]]:
    """Each system's text per page, and its pages/s (CPU time, best of ``repeat``, interleaved)."""
    texts: dict[str, list[str]] = {}
    best = dict.fromkeys(EXTRACTORS, float("inf"))
    for _ in range(repeat):
        for label, extractor in EXTRACTORS.items():
            start = time.process_time()
            out = [extractor(page.html, page.url) for page in pages]
            best[label] = min(best[label], time.process_time() - start)
            texts.setdefault(label, out)
    return texts, {label: len(pages) / seconds for label, seconds in best.items()}


def _ratio(rates: dict[str, float]) -> str:
    return f"speed ratio khabar/trafilatura: {rates['khabar'] / rates['trafilatura']:.2f}"


def report(
    name: str,
    pages: Sequence[Page],
    repeat: int,
    worst: int = 0,
    extra: dict[str, Extractor] | None = None,
) -> None:
    """Quality and speed of every system; ``extra`` systems are scored but not timed."""
    extra = extra or {}
    print(f"\n{name} ({len(pages)} pages)")
    print(f"{'system':<13} {'precision':>9} {'recall':>7} {'F1':>6} {'pages/s':>8}")
    texts, rates = run_all(pages, repeat)
    for label in EXTRACTORS:
        score = score_texts(pages, texts[label])
        print(
            f"{label:<13} {score.precision:>9.3f} {score.recall:>7.3f} {score.f1:>6.3f} "
            f"{rates[label]:>8.1f}"
        )
    for label, extractor in extra.items():
        score = quality(extractor, pages)
        print(f"{label:<13} {score.precision:>9.3f} {score.recall:>7.3f} {score.f1:>6.3f}")
    print(_ratio(rates))
    if worst:
        print_worst(pages, texts, worst)


def print_worst(pages: Sequence[Page], texts: dict[str, list[str]], count: int) -> None:
    rows = []
    for i, page in enumerate(pages):
        scores = {label: page_f1(page.truth, texts[label][i]) for label in texts}
        rows.append((scores["khabar"], page.url, scores))
    print(f"worst {count} pages for khabar (page F1 per system):")
    for f1, url, scores in sorted(rows)[:count]:
        others = " ".join(f"{k}={v:.2f}" for k, v in scores.items() if k != "khabar")
        print(f"  {f1:.2f}  {others}  {url}")


def report_snippets(pages: Sequence[SnippetPage], repeat: int) -> None:
    print(f"\ntrafilatura eval set ({len(pages)} pages)")
    print(
        f"{'system':<13} {'with found':>10} {'without absent':>14} {'precision':>9} {'F1':>6} "
        f"{'pages/s':>8}"
    )
    texts, rates = run_all(pages, repeat)
    for label in EXTRACTORS:
        s = snippet_score(pages, texts[label])
        print(
            f"{label:<13} {s['with_found']:>10.3f} {s['without_absent']:>14.3f} "
            f"{s['precision']:>9.3f} {s['f1']:>6.3f} {rates[label]:>8.1f}"
        )
    print(_ratio(rates))


def report_meta(name: str, pages: Sequence[MetaPage]) -> None:
    print(f"\n{name} metadata ({len(pages)} pages; readability-lxml reads titles only)")
    for label, system in META_SYSTEMS.items():
        accuracy = meta_accuracy(pages, system)
        print(f"{label:<13} " + "  ".join(f"{k} {v}" for k, v in accuracy.items()))


def report_arabic_set(repeat: int) -> None:
    pages, truths = load_arabic_set()
    report("constructed Arabic set", pages, repeat)
    accuracy = field_accuracy(pages, truths)
    print("khabar field accuracy: " + "  ".join(f"{k} {v:.3f}" for k, v in accuracy.items()))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--worst", type=int, default=0, help="list the N worst AEB pages")
    parser.add_argument("--only", choices=("arabic", "aeb", "eval", "meta"), default=None)
    args = parser.parse_args(argv)
    for extractor in EXTRACTORS.values():  # warm up imports and caches
        extractor("<html><body><p>warm up</p></body></html>", "https://example.org/")
    if args.only in (None, "arabic"):
        report_arabic_set(args.repeat)
    root = args.data / "extraction"
    if not root.is_dir():
        print(f"shared data not found at {root}; only the Arabic set measured", file=sys.stderr)
        return 2
    if args.only in (None, "aeb"):
        aeb = load_aeb(root / "scrapinghub_aeb")
        posts = {"khabar+posts": khabar_with_posts_text}
        report("scrapinghub AEB", aeb, args.repeat, args.worst, posts)
    if args.only in (None, "eval"):
        report_snippets(load_trafilatura_eval(root / "trafilatura_eval"), args.repeat)
    if args.only in (None, "meta"):
        news = root / "newspaper4k_testdata"
        report("newspaper4k CNN Arabic body", load_arabic(news), args.repeat * 5)
        report_meta(
            "Mozilla readability test pages", load_readability_meta(root / "readability_test_pages")
        )
        report_meta("newspaper4k test pages", load_newspaper_meta(news))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
