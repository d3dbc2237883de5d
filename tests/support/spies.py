"""Watch what a module-level function is called with, while it still does its work."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest

__all__ = ["keyword_spy"]


def keyword_spy(
    monkeypatch: pytest.MonkeyPatch, module: ModuleType, name: str, keyword: str
) -> list[object]:
    """Replace ``module.name`` by a wrapper that records each call's ``keyword`` argument
    (None when not given) and then calls the real function; returns the record."""
    seen: list[object] = []
    real = getattr(module, name)

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(kwargs.get(keyword))
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return seen
