"""Fixed-window rate limiter on the store, so a limit holds across processes.

A call takes a slot with ``incr`` on the window's counter (created with the window's ttl);
over the limit it sleeps until the counter expires (``ttl``) and tries again. Nothing is
dropped: callers wait their turn.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from bot.ports import Store
from bot.protocol.errors import LimiterBusy

_MIN_WAIT = 0.005


class RateLimiter:
    def __init__(self, store: Store, *, prefix: str = "wecom:rl:") -> None:
        self._store = store
        self._prefix = prefix

    async def acquire(
        self, key: str, limit: int, window: float, *, max_wait: float | None = None
    ) -> float:
        """Take one slot of ``limit`` per ``window`` seconds; returns the seconds waited.

        Raises LimiterBusy when the wait would pass ``max_wait`` (no slot is kept then).
        """
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
            if max_wait is not None and waited + pause > max_wait:
                raise LimiterBusy(key, waited + pause)
            await asyncio.sleep(pause)
            waited += pause

    async def acquire_all(
        self, limits: Iterable[tuple[str, int, float]], *, max_wait: float | None = None
    ) -> float:
        waited = 0.0
        for key, limit, window in limits:
            budget = None if max_wait is None else max(0.0, max_wait - waited)
            waited += await self.acquire(key, limit, window, max_wait=budget)
        return waited
