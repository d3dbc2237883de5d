"""Dedupe levels 1-2 on SaudiNewsNet: republication precision/recall and original-source accuracy.

Reads ../shared/data/dedup/ (groups derived by rule from SaudiNewsNet) and the articles they point
into, ../shared/data/saudinewsnet/*.zip (CC BY-NC-SA: read from there, never copied here).

Pairs:
- positives: title-group pairs whose content char-5-gram Jaccard is >= 0.8, plus every pair
  of an exact-content group;
- negatives: >= 20,000 random same-day pairs from different outlets, plus title-group pairs
  with Jaccard < 0.3 (same headline, different story).
A pair is predicted positive when ``decide(a, [b])`` is not "new" (the full decision: URL,
content hash, MinHash Jaccard and the thresholds table).

Original source: every article whose byline or first line names واس ("الرياض - واس",
"واس - جدة", "(واس)") is run through a stream (date order, ``NearDuplicateIndex`` + ``decide``)
and must get وكالة الأنباء السعودية as its original (or be واس's own copy).

Usage: .venv/bin/python bench/dedupe.py [--kinds words3,words4,chars5] [--negatives 20000]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import re
import sys
import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from khabar.dedupe.decide import Candidate, Known, decide
from khabar.dedupe.fingerprint import (
    Fingerprint,
    MinHasher,
    ShingleKind,
    estimate_jaccard,
    fingerprint,
    shingles,
)
from khabar.dedupe.index import NearDuplicateIndex
from khabar.dedupe.original import credited_in_text, outlet_name
from khabar.dedupe.thresholds import Thresholds, load_thresholds
from khabar.dedupe.urls import canonical_url

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
GROUPS = DATA / "dedup"
ZIPS = DATA / "saudinewsnet"
SEED = 5
SPA = outlet_name("واس")
# SaudiNewsNet's outlet ids → the outlet's name as a reader sees it.
OUTLETS = {
    "aawsat": "الشرق الأوسط",
    "aleqtisadiya": "الاقتصادية",
    "aljazirah": "الجزيرة",
    "almadina": "المدينة",
    "alriyadh": "الرياض",
    "alwatan": "الوطن",
    "alweeam": "الوئام",
    "alyaum": "اليوم",
    "arreyadi": "الرياضي",
    "arreyadiyah": "الرياضية",
    "okaz": "عكاظ",
    "sabq": "سبق",
    "was": "واس",
    "3alyoum": "عين اليوم",
}
_SPA_LINE = re.compile(r"\(\s*واس\s*\)|[-–:]\s*واس(?!\w)|(?<!\w)واس\s*[-–:(]|^\s*واس\s*$")

Key = tuple[str, int]  # (day, index in that day's file)


@dataclass(frozen=True, slots=True)
class Doc:
    key: Key
    source: str
    url: str
    title: str
    author: str
    text: str
    extracted: str


def load_docs() -> dict[Key, Doc]:
    docs: dict[Key, Doc] = {}
    for path in sorted(ZIPS.glob("*.zip")):
        day = path.stem
        with zipfile.ZipFile(path) as archive:
            records = json.loads(archive.read(f"{day}.json"))
        for index, r in enumerate(records):
            docs[(day, index)] = Doc(
                (day, index),
                r["source"],
                r["url"],
                r.get("title") or "",
                r.get("author") or "",
                r.get("content") or "",
                r.get("date_extracted") or "",
            )
    return docs


def member_key(member: dict[str, Any]) -> Key:
    day = member["file"].split("::")[1].removesuffix(".json")
    return (day, int(member["index"]))


def read_groups(name: str) -> Iterator[dict[str, Any]]:
    with (GROUPS / name).open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)


Pair = tuple[Key, Key, str]  # a, b, kind of pair


def labelled_pairs(docs: dict[Key, Doc], negatives: int) -> tuple[list[Pair], list[Pair]]:
    pos: list[Pair] = []
    neg: list[Pair] = []
    for group in read_groups("saudinewsnet_crosssource_title_groups.jsonl"):
        keys = [member_key(m) for m in group["members"]]
        for i, j, jaccard in group["content_char5_jaccard_pairs"]:
            if jaccard is None:  # a member without content
                continue
            if jaccard >= 0.8:
                pos.append((keys[i], keys[j], "title group, J >= 0.8"))
            elif jaccard < 0.3:
                neg.append((keys[i], keys[j], "title group, J < 0.3"))
    for group in read_groups("saudinewsnet_exact_content_groups.jsonl"):
        keys = [member_key(m) for m in group["members"]]
        pos += [(a, b, "exact content") for n, a in enumerate(keys) for b in keys[n + 1 :]]
    by_day: defaultdict[str, list[Key]] = defaultdict(list)
    for key in docs:
        by_day[key[0]].append(key)
    rng = random.Random(SEED)
    days = sorted(by_day)
    seen: set[tuple[Key, Key]] = set()
    while len(seen) < negatives:
        day_keys = by_day[rng.choice(days)]
        a, b = rng.sample(day_keys, 2)
        if docs[a].source != docs[b].source and (a, b) not in seen:
            seen.add((a, b))
            neg.append((a, b, "random same-day, other outlet"))
    return pos, neg


def credited(doc: Doc) -> str | None:
    """What extraction + the byline give (``khabar.dedupe.original.credited_in_text``)."""
    return credited_in_text(doc.text, doc.author, OUTLETS[doc.source])


def published(doc: Doc) -> datetime | None:
    try:
        return datetime.strptime(doc.extracted, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def fingerprints(
    docs: dict[Key, Doc], keys: Sequence[Key], kind: ShingleKind, hasher: MinHasher
) -> tuple[dict[Key, Fingerprint], float]:
    start = time.perf_counter()
    found = {key: fingerprint(docs[key].text, hasher, kind) for key in keys}
    return found, len(keys) / (time.perf_counter() - start)


def as_known(doc: Doc, number: int, fp: Fingerprint, credit: str | None) -> Known:
    return Known(number, doc.url, OUTLETS[doc.source], fp, published(doc), credited=credit)


def as_candidate(doc: Doc, fp: Fingerprint, credit: str | None) -> Candidate:
    return Candidate(doc.url, OUTLETS[doc.source], fp, published(doc), credited=credit)


@dataclass
class PairResult:
    tp: int = 0
    fn: int = 0
    fp: int = 0
    tn: int = 0


def evaluate_pairs(
    docs: dict[Key, Doc],
    fps: dict[Key, Fingerprint],
    pos: list[Pair],
    neg: list[Pair],
    thresholds: Thresholds,
) -> tuple[PairResult, Counter[str], list[tuple[str, Pair, float]]]:
    result = PairResult()
    by_kind: Counter[str] = Counter()
    errors: list[tuple[str, Pair, float]] = []
    for label, pairs in (("positive", pos), ("negative", neg)):
        for pair in pairs:
            a, b, kind = pair
            decision = decide(
                as_candidate(docs[a], fps[a], None),
                [as_known(docs[b], 1, fps[b], None)],
                thresholds,
            )
            said = decision.kind != "new"
            sim = estimate_jaccard(fps[a].signature, fps[b].signature)
            if label == "positive":
                result.tp += said
                result.fn += not said
            else:
                result.fp += said
                result.tn += not said
            if said != (label == "positive"):
                by_kind[f"{label}: {kind}"] += 1
                errors.append(("FN" if said is False else "FP", pair, sim))
    return result, by_kind, errors


def true_jaccard(a: str, b: str) -> float:
    left, right = shingles(a, "chars5"), shingles(b, "chars5")
    return len(left & right) / max(1, len(left | right))


def stream_originals(
    docs: dict[Key, Doc], fps: dict[Key, Fingerprint], thresholds: Thresholds
) -> tuple[int, int, list[tuple[Doc, str]]]:
    """Run every article through the index + decide in date order; score the واس articles."""
    order = sorted(docs, key=lambda k: (docs[k].extracted, k))
    index: NearDuplicateIndex[int] = NearDuplicateIndex(thresholds.lsh_bands)
    known: list[Known] = []
    by_hash: dict[str, list[int]] = defaultdict(list)
    by_url: dict[str, list[int]] = defaultdict(list)
    hits = total = 0
    misses: list[tuple[Doc, str]] = []
    for number, key in enumerate(order):
        doc, fp = docs[key], fps[key]
        credit = credited(doc)
        url_key = canonical_url(doc.url)
        found = index.query(fp.signature) | set(by_hash[fp.content_hash]) | set(by_url[url_key])
        decision = decide(
            as_candidate(doc, fp, credit), [known[n] for n in sorted(found)], thresholds
        )
        known.append(as_known(doc, number, fp, credit))
        index.add(number, fp.signature)
        by_hash[fp.content_hash].append(number)
        by_url[url_key].append(number)
        first_line = doc.text.strip().split("\n")[0][:200]
        if _SPA_LINE.search(doc.author) or _SPA_LINE.search(first_line):
            total += 1
            got = decision.original.outlet if decision.original else OUTLETS[doc.source]
            if outlet_name(got) == SPA:
                hits += 1
            else:
                misses.append((doc, got))
    return hits, total, misses


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--kinds", default="words3,words4,chars5")
    parser.add_argument("--negatives", type=int, default=20_000)
    parser.add_argument("--jaccard", type=float, default=None, help="override the threshold")
    parser.add_argument("--errors", type=int, default=6)
    args = parser.parse_args(argv)
    if not GROUPS.is_dir() or not ZIPS.is_dir():
        print(f"missing {GROUPS} or {ZIPS}: this benchmark needs ../shared/data", file=sys.stderr)
        return 2
    base = load_thresholds()
    docs = load_docs()
    pos, neg = labelled_pairs(docs, args.negatives)
    all_keys = sorted(docs)
    hasher = MinHasher(base.num_perm)
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    machine = f"{platform.system()} {platform.machine()}, {platform.python_version()}"
    print(f"### Dedupe levels 1-2 (bench/dedupe.py) — {now} — {machine}\n")
    print(f"{len(docs)} SaudiNewsNet articles; {len(pos)} positive pairs, {len(neg)} negative.\n")
    print("| shingles | J ≥ | TP | FN | FP | TN | precision | recall | fingerprint docs/s |")
    print("|---|---|---|---|---|---|---|---|---|")
    kept: dict[ShingleKind, Any] = {}
    for kind in cast(list[ShingleKind], args.kinds.split(",")):
        fps, rate = fingerprints(docs, all_keys, kind, hasher)
        thresholds = _with(base, kind, args.jaccard)
        result, by_kind, errors = evaluate_pairs(docs, fps, pos, neg, thresholds)
        precision = result.tp / max(1, result.tp + result.fp)
        recall = result.tp / max(1, result.tp + result.fn)
        print(
            f"| {kind} | {thresholds.near_duplicate_jaccard} | {result.tp} | {result.fn} | "
            f"{result.fp} | {result.tn} | {precision:.4f} | {recall:.4f} | {rate:,.0f} |"
        )
        kept[kind] = (fps, by_kind, errors, thresholds)
    kind = base.shingles if base.shingles in kept else next(iter(kept))
    fps, by_kind, errors, thresholds = kept[kind]
    print(
        f"\nThreshold sweep ({kind}):\n\n| J ≥ | FN | FP | precision | recall |\n"
        "|---|---|---|---|---|"
    )
    for cut in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        swept, _, _ = evaluate_pairs(
            docs, fps, pos, neg, replace(thresholds, near_duplicate_jaccard=cut)
        )
        p = swept.tp / max(1, swept.tp + swept.fp)
        r = swept.tp / max(1, swept.tp + swept.fn)
        print(f"| {cut} | {swept.fn} | {swept.fp} | {p:.4f} | {r:.4f} |")
    print(f"\nErrors by pair kind ({kind}): {dict(by_kind) or 'none'}")
    fps_real = [true_jaccard(docs[a].text, docs[b].text) for w, (a, b, _), _ in errors if w == "FP"]
    noisy = sum(j >= 0.5 for j in fps_real)
    print(
        f"False positives whose texts really are copies (char-5 Jaccard ≥ 0.5): {noisy} of "
        f"{len(fps_real)} — random same-day pairs that drew two outlets' copies of one wire.\n"
    )
    _print_errors(docs, errors, args.errors)
    start = time.perf_counter()
    hits, total, misses = stream_originals(docs, fps, thresholds)
    took = time.perf_counter() - start
    print(
        f"\nOriginal source: {hits}/{total} = {hits / max(1, total):.3f} of the articles whose "
        f"byline or first line names واس get واس as original ({kind}; stream of {len(docs)} "
        f"articles through index + decide in {took:.1f} s = {len(docs) / took:,.0f} docs/s)."
    )
    for doc, got in misses[: args.errors]:
        print(f"- miss: {doc.source} record {doc.key} → {got}")
    return 0


def _with(base: Thresholds, kind: ShingleKind, jaccard: float | None) -> Thresholds:
    return replace(
        base,
        shingles=kind,
        near_duplicate_jaccard=base.near_duplicate_jaccard if jaccard is None else jaccard,
    )


def _print_errors(docs: dict[Key, Doc], errors: list[tuple[str, Pair, float]], n: int) -> None:
    rng = random.Random(SEED)
    for what, (a, b, kind), sim in rng.sample(errors, min(n, len(errors))):
        real = true_jaccard(docs[a].text, docs[b].text)
        print(
            f"- {what} [{kind}] {docs[a].source}/{docs[b].source} minhash J={sim:.2f}, "
            f"char5 J={real:.2f}, chars {len(docs[a].text)}/{len(docs[b].text)}, "
            f"records {a} / {b}"
        )


if __name__ == "__main__":
    raise SystemExit(main())
