"""Dedupe at scale: docs/s and resident memory feeding 10k, 100k and 1M documents.

Each document goes through what the dedupe stage does per article: ``fingerprint`` (folded3,
128 permutations), ``NearDuplicateIndex.query``, verification of the candidates with the real
``decide`` (at most MAX_CANDIDATES of them, the newest, as storage caps them), then
``NearDuplicateIndex.add``. There is no time window: every document stays in the index, the
worst case for its size. Content-hash lookups are left out: equal folded texts have equal
signatures, so the index already proposes them. ``decide`` runs when the index proposes
candidates (without any it can only answer "new"), on articles without URLs, so that it judges
by content only: the URL level is a key lookup in storage. What ``decide`` spends on URLs
(canonicalizing the article's and every known article's address) is timed on its own.

Documents are built from real texts, read in place from ../shared/data (SaudiNewsNet: CC
BY-NC-SA, never copied here; ANT: Apache-2.0): first every non-empty real text once (44,298,
shuffled), then texts derived from them with a seeded generator:

- a **republication** (COPY_SHARE of them) of one of the last RECENT documents, as wire copy
  arrives within hours: the first sentence dropped or a dateline ("الرياض - واس:") put in
  front, a sentence dropped, a credit line ("المصدر: …") added, ~2 % of the words swapped for
  words of other texts;
- a **new story** (the rest): 1-4 consecutive sentences from each of three random real texts,
  in random order, with ~8 % of the words replaced — half by words of other texts, half by new
  word forms (a word with a letter or digit added, as names and numbers come and go) — and
  every third word marked with two letters naming the pass over the real texts (a pass is
  44,298 documents), so that stories of later passes do not repeat the 3-word shingles of
  earlier ones: the stream stays as dense in near copies at 1M documents as at 100k, and the
  cost per document shows what the index's size does, not what a denser stream does.

Sizes are checkpoints of one stream (the first 10k documents of the 1M run are the 10k run).
Times: wall clock (``perf_counter``) of the per-document work, and its CPU time per stage
(``process_time``: on a shared machine the fairer measure of one core); building the documents
is not timed. Memory: RSS and peak RSS of the
process (which also holds the real texts and the verification store: 512-byte signatures
etc.), and the index's own arrays (``NearDuplicateIndex.memory_bytes``).

``--compare-with FILE`` times another fingerprint module (e.g. the version before a change:
``git show REV:src/khabar/dedupe/fingerprint.py > /tmp/fp_old.py``) side by side with the
current one on the first documents, and checks that both give identical fingerprints.
``--sqlite N`` measures a database-backed band table instead (the storage layout: one row per
band, ``article_bands(band, article_id)`` WITHOUT ROWID + an index by article) for N documents,
committing every ``--sqlite-batch`` documents (default 1: a transaction per article).

Usage: .venv/bin/python bench/dedupe_scale.py [--docs 10000,100000,1000000] [--sqlite 100000]
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import os
import platform
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

import numpy as np
import xxhash

from khabar.dedupe.decide import Candidate, DecisionKind, Known, decide
from khabar.dedupe.fingerprint import Fingerprint, MinHasher, fingerprint
from khabar.dedupe.index import NearDuplicateIndex, band_keys
from khabar.dedupe.thresholds import Thresholds, load_thresholds

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
ZIPS = DATA / "saudinewsnet"
ANT = DATA / "ant" / "train.jsonl.gz"
SEED = 5
COPY_SHARE = 0.25
MAX_CANDIDATES = 200  # storage's MAX_BAND_CANDIDATES
START = datetime(2026, 1, 1, tzinfo=UTC)
STEP = timedelta(seconds=30)
_SENTENCE_END = re.compile(r"(?<=[.!?؟])\s+|\n+")
DATELINES = ["الرياض - واس:", "جدة - واس:", "دبي - وام:", "الكويت - كونا:", "(رويترز) -"]
CREDITS = ["المصدر: واس", "المصدر: عربي21", "المصدر: وكالات", "نقلاً عن رويترز"]
NEW_LETTERS = "ابتجدرسعفقلمنهوي0123456789"
PASS_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
RECENT = 2000  # a republication copies one of the last RECENT documents (~17 h at 30 s each)


@dataclass(frozen=True, slots=True)
class Doc:
    outlet: str
    text: str
    kind: str  # real, copy, story


def load_texts() -> list[tuple[str, str]]:
    """(outlet, text) of every non-empty SaudiNewsNet and ANT text."""
    texts: list[tuple[str, str]] = []
    for path in sorted(ZIPS.glob("*.zip")):
        with zipfile.ZipFile(path) as archive:
            records = json.loads(archive.read(f"{path.stem}.json"))
        texts += [(r["source"], r["content"]) for r in records if (r.get("content") or "").strip()]
    with gzip.open(ANT, "rt", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if (record.get("text") or "").strip():
                texts.append((record["src"], record["text"]))
    return texts


class DocumentMaker:
    """The document stream described in the module docstring (seeded, so reproducible)."""

    def __init__(self, texts: list[tuple[str, str]], seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.texts = texts
        self.order = list(range(len(texts)))
        self.rng.shuffle(self.order)
        self.outlets = sorted({outlet for outlet, _ in texts})
        self.recent: list[str] = []  # the last RECENT documents made, a ring
        self.made = 0

    def __iter__(self) -> Iterator[Doc]:
        for number in self.order:
            outlet, text = self.texts[number]
            yield self._made(Doc(outlet, text, "real"))
        while True:
            yield self._made(self._copy() if self.rng.random() < COPY_SHARE else self._story())

    def _made(self, doc: Doc) -> Doc:
        if len(self.recent) < RECENT:
            self.recent.append(doc.text)
        else:
            self.recent[self.made % RECENT] = doc.text
        self.made += 1
        return doc

    def _sentences(self, text: str) -> list[str]:
        return [s for s in _SENTENCE_END.split(text) if s.strip()] or [text]

    def _copy(self) -> Doc:
        rng = self.rng
        sentences = self._sentences(rng.choice(self.recent))
        if len(sentences) > 2 and rng.random() < 0.5:
            sentences = sentences[1:]
        if rng.random() < 0.5:
            sentences[0] = f"{rng.choice(DATELINES)} {sentences[0]}"
        if len(sentences) > 3 and rng.random() < 0.3:
            del sentences[rng.randrange(1, len(sentences))]
        if rng.random() < 0.3:
            sentences.append(rng.choice(CREDITS))
        text = " ".join(self._edited("\n".join(sentences).split(" "), 0.02, new_forms=False))
        return Doc(rng.choice(self.outlets), text, "copy")

    def _story(self) -> Doc:
        rng = self.rng
        parts: list[list[str]] = []
        for _ in range(3):
            sentences = self._sentences(rng.choice(self.texts)[1])
            start = rng.randrange(len(sentences))
            parts.append(sentences[start : start + rng.randint(1, 4)])
        rng.shuffle(parts)
        words = self._edited("\n".join(s for part in parts for s in part).split(" "), 0.08)
        # this pass over the real texts' mark on every third word: no 3-word shingle repeats
        # from one pass to the next
        passes = self.made // len(self.texts)
        mark = PASS_LETTERS[passes // len(PASS_LETTERS)] + PASS_LETTERS[passes % len(PASS_LETTERS)]
        words[::3] = [word + mark for word in words[::3]]
        return Doc(rng.choice(self.outlets), " ".join(words), "story")

    def _edited(self, words: list[str], share: float, *, new_forms: bool = True) -> list[str]:
        rng = self.rng
        donor = self._sentences(rng.choice(self.texts)[1])[0].split() or ["خبر"]
        for _ in range(int(len(words) * share)):
            at = rng.randrange(len(words))
            if new_forms and rng.random() < 0.5:
                words[at] = words[at] + rng.choice(NEW_LETTERS)
            else:
                words[at] = rng.choice(donor)
        return words


@dataclass
class Store:
    """What verification needs of every document fed so far (numpy rows, not objects)."""

    capacity: int
    signatures: np.ndarray = field(init=False)
    shingles: np.ndarray = field(init=False)
    hashes: np.ndarray = field(init=False)
    outlets: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.signatures = np.empty((self.capacity, 128), dtype=np.uint32)
        self.shingles = np.empty(self.capacity, dtype=np.int32)
        self.hashes = np.empty((self.capacity, 16), dtype=np.uint8)

    def put(self, number: int, outlet: str, fp: Fingerprint) -> None:
        self.signatures[number] = np.frombuffer(fp.signature, dtype=np.uint32)
        self.shingles[number] = fp.shingle_count
        self.hashes[number] = np.frombuffer(bytes.fromhex(fp.content_hash), dtype=np.uint8)
        self.outlets.append(outlet)

    def known(self, number: int) -> Known:
        fp = Fingerprint(
            self.hashes[number].tobytes().hex(),
            self.signatures[number].tobytes(),
            int(self.shingles[number]),
        )
        return Known(number, "", self.outlets[number], fp, START + number * STEP)


@dataclass
class Interval:
    """Counters between two checkpoints."""

    docs: int = 0
    wall: float = 0.0
    cpu: dict[str, float] = field(
        default_factory=lambda: dict.fromkeys(("fingerprint", "query", "verify", "add"), 0.0)
    )
    candidates: int = 0
    capped: int = 0
    kinds: dict[DecisionKind, int] = field(default_factory=dict)


class Feeder:
    """Feeds documents through fingerprint → query → decide → add, timing each stage."""

    def __init__(self, capacity: int, thresholds: Thresholds) -> None:
        self.thresholds = thresholds
        self.hasher = MinHasher(thresholds.num_perm)
        self.index: NearDuplicateIndex[int] = NearDuplicateIndex(thresholds.lsh_bands)
        self.store = Store(capacity)
        self.fed = 0

    def feed(self, doc: Doc, into: Interval) -> None:
        wall, t0 = time.perf_counter(), time.process_time()
        fp = fingerprint(doc.text, self.hasher, self.thresholds.shingles)
        t1 = time.process_time()
        found = self.index.query(fp.signature) if self._indexed(fp) else set()
        t2 = time.process_time()
        newest = sorted(found, reverse=True)[:MAX_CANDIDATES]
        number = self.fed
        kind: DecisionKind = "new"
        if newest:
            candidate = Candidate("", doc.outlet, fp, START + number * STEP)
            known = [self.store.known(n) for n in newest]
            kind = decide(candidate, known, self.thresholds).kind
        t3 = time.process_time()
        self.store.put(number, doc.outlet, fp)
        if self._indexed(fp):
            self.index.add(number, fp.signature)
        t4 = time.process_time()
        self.fed += 1
        into.wall += time.perf_counter() - wall
        for stage, took in zip(into.cpu, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            into.cpu[stage] += took
        into.docs += 1
        into.candidates += len(newest)
        into.capped += len(found) > MAX_CANDIDATES
        into.kinds[kind] = into.kinds.get(kind, 0) + 1

    def _indexed(self, fp: Fingerprint) -> bool:
        return fp.shingle_count >= self.thresholds.min_shingles


def memory_mib() -> tuple[float, float]:
    """(RSS, peak RSS) of this process in MiB."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def run_scale(texts: list[tuple[str, str]], checkpoints: list[int]) -> list[str]:
    feeder = Feeder(checkpoints[-1], load_thresholds())
    docs = iter(DocumentMaker(texts))
    base_rss, _ = memory_mib()
    lines = [
        f"Before feeding: RSS {base_rss:,.0f} MiB ({len(texts):,} real texts loaded).\n",
        "| docs | interval | docs/s wall | docs/s CPU | CPU µs/doc fingerprint · query · verify "
        "· add | candidates/doc | new · dup · rep | RSS / peak MiB | index arrays MiB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    previous = 0
    kinds: dict[str, int] = {}
    for checkpoint in checkpoints:
        interval = Interval()
        for _ in range(checkpoint - previous):
            doc = next(docs)
            kinds[doc.kind] = kinds.get(doc.kind, 0) + 1
            feeder.feed(doc, interval)
        lines.append(_row(checkpoint, previous, interval, feeder.index))
        print(lines[-1], flush=True)
        previous = checkpoint
    lines.append(f"\nDocuments fed: {kinds}. {_lone_decide(feeder)}")
    return lines


def _lone_decide(feeder: Feeder) -> str:
    """What ``decide`` spends on an article's URL (canonicalization; not in the table)."""
    fp = fingerprint("نص قصير", feeder.hasher)
    candidates = [
        Candidate(f"https://news.example/a/{n}?utm_source=x", "x", fp) for n in range(2000)
    ]
    start = time.process_time()
    for candidate in candidates:
        decide(candidate, [], feeder.thresholds)
    took = (time.process_time() - start) / len(candidates)
    return (
        f"`decide` of an article with a URL and no known articles: {1e6 * took:,.0f} µs CPU "
        "(canonicalizing the URL; once more per known article it is compared with)."
    )


def _row(checkpoint: int, previous: int, interval: Interval, index: NearDuplicateIndex[int]) -> str:
    rss, peak = memory_mib()
    cpu = sum(interval.cpu.values())
    stages = " · ".join(f"{1e6 * t / interval.docs:,.0f}" for t in interval.cpu.values())
    decided = " · ".join(
        str(interval.kinds.get(k, 0)) for k in ("new", "duplicate", "republication")
    )
    capped = f" ({interval.capped} capped)" if interval.capped else ""
    return (
        f"| {checkpoint:,} | {previous:,}–{checkpoint:,} | {interval.docs / interval.wall:,.0f} | "
        f"{interval.docs / cpu:,.0f} | {stages} | "
        f"{interval.candidates / interval.docs:.2f}{capped} | {decided} | "
        f"{rss:,.0f} / {peak:,.0f} | {index.memory_bytes() / 2**20:,.0f} |"
    )


def load_module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("fingerprint_before", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def compare(texts: list[tuple[str, str]], before: ModuleType, count: int) -> list[str]:
    """Time ``before.fingerprint`` and the current one alternately on the same documents."""
    docs = [doc.text for doc, _ in zip(DocumentMaker(texts), range(count), strict=False)]
    hashers = (before.MinHasher(), MinHasher())
    runs: list[Callable[[str], Fingerprint]] = [
        lambda text: before.fingerprint(text, hashers[0]),
        lambda text: fingerprint(text, hashers[1]),
    ]
    wall, cpu = [0.0, 0.0], [0.0, 0.0]
    for start in range(0, len(docs), 1000):
        chunk = docs[start : start + 1000]
        results = []
        for which, run in enumerate(runs):
            c, t = time.process_time(), time.perf_counter()
            results.append([run(text) for text in chunk])
            wall[which] += time.perf_counter() - t
            cpu[which] += time.process_time() - c
        same = [(f.content_hash, f.signature, f.shingle_count) for f in results[0]]
        if same != [(f.content_hash, f.signature, f.shingle_count) for f in results[1]]:
            raise SystemExit("the two fingerprint modules disagree")
    n = len(docs)
    return [
        "| fingerprint | docs/s wall | docs/s CPU |",
        "|---|---|---|",
        f"| before (`--compare-with`) | {n / wall[0]:,.0f} | {n / cpu[0]:,.0f} |",
        f"| now | {n / wall[1]:,.0f} | {n / cpu[1]:,.0f} |",
        f"\n{n:,} documents alternately in chunks of 1,000; identical fingerprints; "
        f"speed-up {cpu[0] / cpu[1]:.2f}× (CPU time).",
    ]


def run_sqlite(texts: list[tuple[str, str]], count: int, batch: int) -> list[str]:
    """Band rows in SQLite: insert 32 rows per document, look candidates up by band; one
    transaction per ``batch`` documents."""
    thresholds = load_thresholds()
    hasher = MinHasher(thresholds.num_perm)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bands.db"
        conn = sqlite3.connect(path)
        conn.executescript(
            """PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;
            CREATE TABLE article_bands (band INTEGER NOT NULL, article_id INTEGER NOT NULL,
                PRIMARY KEY (band, article_id)) WITHOUT ROWID;
            CREATE INDEX article_bands_by_article ON article_bands (article_id);"""
        )
        took, found = 0.0, 0
        marks = {count // 10, count}
        lines = [
            f"| docs | docs/s wall (query + insert, a commit every {batch}) | DB bytes/doc |",
            "|---|---|---|",
        ]
        for number, doc in enumerate(DocumentMaker(texts), start=1):
            fp = fingerprint(doc.text, hasher, thresholds.shingles)
            short = fp.shingle_count < thresholds.min_shingles  # storage keeps no bands for it
            ids = [] if short else band_ids(fp.signature, thresholds.lsh_bands)
            start = time.perf_counter()
            found += len(_sqlite_candidates(conn, ids))
            conn.executemany(
                "INSERT OR IGNORE INTO article_bands VALUES (?, ?)", [(b, number) for b in ids]
            )
            if number % batch == 0:
                conn.commit()
            took += time.perf_counter() - start
            if number in marks:
                conn.commit()
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                size = path.stat().st_size
                lines.append(f"| {number:,} | {number / took:,.0f} | {size / number:,.0f} |")
                print(lines[-1], flush=True)
            if number == count:
                break
        conn.close()
    return [*lines, f"\n{found / count:.2f} candidate rows per document."]


def band_ids(signature: bytes, bands: int) -> list[int]:
    """Band keys as signed 64-bit integers, as storage keeps them (``dedupe/bands.py``)."""
    return [xxhash.xxh3_64_intdigest(key) - (1 << 63) for key in band_keys(signature, bands)]


def _sqlite_candidates(conn: sqlite3.Connection, ids: list[int]) -> list[int]:
    if not ids:
        return []
    marks = ",".join("?" * len(ids))
    query = f"SELECT DISTINCT article_id FROM article_bands WHERE band IN ({marks}) LIMIT ?"
    return [row[0] for row in conn.execute(query, [*ids, MAX_CANDIDATES])]


def machine() -> str:
    model = "unknown CPU"
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
    for line in lscpu.splitlines():
        if line.startswith("Model name:"):
            model = line.split(":", 1)[1].strip()
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({model}), "
        f"Python {platform.python_version()}, numpy {np.__version__}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--docs", default="10000,100000", help="checkpoints, comma-separated")
    parser.add_argument("--compare-with", type=Path, default=None, metavar="FILE")
    parser.add_argument("--compare-docs", type=int, default=20_000)
    parser.add_argument("--sqlite", type=int, default=0, metavar="N")
    parser.add_argument("--sqlite-batch", type=int, default=1, metavar="DOCS")
    parser.add_argument("--write", type=Path, default=None, help="append results to this file")
    args = parser.parse_args(argv)
    if not ZIPS.is_dir() or not ANT.is_file():
        print(f"missing {ZIPS} or {ANT}: this benchmark needs ../shared/data", file=sys.stderr)
        return 2
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"### Dedupe at scale (`bench/dedupe_scale.py`) — {now} — {machine()}\n"]
    texts = load_texts()
    if args.compare_with:
        lines += [*compare(texts, load_module(args.compare_with), args.compare_docs), ""]
    checkpoints = sorted(int(n) for n in args.docs.split(",") if n)
    if checkpoints:
        lines += run_scale(texts, checkpoints)
    if args.sqlite:
        lines += ["", "Band table in SQLite (storage's layout), no other work:\n"]
        lines += run_sqlite(texts, args.sqlite, args.sqlite_batch)
    text = "\n".join(lines)
    print(text)
    if args.write:
        with args.write.open("a", encoding="utf-8") as handle:
            handle.write("\n" + text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
