"""The metrics that are state, not events: read from the database and the store when
``/metrics`` is scraped (backlogs, oldest ages, live escalations, group tasks waiting,
operator alerts).

Every process that serves ``/metrics`` reports the same shared state, so dashboards and
alerts take ``max()`` over instances. Reads are a handful of indexed queries, done at most
once per ``MIN_INTERVAL`` however many scrapers ask.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from tortoise.functions import Count

from bot.conversations.escalation_sla import unclaimed_past_raise
from bot.delivery.outbox import CHANNELS, channel_of
from bot.infra.clock import utcnow
from bot.infra.logs import get_logger
from bot.models import (
    Escalation,
    EscalationStatus,
    GroupNotice,
    GroupNoticeStatus,
    InboxEvent,
    InboxStatus,
    OutboxMessage,
    OutboxStatus,
    StorageOutage,
)
from bot.runtime import Services

log = get_logger("bot.pipeline.gauges")
MIN_INTERVAL = 5.0  # seconds between two reads of the shared state by one process
READ_TIMEOUT = 3.0


class StateGauges:
    def __init__(self, services: Services) -> None:
        self.services = services
        self._read_at = float("-inf")
        self._lock = asyncio.Lock()

    async def refresh(self) -> None:
        """Bring the state gauges up to date (unless read within MIN_INTERVAL). A database
        or store that does not answer leaves the last values and counts the failure."""
        async with self._lock:
            if time.monotonic() - self._read_at < MIN_INTERVAL:
                return
            try:
                async with asyncio.timeout(READ_TIMEOUT):
                    await self._read()
            except Exception as exc:
                self.services.metrics.state_errors.inc()
                log.warning("metrics.state_unreadable", error=type(exc).__name__)
                return
            self._read_at = time.monotonic()

    async def _read(self) -> None:
        m = self.services.metrics
        now = utcnow()

        pending = InboxEvent.filter(status=InboxStatus.PENDING)
        m.inbox_pending.set(await pending.count())
        m.inbox_oldest.set(_age(now, await pending.order_by("received_at")
                                .limit(1).values_list("received_at", flat=True)))

        by_api = await OutboxMessage.filter(status=OutboxStatus.PENDING) \
            .annotate(n=Count("id")).group_by("api").values_list("api", "n")
        channels = dict.fromkeys(set(CHANNELS.values()), 0)
        for api, n in by_api:
            channels[channel_of(str(api))] = channels.get(channel_of(str(api)), 0) + int(n)
        for channel, n in channels.items():
            m.outbox_pending.labels(channel).set(n)
        m.outbox_oldest.set(_age(now, await OutboxMessage.filter(status=OutboxStatus.PENDING)
                                 .order_by("created_at").limit(1)
                                 .values_list("created_at", flat=True)))

        for state in (EscalationStatus.OPEN, EscalationStatus.CLAIMED):
            m.escalations_open.labels(state.value).set(
                await Escalation.filter(status=state).count())
        m.escalations_breaching.set(await unclaimed_past_raise(
            self.services.settings, self.services.ports.clock.now()))
        m.group_tasks_waiting.set(
            await GroupNotice.filter(status=GroupNoticeStatus.CREATED).count())
        m.outages_open.set(await StorageOutage.filter(reconciled_at__isnull=True).count())

        apps = [a.name for a in self.services.settings.wecom.apps]
        alerts = await self.services.wecom.alerts.active(apps)
        m.operator_alerts.clear()
        for alert in alerts:
            m.operator_alerts.labels(alert.app, str(alert.errcode)).set(1)


def _age(now: datetime, oldest: Sequence[Any]) -> float:
    return max(0.0, (now - oldest[0]).total_seconds()) if oldest else 0.0
