"""Whether a milestone notice reached the customer, said honestly.

A server reaches an order's customer two ways only: a 微信客服 message (the session in
state 0/1, at most 5 messages in the 48 h after the customer's last one: bot.orders.
kefu_notices) and the customer group's owner-confirmed 群发 task (one per group per day:
bot.orders.grouptasks). Once a milestone's kefu notice is decided (or at once, for an order
without the customer's WeCom identity), the outcome is kept on the milestone
(``Milestone.reach``): the channel used, else why each one was closed. When none was open
the order's specialist is asked to reach the customer in person, at most once a day per
order (``Order.reach_asked_on``), and the ask is one more notice on the milestone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from bot.infra.clock import cst_day, utcnow
from bot.infra.logs import get_logger
from bot.models import (
    CustomerGroupMember,
    GroupNotice,
    GroupNoticeStatus,
    Milestone,
    Notification,
    NotificationStatus,
    Order,
)
from bot.orders.notify import card, order_link
from bot.orders.schemas import ReachOut
from bot.ports import Ports

log = get_logger("bot.orders.reach")
ASK = "reach_ask"  # the notification kind of the ask to the specialist
NO_IDENTITY = "订单没有客户的企业微信身份（external_userid），无法发微信客服消息"


def _kefu_closed(kefu: Notification | None) -> str | None:
    """Why the kefu notice did not go (None: it went, or was queued to go)."""
    if kefu is None:
        return NO_IDENTITY
    if kefu.status in (NotificationStatus.SKIPPED, NotificationStatus.FAILED):
        return kefu.detail or "未发送"
    return None


async def _group_closed(order: Order, group: Notification | None, today: str) -> str | None:
    """Why the group's 群发 task will not carry the notice today (None: it will, once the
    owner confirms it)."""
    if group is None or group.group_notice_id is None:  # type: ignore[attr-defined]
        return "订单没有绑定客户群"
    notice = await GroupNotice.get(id=group.group_notice_id)  # type: ignore[attr-defined]
    if notice.status == GroupNoticeStatus.FAILED:
        return notice.detail or "群发任务失败"
    if notice.status == GroupNoticeStatus.COLLECTING:
        if notice.day > today:
            return (f"这个群今天的群发已用（企业微信每个群每天一次），"
                    f"{notice.day[5:7].lstrip('0')}月{notice.day[8:].lstrip('0')}日才能发")
        if await GroupNotice.filter(chat_id=notice.chat_id, status=GroupNoticeStatus.CREATED
                                    ).exclude(id=notice.id).exists():
            return "上一条群发任务还在等群主确认，这个群今天收不到新的群发"
    euid = order.customer_external_userid
    if euid and await CustomerGroupMember.filter(group_id=notice.chat_id).exists() and \
            not await CustomerGroupMember.filter(group_id=notice.chat_id, userid=euid,
                                                 left_at=None).exists():
        return "客户不在订单的客户群里"
    return None


async def settle(ports: Ports, milestone_id: int) -> None:
    """Decide and keep how the milestone's notice reaches the customer (once; a repeat call
    does nothing), asking the specialist when nothing does. Waits (returns) while the kefu
    notice is still undecided: its job calls again."""
    m = await Milestone.get_or_none(id=milestone_id)
    if m is None or m.reach is not None:
        return
    notes = await Notification.filter(milestone_id=m.id, channel__in=("kefu", "group"))
    kefu = next((n for n in notes if n.channel == "kefu"), None)
    group = next((n for n in notes if n.channel == "group"), None)
    if kefu is not None and kefu.status == NotificationStatus.PENDING \
            and kefu.outbox_id is None:
        return
    order = await Order.get(id=m.order_id)  # type: ignore[attr-defined]
    now = ports.clock.now()
    today = cst_day(now)
    why_kefu = _kefu_closed(kefu)
    why_group = await _group_closed(order, group, today)
    channel = "kefu" if why_kefu is None else "group" if why_group is None else None
    rows = []
    async with in_transaction() as conn:
        # The conditional update decides who settles it (the kefu job or the sweep).
        if not await Milestone.filter(id=m.id, reach__isnull=True).using_db(conn).update(
                reach={}):
            return
        asked = None
        if channel is None:
            asked = "today"
            if await Order.filter(id=order.id).filter(
                    Q(reach_asked_on__isnull=True) | ~Q(reach_asked_on=today)
            ).using_db(conn).update(reach_asked_on=today):
                asked = "sent"
                rows.append(await card(
                    ports, conn, order, key=f"reach:{order.id}:{today}", kind=ASK,
                    title=f"请亲自联系客户：订单 {order.order_no}",
                    description=_ask_text(order, m.stage, why_kefu, why_group),
                    url=order_link(ports.settings.orders_link_base, order.order_no),
                    recipients=[order.specialist], milestone=m))
        decision: dict[str, Any] = {"channel": channel, "kefu": why_kefu, "group": why_group,
                                    "asked": asked, "at": now.isoformat()}
        await Milestone.filter(id=m.id).using_db(conn).update(reach=decision)
    await ports.outbox.flush(rows)
    log.info("reach.settled", order_id=order.id, milestone_id=m.id, channel=channel,
             asked=asked)


def _ask_text(order: Order, stage: str, why_kefu: str | None, why_group: str | None) -> str:
    who = order.customer_name or "客户"
    phone = f"（{order.customer_phone}）" if order.customer_phone else ""
    return (f"「{stage}」的进度没能通知到{who}{phone}：\n微信客服：{why_kefu}\n"
            f"客户群：{why_group}\n请电话或当面告知客户。每个订单每天最多提醒一次。")


async def sweep(ports: Ports, stale_seconds: float = 60.0, window: float = 86400.0) -> int:
    """Settle the day's milestones whose decision was lost (a crash after the commit)."""
    now = utcnow()  # created_at is the database's wall-clock time
    rows = await Milestone.filter(
        reach__isnull=True, created_at__lt=now - timedelta(seconds=stale_seconds),
        created_at__gt=now - timedelta(seconds=window)).limit(500)
    for m in rows:
        await settle(ports, m.id)
    return len(rows)


def out(m: Milestone) -> ReachOut | None:
    """None while undecided (and for milestones recorded before this was kept)."""
    r = m.reach
    if not r:
        return None
    return ReachOut(channel=r.get("channel"), kefu=r.get("kefu"),
                    group=r.get("group"), asked=r.get("asked"),
                    at=datetime.fromisoformat(r["at"]) if r.get("at") else None)
