"""Locks shared by the store adapters: the timeout error and this process's named locks.

The store itself (``bot.ports.Store``) lives in process (embedded) or in Redis (production).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class LockTimeout(Exception):
    """The lock could not be acquired within the wait limit."""


class LocalLocks:
    """Named asyncio locks of this process, each dropped once nobody holds or awaits it.

    The memory store's locks; in front of Redis locks, they queue a process's own
    contenders without polling Redis, and wake the next one the moment the lock is free.
    """

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, list[int]]] = {}

    def __len__(self) -> int:
        return len(self._locks)

    def held(self, name: str) -> bool:
        item = self._locks.get(name)
        return item is not None and item[0].locked()

    @asynccontextmanager
    async def hold(self, name: str, wait: float | None) -> AsyncIterator[float | None]:
        """Hold ``name`` in this process; yields what is left of ``wait``."""
        lock, users = self._locks.setdefault(name, (asyncio.Lock(), [0]))
        users[0] += 1
        started = time.monotonic()
        try:
            if wait is not None and wait <= 0:
                if lock.locked():
                    raise LockTimeout(name)
                await lock.acquire()
            else:
                try:
                    # asyncio.timeout, not wait_for: on 3.11 wait_for can time out after
                    # the lock was granted, leaving it held by nobody.
                    async with asyncio.timeout(wait):
                        await lock.acquire()
                except TimeoutError:
                    raise LockTimeout(name) from None
            try:
                yield None if wait is None else max(0.0, wait - (time.monotonic() - started))
            finally:
                lock.release()
        finally:
            users[0] -= 1
            if not users[0]:
                del self._locks[name]
