"""The store: small shared state (dedupe fast path, locks, counters, cursors, pub/sub).

Embedded mode keeps it in process; production keeps it in Redis so that every web and
worker process shares it. Callers never know which one they have.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from typing import Protocol


class LockTimeout(Exception):
    """The lock could not be acquired within the wait limit."""


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
