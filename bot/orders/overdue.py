"""A stage past its expected duration: the specialist is told once per (CST) day, inside
working hours only (``business_hours``): on a day off or at night the alert waits for the
next opening (the scan runs every few minutes, so it goes out then)."""

from __future__ import annotations

from datetime import datetime

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from bot.infra.clock import cst_date, cst_day
from bot.models import Order, OutboxMessage
from bot.orders import pipelines
from bot.orders.notify import card, order_link
from bot.orders.orders import is_overdue, plan_of
from bot.ports import Ports
from keywords.workdays import workdays_between

BATCH = 500


async def notify(ports: Ports, now: datetime | None = None) -> int:
    """Scan every started order, in id batches; returns the notices queued."""
    now = now or ports.clock.now()
    if not ports.settings.working_hours.is_open(now):
        return 0
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
        due = plan_of(order, stages, now).due
        async with in_transaction() as conn:
            # The day's mark is set with the notice: once per day however often this runs.
            if not await Order.filter(id=order.id, stage=order.stage).filter(
                    Q(overdue_notified_on__isnull=True) | ~Q(overdue_notified_on=today)
            ).using_db(conn).update(overdue_notified_on=today):
                continue
            days = max(1, workdays_between(due, cst_date(now))) if due else 1
            rows.append(await card(
                ports, conn, order, key=f"overdue:{order.id}:{order.stage}:{today}", kind="overdue",
                title=f"订单 {order.order_no}：「{order.stage}」已超期",
                description=f"「{order.stage}」已超过预计时长 {days} 个工作日，"
                            "请跟进并记录里程碑。",
                url=order_link(ports.settings.orders_link_base, order.order_no),
                recipients=[order.specialist]))
    await ports.outbox.flush(rows)
    return len(rows)
