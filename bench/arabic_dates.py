"""Arabic date parsing: Khabar's ``parse_arabic_date`` vs ``dateparser`` on the same table.

The table is ``CASES`` in ``tests/unit/arabic/test_dates.py`` (real-world strings from ANT texts and
RSS dates, page bylines, relative forms, and strings that state no date). For each case both
parsers get the same reference time and source time zone. Scores:

* exact: the parsed instant equals the expected one (a "no date" case scores when nothing is
  returned);
* same day: the expected calendar day (in the source's zone) is found, whatever the time.

    .venv/bin/python bench/arabic_dates.py [--verbose]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

import dateparser  # type: ignore[import-untyped]  # no stubs in the venv

from khabar.arabic.dates import parse_arabic_date

TABLE = Path(__file__).resolve().parents[1] / "tests" / "unit" / "arabic" / "test_dates.py"
Parser = Callable[[Any], datetime | None]


def _load_table() -> ModuleType:
    spec = importlib.util.spec_from_file_location("khabar_date_table", TABLE)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {TABLE}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def khabar(case: Any) -> datetime | None:
    return parse_arabic_date(case.text, now=case.now, tz=ZoneInfo(case.tz))


def with_dateparser(case: Any) -> datetime | None:
    base = case.now.astimezone(ZoneInfo(case.tz)).replace(tzinfo=None)
    settings = {
        "RELATIVE_BASE": base,
        "TIMEZONE": case.tz,
        "TO_TIMEZONE": "UTC",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DATES_FROM": "past",
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = dateparser.parse(case.text, languages=["ar"], settings=settings)
    return None if parsed is None else parsed.astimezone(UTC)


def _score(case: Any, parsed: datetime | None, expected: datetime | None) -> tuple[bool, bool]:
    if expected is None:
        return parsed is None, parsed is None
    if parsed is None:
        return False, False
    zone = ZoneInfo(case.tz)
    return parsed == expected, parsed.astimezone(zone).date() == expected.astimezone(zone).date()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    args = parser.parse_args()
    table = _load_table()
    cases = table.CASES
    parsers: dict[str, Parser] = {"khabar": khabar, "dateparser (ar)": with_dateparser}
    print(f"{len(cases)} cases from {TABLE.name}")
    print(f"{'parser':<18}{'exact':>12}{'same day':>12}{'ms/case':>10}")
    for name, parse in parsers.items():
        exact = same_day = 0
        started = time.perf_counter()
        results = [parse(case) for case in cases]
        elapsed = (time.perf_counter() - started) * 1000 / len(cases)
        for case, parsed in zip(cases, results, strict=True):
            expected = table._at(case.expected) if case.expected else None
            hit, day = _score(case, parsed, expected)
            exact += hit
            same_day += day
            if args.verbose and not hit:
                print(f"  {name} miss: {case.text!r} → {parsed} (want {expected})")
        print(
            f"{name:<18}{exact:>5}/{len(cases)} {exact / len(cases):>5.0%}"
            f"{same_day:>5}/{len(cases)} {same_day / len(cases):>4.0%}{elapsed:>10.2f}"
        )


if __name__ == "__main__":
    main()
