"""Train the shipped section model from ANT and write it to ``khabar/data/sections/model.npz``.

Trains on every ANT article except the fixed held-out list
(``khabar/data/sections/heldout_docnos.txt``, made by ``bench/sections.py --make-split``), which
``bench/sections.py`` and ``tests/quality/test_sections_floor.py`` evaluate on. Labels: see
:func:`khabar.analyze.section_training.section_of`. Rerun after any change to the search
analyzer (the model stores ``ANALYZER_VERSION``; a unit test fails when they differ).

Usage: ``python scripts/train_sections.py [--ant PATH] [--out PATH]``
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from khabar.analyze.section_training import read_labelled_jsonl, train_model

ROOT = Path(__file__).resolve().parents[1]
ANT = ROOT.parent / "shared" / "data" / "ant" / "train.jsonl.gz"
DATA = ROOT / "src" / "khabar" / "data" / "sections"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ant", type=Path, default=ANT)
    parser.add_argument("--out", type=Path, default=DATA / "model.npz")
    args = parser.parse_args()
    if not args.ant.exists():
        sys.exit(f"ANT not found at {args.ant} (../shared/data absent)")
    heldout = set((DATA / "heldout_docnos.txt").read_text("utf-8").split())
    articles = [a for a in read_labelled_jsonl(args.ant) if a.key not in heldout]
    start = time.perf_counter()
    model = train_model(articles, progress=lambda m: print(m, file=sys.stderr, flush=True))
    model.save(args.out)
    print(
        f"{args.out}: {args.out.stat().st_size / 1e6:.2f} MB, {len(model.vocabulary)} features, "
        f"threshold {model.threshold}, temperature {model.temperature:.3f}, "
        f"{time.perf_counter() - start:.0f}s; {dict(model.info)}"
    )


if __name__ == "__main__":
    main()
