"""Reading the outbox for people: outbound messages as plain records, and delivery counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.expressions import Q
from tortoise.functions import Count

from bot.models import OutboxMessage


@dataclass(frozen=True)
class OutboundRecord:
    id: int
    key: str
    api: str
    recipient: str
    ref: str | None
    status: str  # pending | sent | delivered | failed | missed
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime


def record(row: OutboxMessage) -> OutboundRecord:
    return OutboundRecord(
        id=row.id, key=row.key, api=row.api, recipient=row.recipient, ref=row.ref,
        status=row.status.value, attempts=row.attempts, last_error=row.last_error,
        created_at=row.created_at, sent_at=row.sent_at, next_attempt_at=row.next_attempt_at,
    )


async def outbound_messages(*, status: str | None = None, ref_prefix: str | None = None,
                            recipient: str | None = None, limit: int = 100
                            ) -> list[OutboundRecord]:
    """Outbound messages, newest first; each filter applies when given."""
    rows, _ = await outbound_page(status=status, ref_prefix=ref_prefix, recipient=recipient,
                                  limit=limit)
    return rows


async def outbound_page(*, status: str | None = None, ref_prefix: str | None = None,
                        recipient: str | None = None, api: str | None = None,
                        search: str | None = None, limit: int = 100, offset: int = 0
                        ) -> tuple[list[OutboundRecord], int]:
    """A page of outbound messages, newest first, and how many match; ``search`` looks in
    the recipient, the ref and the last error."""
    filters: dict[str, Any] = {}
    if status:
        filters["status"] = status
    if ref_prefix:
        filters["ref__startswith"] = ref_prefix
    if recipient:
        filters["recipient"] = recipient
    if api:
        filters["api"] = api
    q = OutboxMessage.filter(**filters)
    if search:
        q = q.filter(Q(recipient__icontains=search) | Q(ref__icontains=search)
                     | Q(last_error__icontains=search))
    total = await q.count()
    rows = await q.order_by("-id").offset(offset).limit(limit)
    return [record(r) for r in rows], total


@dataclass
class DeliveryCounts:
    by_status: dict[str, int]
    by_api: dict[str, dict[str, int]]  # api -> status -> count


async def delivery_counts() -> DeliveryCounts:
    """How many outbound messages are in each state, overall and per API."""
    rows = await (OutboxMessage.annotate(n=Count("id")).group_by("api", "status")
                  .values("api", "status", "n"))
    counts = DeliveryCounts(by_status={}, by_api={})
    for r in rows:
        status = str(getattr(r["status"], "value", r["status"]))
        counts.by_status[status] = counts.by_status.get(status, 0) + int(r["n"])
        counts.by_api.setdefault(r["api"], {})[status] = int(r["n"])
    return counts

