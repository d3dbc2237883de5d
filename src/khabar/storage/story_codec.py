"""A story's resumable state (:class:`~khabar.stories.StoryState`) as bytes, for any backend.

zlib-compressed JSON; term vectors inside as base64 of :meth:`TermVector.to_bytes` (8 bytes
per feature). Datetimes as ISO text with their UTC offset. No pickle: a database blob is
data, never code.
"""

from __future__ import annotations

import base64
import json
import zlib
from datetime import datetime
from typing import Any

from khabar.stories.cluster import Member, StoryState
from khabar.stories.vectors import TermVector

__all__ = ["decode_state", "encode_state"]

_VERSION = 1


def encode_state(state: StoryState) -> bytes:
    data = {
        "v": _VERSION,
        "id": state.story_id,
        "title": state.title,
        "title_article": state.title_article_id,
        "first": state.first_seen.isoformat(),
        "last": state.last_seen.isoformat(),
        "size": state.size,
        "outlets": list(state.outlets),
        "centroid": _vector(state.centroid),
        "members": [
            [m.article_id, m.published.isoformat(), m.title, m.outlet, _vector(m.vector)]
            for m in state.members
        ],
    }
    return zlib.compress(json.dumps(data, ensure_ascii=False).encode("utf-8"), 6)


def decode_state(blob: bytes) -> StoryState:
    """The state :func:`encode_state` wrote; ``ValueError`` when the blob is not one."""
    try:
        data: dict[str, Any] = json.loads(zlib.decompress(blob).decode("utf-8"))
        if data.get("v") != _VERSION:
            raise ValueError(f"story state version {data.get('v')!r} is not {_VERSION}")
        return StoryState(
            story_id=str(data["id"]),
            title=str(data["title"]),
            title_article_id=str(data["title_article"]),
            first_seen=datetime.fromisoformat(data["first"]),
            last_seen=datetime.fromisoformat(data["last"]),
            size=int(data["size"]),
            outlets=tuple(str(o) for o in data["outlets"]),
            centroid=_unvector(data["centroid"]),
            members=tuple(
                Member(str(a), datetime.fromisoformat(p), str(t), str(o), _unvector(v))
                for a, p, t, o, v in data["members"]
            ),
        )
    except (zlib.error, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        raise ValueError(f"not a stored story state: {exc}") from exc


def _vector(vector: TermVector) -> str:
    return base64.b64encode(vector.to_bytes()).decode("ascii")


def _unvector(text: str) -> TermVector:
    return TermVector.from_bytes(base64.b64decode(text))
