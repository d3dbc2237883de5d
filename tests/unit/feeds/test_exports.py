"""The package's public surface is exactly what ``__all__`` lists, and it all exists."""

from __future__ import annotations

import importlib
import pkgutil

import khabar.feeds


def test_package_all_names_exist() -> None:
    for name in khabar.feeds.__all__:
        assert hasattr(khabar.feeds, name), name


def test_every_module_declares_all() -> None:
    for module_info in pkgutil.iter_modules(khabar.feeds.__path__):
        module = importlib.import_module(f"khabar.feeds.{module_info.name}")
        assert isinstance(getattr(module, "__all__", None), list), module_info.name
        for name in module.__all__:
            assert hasattr(module, name), f"{module_info.name}.{name}"
