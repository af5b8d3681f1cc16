"""The store: small shared state (dedupe fast path, locks, counters, cursors, pub/sub).

Embedded mode keeps it in process; production keeps it in Redis so that every web and
worker process shares it. Callers never know which one they have.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Protocol


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


class Store(Protocol):
    async def get(self, key: str) -> str | None: ...

    async def set(self, key: str, value: str, ttl: float | None = None) -> None: ...

    async def set_if_absent(self, key: str, value: str, ttl: float | None = None) -> bool:
        """Set only when the key does not exist; True when this call set it."""
        ...

    async def delete(self, key: str) -> None: ...

    async def incr(self, key: str, amount: int = 1, ttl: float | None = None) -> int:
        """Add to a counter; ``ttl`` applies when the counter is created."""
        ...

    async def ttl(self, key: str) -> float | None:
        """Seconds left before the key expires; None for a missing or persistent key."""
        ...

    def lock(
        self, name: str, *, ttl: float = 30.0, wait: float | None = None
    ) -> AbstractAsyncContextManager[None]:
        """A mutual-exclusion lock shared by every process using this store.

        ``ttl`` bounds how long a crashed holder can keep it; ``wait`` bounds how long to
        wait for it (None: forever), raising LockTimeout.
        """
        ...

    async def publish(self, channel: str, message: str) -> None: ...

    def subscribe(self, channel: str) -> AsyncIterator[str]:
        """Messages published on the channel from now on."""
        ...

    async def ping(self) -> bool: ...

    async def close(self) -> None: ...
