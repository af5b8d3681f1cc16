"""Bounding what clients can hold open: aiohttp has no time limit on a request's headers and
keeps idle connections for an hour, so a few thousand slow or idle sockets would hold the
process's file descriptors until nothing else (WeCom's callbacks, /healthz) gets in.

The watch closes a connection that has had no request under way for ``idle_timeout``
(headers trickling in count as none: the request starts once they are complete), and when
more than ``max_connections`` are open, the longest idle first.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from bot.infra.logs import get_logger

log = get_logger("bot.web.connections")


class ConnectionWatch:
    def __init__(self, server: Any, *, idle_timeout: float, max_connections: int,
                 every: float = 0.5) -> None:
        self.server = server  # aiohttp's web.Server (runner.server): its open connections
        self.idle_timeout = idle_timeout
        self.max_connections = max_connections
        self.every = every
        # handler → (its request count when last seen, when it was last active)
        self._seen: dict[Any, tuple[int, float]] = {}
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.every)
            try:
                self.sweep(time.monotonic())
            except Exception as exc:  # never let the watch die of one odd connection
                log.warning("connections.sweep_failed", error=type(exc).__name__)

    def sweep(self, now: float) -> int:
        """Close what is idle too long, then the longest idle over the cap; how many."""
        handlers = list(self.server.connections)
        alive = set(handlers)
        self._seen = {h: v for h, v in self._seen.items() if h in alive}
        idle: list[tuple[float, Any]] = []
        for h in handlers:
            count = int(getattr(h, "_request_count", 0))
            seen = self._seen.get(h)
            if seen is None or seen[0] != count or getattr(h, "_request_in_progress", False):
                self._seen[h] = (count, now)
                continue
            idle.append((seen[1], h))
        idle.sort(key=lambda pair: pair[0])
        over = max(0, len(handlers) - self.max_connections)
        closed = 0
        for since, h in idle:
            if now - since >= self.idle_timeout or closed < over:
                h.force_close()
                self._seen.pop(h, None)
                closed += 1
        if closed:
            log.info("connections.closed", count=closed, open=len(handlers) - closed)
        return closed
