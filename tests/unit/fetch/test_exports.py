"""The fetch package's public surface is explicit and importable."""

from __future__ import annotations

import khabar.fetch


def test_all_names_exist_and_are_sorted() -> None:
    names = khabar.fetch.__all__
    assert names == sorted(names)
    for name in names:
        assert getattr(khabar.fetch, name) is not None
