"""Fixed-window rate limiter on the store, so a limit holds across processes.

A call takes a slot with ``incr`` on the window's counter (created with the window's ttl);
over the limit it sleeps until the counter expires (``ttl``) and tries again. Nothing is
dropped: callers wait their turn.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from bot.store import Store

_MIN_WAIT = 0.005


class RateLimiter:
    def __init__(self, store: Store, *, prefix: str = "wecom:rl:") -> None:
        self._store = store
        self._prefix = prefix

    async def acquire(self, key: str, limit: int, window: float) -> float:
        """Take one slot of ``limit`` per ``window`` seconds; returns the seconds waited."""
        waited = 0.0
        full = self._prefix + key
        while True:
            n = await self._store.incr(full, 1, ttl=window)
            if n <= limit:
                return waited
            left = await self._store.ttl(full)
            if left is None:
                # A counter without expiry (lost ttl): restore it, then wait a window.
                await self._store.set(full, str(n), ttl=window)
                left = window
            pause = max(_MIN_WAIT, min(left, window))
            await asyncio.sleep(pause)
            waited += pause

    async def acquire_all(self, limits: Iterable[tuple[str, int, float]]) -> float:
        waited = 0.0
        for key, limit, window in limits:
            waited += await self.acquire(key, limit, window)
        return waited
