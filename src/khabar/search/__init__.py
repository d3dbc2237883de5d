"""Search analysis shared by every search backend."""

from khabar.search.analyzer import analyze, query_terms
from khabar.search.snippet import make_snippet

__all__ = ["analyze", "make_snippet", "query_terms"]
