"""The orders' periodic work, run by the sweeper (embedded) and the arq cron (production)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.infra.logs import get_logger
from bot.orders import appointments, grouptasks, overdue, reach
from bot.orders import kefu_notices as kefu
from bot.ports import Ports

log = get_logger("bot.orders.tick")
OVERDUE_EVERY = 300  # seconds: the sweep runs every 30 s; a daily notice needs far less


async def _overdue(ports: Ports, now: datetime) -> None:
    # One scan per slot across all processes (the store is shared in production).
    slot = f"orders:overdue:{int(now.timestamp() // OVERDUE_EVERY)}"
    if await ports.store.set_if_absent(slot, "1", ttl=2 * OVERDUE_EVERY):
        await overdue.notify(ports, now)


async def tick(ports: Ports, now: datetime | None = None) -> None:
    now = now or ports.clock.now()
    steps: tuple[tuple[str, Callable[[], Awaitable[object]]], ...] = (
        ("grouptasks", lambda: grouptasks.tick(ports, now)),
        ("kefu", lambda: kefu.sweep(ports)),
        ("reach", lambda: reach.sweep(ports)),
        ("overdue", lambda: _overdue(ports, now)),
        ("appointments", lambda: appointments.remind(ports, now)),
    )
    for name, step in steps:
        try:
            await step()
        except Exception as exc:  # one part failing must not stop the others
            log.warning("orders.tick_failed", step=name, error=type(exc).__name__)
