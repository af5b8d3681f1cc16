"""Milestones to the customer in 微信客服, only when the session allows a message.

WeCom allows ``kf/send_msg`` only while the session is in state 0 or 1, and at most 5
messages within 48 h after the customer's last message (protocol.md §3.2). The state is
asked at send time; the allowance is the conversations side's own record of it
(``KfConversation``: the customer's last message and what was sent since), so the bot's
replies and milestone notices share one budget. A notice that may not go is recorded as
skipped with the reason.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from bot.infra.clock import utcnow
from bot.infra.logs import get_logger
from bot.models import KfConversation, Milestone, Notification, NotificationStatus, Order
from bot.orders import appointments, order_surveys, pipelines, progress, progress_links, reach
from bot.ports import Ports
from bot.protocol import text_limits as L

log = get_logger("bot.orders.kefu_notices")
WINDOW = timedelta(hours=48)
OPEN_STATES = (0, 1)


async def kf_account_of(order: Order, external_userid: str, default: str) -> str:
    """The order's kf account, else the one the customer last wrote to, else the default."""
    if order.open_kfid:
        return order.open_kfid
    conv = await KfConversation.filter(external_userid=external_userid,
                                       last_customer_at__isnull=False) \
        .order_by("-last_customer_at").first()
    return conv.open_kfid if conv else default


async def take_allowance(ports: Ports, open_kfid: str, external_userid: str,
                         count: int = 1) -> str | None:
    """Take ``count`` messages from the customer's allowance, all or none; None when taken,
    else why not."""
    limit = ports.settings.conversations.kf_budget
    for _ in range(5):  # optimistic: retry when a reply was counted concurrently
        conv = await KfConversation.get_or_none(open_kfid=open_kfid,
                                                external_userid=external_userid)
        if conv is None or conv.last_customer_at is None \
                or ports.clock.now() - conv.last_customer_at > WINDOW:
            return "客户 48 小时内没有发过消息，企业微信不允许再发"
        if conv.sent_since_customer + count > limit:
            return (f"客户最后一条消息后允许发送的 {limit} 条已用完"
                    if count == 1 else f"这条通知需要 {count} 条消息，超过了客户剩余的 "
                    f"{limit - conv.sent_since_customer} 条额度")
        if await KfConversation.filter(
                id=conv.id, sent_since_customer=conv.sent_since_customer).update(
                sent_since_customer=F("sent_since_customer") + count):
            return None
    return "客户的消息额度变化太快，未能发送"


async def _skip(n: Notification, why: str) -> None:
    await Notification.filter(id=n.id).update(status=NotificationStatus.SKIPPED, detail=why)
    log.info("kefu.skipped", notification_id=n.id, reason=why[:60])


async def send_notice(ports: Ports, notification_id: int) -> None:
    """Job: decide and, if allowed, queue the kefu message(s) of one notice to a customer:
    a milestone's, an appointment's offer (a menu) or reminder, an order survey (a menu);
    for a milestone's, then settle how it reaches the customer (bot.orders.reach)."""
    n = await Notification.get_or_none(id=notification_id)
    if n is None:
        return
    if n.status == NotificationStatus.PENDING and n.outbox_id is None:
        await _decide(ports, n)
    if n.kind == "milestone" and n.milestone_id is not None:  # type: ignore[attr-defined]
        await reach.settle(ports, n.milestone_id)  # type: ignore[attr-defined]


