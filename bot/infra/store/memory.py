"""In-process store for embedded mode: one process, so plain dicts and asyncio locks."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.infra.store.announcements import Announcements
from bot.infra.store.locks import LocalLocks
from bot.ports import LOCK_TTL, SetWatch

_PURGE_MIN = 1024


class MemoryStore:
    def __init__(self) -> None:
        self._data: dict[str, tuple[str, float | None]] = {}
        self._locks = LocalLocks()
        self._subscribers: defaultdict[str, set[asyncio.Queue[str]]] = defaultdict(set)
        self._purge_at = _PURGE_MIN
        self._announced = Announcements()

    def _live(self, key: str) -> tuple[str, float | None] | None:
        item = self._data.get(key)
        if item is not None and item[1] is not None and item[1] <= time.monotonic():
            del self._data[key]
            return None
        return item

    def _expiry(self, ttl: float | None) -> float | None:
        self._purge()
        return None if ttl is None else time.monotonic() + ttl

    def _purge(self) -> None:
        """Drop expired keys once the store has doubled since the last time: keys written
        once and never read again (a counter per address) would otherwise stay forever."""
        if len(self._data) < self._purge_at:
            return
        now = time.monotonic()
        for key in [k for k, (_, exp) in self._data.items() if exp is not None and exp <= now]:
            del self._data[key]
        self._purge_at = max(_PURGE_MIN, 2 * len(self._data))

    async def get(self, key: str) -> str | None:
        item = self._live(key)
        return None if item is None else item[0]

    async def set(self, key: str, value: str, ttl: float | None = None) -> None:
        self._data[key] = (value, self._expiry(ttl))

    async def set_if_absent(self, key: str, value: str, ttl: float | None = None) -> bool:
        if self._live(key) is not None:
            return False
        self._data[key] = (value, self._expiry(ttl))
        return True

    async def delete(self, key: str) -> None:
        self._data.pop(key, None)

    async def take(self, key: str) -> str | None:
        item = self._live(key)
        self._data.pop(key, None)
        return None if item is None else item[0]

    async def incr(self, key: str, amount: int = 1, ttl: float | None = None) -> int:
        item = self._live(key)
        if item is None:
            self._data[key] = (str(amount), self._expiry(ttl))
            return amount
        value = int(item[0]) + amount
        self._data[key] = (str(value), item[1])
        return value

    async def ttl(self, key: str) -> float | None:
        item = self._live(key)
        if item is None or item[1] is None:
            return None
        return max(0.0, item[1] - time.monotonic())

    @asynccontextmanager
    async def lock(
        self, name: str, *, ttl: float = LOCK_TTL, wait: float | None = None
    ) -> AsyncIterator[None]:
        # One process: a crashed holder cannot outlive us, so ``ttl`` has nothing to bound.
        async with self._locks.hold(name, wait):
            yield

    async def held(self, name: str) -> bool:
        return self._locks.held(name)

    async def set_and_held(self, key: str, value: str, ttl: float | None, lock: str) -> bool:
        await self.set(key, value, ttl)
        self._announced.heard(key)
        return await self.held(lock)

    def sets_of(self, key: str) -> SetWatch:
        return self._announced.watch(key)

    async def publish(self, channel: str, message: str) -> None:
        for q in list(self._subscribers[channel]):
            q.put_nowait(message)

    async def subscribe(self, channel: str) -> AsyncIterator[str]:
        q: asyncio.Queue[str] = asyncio.Queue()
        self._subscribers[channel].add(q)
        try:
            while True:
                yield await q.get()
        finally:
            self._subscribers[channel].discard(q)

    async def ping(self) -> bool:
        return True

    async def close(self) -> None:
        self._data.clear()
