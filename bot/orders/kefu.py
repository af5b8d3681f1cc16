"""Milestones to the customer in 微信客服, only when the session allows a message.

WeCom allows ``kf/send_msg`` only while the session is in state 0 or 1, and at most 5
messages within 48 h after the customer's last message (protocol.md §3.2). The state is
asked at send time; the allowance is a shared counter in the store, keyed by the customer's
last message, which whoever reads the customer's messages records with
``note_customer_message`` (the conversations side's kf pull) and every sender takes from with
``take_allowance``. A notice that may not go is recorded as skipped with the reason.
"""

from __future__ import annotations

import time
from datetime import timedelta

from tortoise.transactions import in_transaction

from bot import outbox
from bot.context import Services
from bot.logs import get_logger
from bot.models import Milestone, Notification, NotificationStatus, Order
from bot.orders import pipelines
from bot.orders.errors import utcnow
from bot.store import Store

log = get_logger("bot.orders.kefu")
WINDOW = 48 * 3600.0
MAX_SENDS = 5
OPEN_STATES = (0, 1)


def _base(open_kfid: str, external_userid: str) -> str:
    return f"kf:allowance:{open_kfid}:{external_userid}"


async def note_customer_message(store: Store, open_kfid: str, external_userid: str,
                                at: float | None = None) -> None:
    """A customer wrote to ``open_kfid``: a fresh 48 h window with 5 messages."""
    at = time.time() if at is None else at
    await store.set(_base(open_kfid, external_userid) + ":last_in", repr(at), ttl=WINDOW)
    await store.set(f"kf:account_of:{external_userid}", open_kfid, ttl=WINDOW)


async def take_allowance(store: Store, open_kfid: str, external_userid: str,
                         now: float | None = None) -> str | None:
    """Take one message from the allowance; None when taken, else why not."""
    now = time.time() if now is None else now
    base = _base(open_kfid, external_userid)
    last_in = await store.get(base + ":last_in")
    if last_in is None or now - float(last_in) > WINDOW:
        return "the customer has not written in the last 48 h"
    used = await store.incr(f"{base}:sent:{last_in}", ttl=WINDOW)
    if used > MAX_SENDS:
        return f"the {MAX_SENDS} messages allowed after the customer's last message are used"
    return None


async def _skip(n: Notification, why: str) -> None:
    await Notification.filter(id=n.id).update(status=NotificationStatus.SKIPPED, detail=why)
    log.info("kefu.skipped", notification_id=n.id, reason=why[:60])


async def send_notice(services: Services, notification_id: int) -> None:
    """Job: decide and, if allowed, queue the kefu message for one milestone notice."""
    n = await Notification.get_or_none(id=notification_id)
    if n is None or n.status != NotificationStatus.PENDING or n.outbox_id is not None:
        return
    order = await Order.get(id=n.order_id)  # type: ignore[attr-defined]
    euid = n.recipient
    open_kfid = (order.open_kfid or await services.store.get(f"kf:account_of:{euid}")
                 or services.settings.orders_kf_account)
    if not open_kfid:
        await _skip(n, "no kf account is known for this customer")
        return
    state = (await services.wecom.app("main").kf_service_state_get(open_kfid, euid)) \
        .get("service_state")
    if state not in OPEN_STATES:
        await _skip(n, f"kf session state {state}: WeCom allows a message only in 0/1")
        return
    why = await take_allowance(services.store, open_kfid, euid)
    if why is not None:
        await _skip(n, why)
        return
    m = await Milestone.get(id=n.milestone_id)  # type: ignore[attr-defined]
    stages = await pipelines.load(order.order_type)
    nxt = stages.after(m.stage) if m.stage in stages.names else None
    tpl = stages.get(m.stage).customer_template if m.stage in stages.names else "{stage}"
    text = pipelines.render(tpl, order_no=order.order_no, stage=m.stage,
                            note=f"{m.note}。" if m.note else "",
                            next_stage=nxt.name if nxt else "完成",
                            next_date=order.expected_dates.get(nxt.name, "") if nxt else "",
                            customer=order.customer_name, specialist=order.specialist)
    async with in_transaction() as conn:
        row = await outbox.add(key=f"kefu:{n.id}", app="main", api="kf_send_msg",
                               args={"touser": euid, "open_kfid": open_kfid, "msgtype": "text",
                                     "payload": {"content": text}},
                               recipient=euid, ref=f"order:{order.id}", using_db=conn)
        await Notification.filter(id=n.id).using_db(conn).update(outbox_id=row.id)
    await outbox.flush(services, [row])


async def sweep(services: Services, stale_seconds: float = 60.0) -> int:
    """Re-enqueue kefu notices whose decision job was lost."""
    cutoff = utcnow() - timedelta(seconds=stale_seconds)
    rows = await Notification.filter(channel="kefu", status=NotificationStatus.PENDING,
                                     outbox_id__isnull=True, created_at__lt=cutoff).limit(500)
    for n in rows:
        await services.queue.enqueue("orders_kefu_notice", n.id, job_id=f"kefu:{n.id}:swept")
    return len(rows)