async def _decide(ports: Ports, n: Notification) -> None:
    order = await Order.get(id=n.order_id)  # type: ignore[attr-defined]
    euid = n.recipient
    now = ports.clock.now()
    # What to send is decided before WeCom is asked anything: one no longer wanted (an
    # appointment answered meanwhile, a survey rated on the page) costs no call.
    parts = await _parts(ports, n, order, now)
    if isinstance(parts, str):
        await _skip(n, parts)
        return
    open_kfid = await kf_account_of(order, euid, ports.settings.orders_kf_account)
    if not open_kfid:
        await _not_sent(ports, n, "不知道这位客户用的是哪个客服账号")
        return
    state = (await ports.wecom.kf_service_state_get(open_kfid, euid)) \
        .get("service_state")
    if state not in OPEN_STATES:
        await _not_sent(ports, n, f"客服会话状态为 {state}：企业微信只允许在状态 0/1 时发送")
        return
    why = await take_allowance(ports, open_kfid, euid, len(parts))
    if why is not None:
        ports.metrics.kf_budget_skip("notice", len(parts))
        await _not_sent(ports, n, why)
        return
    async with in_transaction() as conn:
        rows = [await ports.outbox.add(
            key=f"kefu:{n.id}" if i == 0 else f"kefu:{n.id}:{i + 1}", api="kf_send_msg",
            args={"touser": euid, "open_kfid": open_kfid, "msgtype": msgtype,
                  "payload": payload},
            recipient=euid, ref=f"order:{order.id}", using_db=conn)
            for i, (msgtype, payload) in enumerate(parts)]
        await Notification.filter(id=n.id).using_db(conn).update(outbox_id=rows[0].id)
    if n.kind == order_surveys.KIND:
        await order_surveys.mark(n, "sent")
    if len(rows) == 1:
        await ports.outbox.flush(rows)
    else:  # in order; a part that must wait holds the rest behind it (same ref)
        await ports.outbox.send_now(rows, fresh=True)


async def _parts(ports: Ports, n: Notification, order: Order, now: datetime
                 ) -> list[tuple[str, dict[str, Any]]] | str:
    """The messages of a notice, or why it should not go any more."""
    if n.kind == appointments.OFFER:
        got = await appointments.offer_payload(n, order, now)
        return got if isinstance(got, str) else [got]
    if n.kind == appointments.REMINDER:
        return [("text", {"content": await appointments.reminder_text(n, order, now)})]
    if n.kind == order_surveys.KIND:
        got = await order_surveys.menu_payload(ports, n, order, now)
        return got if isinstance(got, str) else [got]
    m = await Milestone.get(id=n.milestone_id)  # type: ignore[attr-defined]
    stages = await pipelines.load(order.order_type)
    tpl = stages.get(m.stage).customer_template if m.stage in stages.names else "{stage}"
    link = await progress_links.current_url(ports.settings, order, now)
    text = progress.with_link(tpl, pipelines.render(tpl, **progress.notice_values(
        order, stages, stage=m.stage, note=m.note, reached_at=m.occurred_at, now=now,
        specialist=await ports.directory.staff_name(order.specialist)
        if pipelines.uses(tpl, "specialist") else "", progress_url=link)), link)
    # Over WeCom's 2048 bytes once filled: several messages in order, never cut; each one
    # counts against the customer's allowance.
    return [("text", {"content": part}) for part in L.split(text, L.KF_TEXT)]


async def _not_sent(ports: Ports, n: Notification, why: str) -> None:
    """kf could not carry it: recorded as skipped with why; an appointment's offer then
    asks the specialist to reach the customer in person."""
    if n.kind == appointments.OFFER:
        await appointments.unreachable(ports, n, why)
        return
    await _skip(n, why)
    if n.kind == order_surveys.KIND:
        await order_surveys.mark(n, "skipped")


async def sweep(ports: Ports, stale_seconds: float = 60.0) -> int:
    """Re-enqueue kefu notices whose decision job was lost."""
    cutoff = utcnow() - timedelta(seconds=stale_seconds)
    rows = await Notification.filter(channel="kefu", status=NotificationStatus.PENDING,
                                     outbox_id__isnull=True, created_at__lt=cutoff).limit(500)
    for n in rows:
        await ports.jobs.enqueue("orders_kefu_notice", n.id, job_id=f"kefu:{n.id}:swept")
    return len(rows)
