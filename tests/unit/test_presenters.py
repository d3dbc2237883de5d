"""What the CLI prints about a search page."""

from __future__ import annotations

from khabar.presenters import search_dict, total_text
from khabar.types import SearchPage


def test_a_capped_total_says_more_than() -> None:
    capped = SearchPage("النفط", (), 1000, 0, 20, True)
    exact = SearchPage("النفط", (), 12, 0, 20)
    assert total_text(capped) == "more than 1000 results"
    assert total_text(exact) == "12 results"
    assert search_dict(capped)["total_is_lower_bound"] is True
    assert search_dict(exact)["total_is_lower_bound"] is False
