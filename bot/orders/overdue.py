"""A stage past its expected duration: the specialist is told once per (CST) day."""

from __future__ import annotations

from datetime import datetime

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from bot.infra.clock import cst_day, utcnow
from bot.models import Order, OutboxMessage
from bot.orders import pipelines
from bot.orders.notify import card, order_link
from bot.orders.orders import is_overdue, overdue_since
from bot.ports import Ports

BATCH = 500


async def notify(ports: Ports, now: datetime | None = None) -> int:
    """Scan every started order, in id batches; returns the notices queued."""
    now = now or utcnow()
    today = cst_day(now)
    sent = 0
    after = 0
    while True:
        batch = await Order.filter(Q(stage__isnull=False) & Q(id__gt=after) & (
            Q(overdue_notified_on__isnull=True) | ~Q(overdue_notified_on=today))
        ).order_by("id").limit(BATCH)
        if not batch:
            return sent
        after = batch[-1].id
        sent += await _notify_batch(ports, batch, now, today)


async def _notify_batch(ports: Ports, batch: list[Order], now: datetime,
                        today: str) -> int:
    rows: list[OutboxMessage] = []
    cache: dict[str, pipelines.Stages] = {}
    for order in batch:
        if order.order_type not in cache:
            cache[order.order_type] = await pipelines.load(order.order_type)
        stages = cache[order.order_type]
        if not is_overdue(order, stages, now):
            continue
        since = overdue_since(order, stages)
        async with in_transaction() as conn:
            # The day's mark is set with the notice: once per day however often this runs.
            if not await Order.filter(id=order.id, stage=order.stage).filter(
                    Q(overdue_notified_on__isnull=True) | ~Q(overdue_notified_on=today)
            ).using_db(conn).update(overdue_notified_on=today):
                continue
            days = (now - since).days if since else 0
            rows.append(await card(
                ports, conn, order, key=f"overdue:{order.id}:{order.stage}:{today}", kind="overdue",
                title=f"订单 {order.order_no}：「{order.stage}」已超期",
                description=f"「{order.stage}」已超过预计时长 {days} 天，请跟进并记录里程碑。",
                url=order_link(ports.settings.orders_link_base, order.order_no),
                recipients=[order.specialist]))
    await ports.outbox.flush(rows)
    return len(rows)
