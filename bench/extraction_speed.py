"""Extraction speed, Khabar against bare trafilatura, page by page in one process (issue 4).

``bench/extraction.py`` times each system over a whole set in turn, so a change of machine
load between the two passes moves the ratio (on a shared 2-core machine the same code read
AEB at 0.71–0.94). Here every page is extracted by both, in alternating order, and the CPU time
of each call (``time.process_time``) is added to its system: load changes hit both alike.
Prints per round and the medians over rounds: ms a page and the ratio trafilatura ÷ Khabar,
i.e. Khabar's speed as a share of trafilatura's (the goal is ≥ 0.8).

Usage: python bench/extraction_speed.py [--set aeb|eval|arabic] [--rounds N] [--pages N]
Run it under the bench lock: ``flock /tmp/khabar-bench.lock nice -n 0 .venv/bin/python ...``.
To compare two versions of Khabar, run it alternately in checkouts of each.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import trafilatura

from khabar.extract import extract_article

ROOT = Path(__file__).resolve().parent
DATA = ROOT.parent.parent / "shared" / "data" / "extraction"

Pages = list[tuple[str, str]]
"""(url, html) of each page."""


def _extraction_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("extraction_bench", ROOT / "extraction.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["extraction_bench"] = module
    spec.loader.exec_module(module)
    return module


def load_pages(name: str) -> Pages:
    bench = _extraction_bench()
    if name == "arabic":
        return [(p.url, p.html) for p in bench.load_arabic_set()[0]]
    if name == "aeb":
        return [(p.url, p.html) for p in bench.load_aeb(DATA / "scrapinghub_aeb")]
    return [(p.url, p.html) for p in bench.load_trafilatura_eval(DATA / "trafilatura_eval")]


SYSTEMS: dict[str, Callable[[str, str], object]] = {
    "khabar": lambda html, url: extract_article(html, url),
    "trafilatura": lambda html, url: trafilatura.extract(html, url=url),
}


def one_round(pages: Pages, offset: int) -> dict[str, float]:
    """CPU ms a page of each system; the order of the two alternates page by page."""
    spent = dict.fromkeys(SYSTEMS, 0.0)
    names = list(SYSTEMS)
    for i, (url, html) in enumerate(pages):
        for name in names if (i + offset) % 2 == 0 else names[::-1]:
            start = time.process_time()
            SYSTEMS[name](html, url)
            spent[name] += time.process_time() - start
    return {name: 1000 * total / len(pages) for name, total in spent.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--set", choices=("aeb", "eval", "arabic"), default="aeb")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pages", type=int, default=0, help="only the first N pages (0: all)")
    args = parser.parse_args()
    pages = load_pages(args.set)
    pages = pages[: args.pages] if args.pages else pages
    for run in SYSTEMS.values():  # warm up: models, caches, imports
        run(pages[0][1], pages[0][0])
    rounds = []
    for r in range(args.rounds):
        ms = one_round(pages, r)
        rounds.append(ms)
        ratio = ms["trafilatura"] / ms["khabar"]
        print(f"round {r}: khabar {ms['khabar']:.2f} ms/page, trafilatura "
              f"{ms['trafilatura']:.2f}, ratio {ratio:.3f}", flush=True)  # fmt: skip
    khabar = statistics.median(m["khabar"] for m in rounds)
    bare = statistics.median(m["trafilatura"] for m in rounds)
    ratio = statistics.median(m["trafilatura"] / m["khabar"] for m in rounds)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"{args.set} ({len(pages)} pages, {args.rounds} rounds): median khabar {khabar:.2f} "
          f"ms/page, trafilatura {bare:.2f}; ratio {ratio:.3f}; load {load}")  # fmt: skip


if __name__ == "__main__":
    main()
