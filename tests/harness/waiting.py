"""Waiting until something happened, by polling (never by sleeping a fixed time)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from bot.models import OutboxMessage, OutboxStatus


async def wait_for(predicate: Callable[[], Any], timeout: float = 20.0) -> Any:
    """Poll an async or sync predicate until it returns something truthy; return that.

    The default is generous on purpose: a passing test returns as soon as the condition
    holds, and CI machines run the suite with two CPUs shared by PostgreSQL, Redis and
    Chromium, where a step that takes 1 s here can take several."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


async def one(model: Any, **filters: Any) -> Any:
    """A row or None, as a coroutine (for ``wait_for``)."""
    return await model.get_or_none(**filters)


async def outbox_settled() -> None:
    """Wait until no outbox row is pending (so a test never stops with sends in flight)."""

    async def none_pending() -> bool:
        return not await OutboxMessage.filter(status=OutboxStatus.PENDING).exists()

    await wait_for(none_pending)
