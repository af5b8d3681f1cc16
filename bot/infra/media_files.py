"""The media library's files (``bot.ports.MediaStore``) in a directory.

Embedded mode keeps them under ``data/media``; in production every process that sends
messages (serve and every worker, on every host) must read the same files, so
``customers.media_dir`` names a directory they all mount (a shared volume). A file is
written under a temporary name and renamed, so a reader never sees half of one.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
from pathlib import Path

_KEY = re.compile(r"^[a-z0-9]{2}/[a-z0-9]{8,64}$")


class LocalMediaStore:
    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.root = Path(directory)

    def _path(self, key: str) -> Path:
        # Keys are made by the library (two-level, lowercase hex): anything else is a bug,
        # never a path to follow.
        if not _KEY.match(key):
            raise ValueError(f"not a media key: {key!r}")
        return self.root / key

    async def save(self, key: str, data: bytes) -> None:
        path = self._path(key)

        def write() -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)

        await asyncio.to_thread(write)

    async def load(self, key: str) -> bytes:
        return await asyncio.to_thread(self._path(key).read_bytes)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)
