"""References to the media library inside message bodies: ``{"media": id}`` (a message's
own file) and ``"pic_media": id`` (a card's picture)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def media_ids(value: Any) -> set[int]:
    """Every library id referenced anywhere in ``value`` (``media`` and ``pic_media``)."""
    found: set[int] = set()
    if isinstance(value, Mapping):
        for k, v in value.items():
            if k in ("media", "pic_media") and isinstance(v, int) and not isinstance(v, bool):
                found.add(v)
            else:
                found |= media_ids(v)
    elif isinstance(value, Sequence) and not isinstance(value, str | bytes):
        for v in value:
            found |= media_ids(v)
    return found
