"""The web tier: an Arabic right-to-left reader, a JSON API, one service facade behind both."""

from khabar.web.app import create_app

__all__ = ["create_app"]
