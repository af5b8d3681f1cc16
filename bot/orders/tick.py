"""The orders' periodic work, run by the sweeper (embedded) and the arq cron (production)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.context import Services
from bot.logs import get_logger
from bot.orders import grouptasks, kefu, overdue
from bot.orders.errors import utcnow

log = get_logger("bot.orders.tick")


async def tick(services: Services, now: datetime | None = None) -> None:
    now = now or utcnow()
    steps: tuple[tuple[str, Callable[[], Awaitable[object]]], ...] = (
        ("grouptasks", lambda: grouptasks.tick(services, now)),
        ("kefu", lambda: kefu.sweep(services)),
        ("overdue", lambda: overdue.notify(services, now)),
    )
    for name, step in steps:
        try:
            await step()
        except Exception as exc:  # one part failing must not stop the others
            log.warning("orders.tick_failed", step=name, error=type(exc).__name__)
