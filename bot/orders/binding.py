"""Binding a customer group to its order, the join-way QR, and members joining.

One group per order and one order per group: ``customer_order.group_chat_id`` is unique, and
a second binding is a Conflict that names the other side.
"""

from __future__ import annotations

import re
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.infra.clock import utcnow
from bot.infra.logs import get_logger
from bot.models import CustomerGroup, CustomerGroupMember, GroupNotice, Notification, Order
from bot.orders import groups, grouptasks
from bot.orders.notify import card, order_link
from bot.orders.order_errors import Conflict, NotFound
from bot.orders.orders import get
from bot.ports import Ports

log = get_logger("bot.orders.binding")
STATE_PREFIX = "order:"  # join-way state (≤30 chars): "order:<id>"


def state_for(order: Order) -> str:
    return f"{STATE_PREFIX}{order.id}"


def order_id_in(state: str) -> int | None:
    tail = state[len(STATE_PREFIX):] if state.startswith(STATE_PREFIX) else ""
    return int(tail) if tail.isdigit() else None


def order_no_in(name: str, pattern: str) -> str | None:
    found = re.search(pattern, name)
    if found is None:
        return None
    return found.group(1) if found.groups() else found.group(0)


async def bind(ports: Ports, order_no: str, chat_id: str, *,
               now: datetime | None = None) -> Order:
    """Bind explicitly or by name; binding the same pair again changes nothing."""
    now = now or utcnow()
    order = await get(order_no)
    if order.group_chat_id == chat_id:
        return order
    if order.group_chat_id:
        raise Conflict(f"订单 {order_no} 已绑定客户群 {order.group_chat_id}："
                       "一个订单只能绑定一个群", "chat_id")
    other = await Order.get_or_none(group_chat_id=chat_id)
    if other is not None:
        raise Conflict(f"客户群 {chat_id} 已绑定订单 {other.order_no}："
                       "一个群只能绑定一个订单", "chat_id")
    group = await CustomerGroup.get_or_none(chat_id=chat_id)
    if group is None:
        try:
            async with groups.group_lock(ports, chat_id):
                group, _ = await groups.sync(ports, chat_id)
        except groups.GroupUnknown:
            raise NotFound(f"企业微信查不到客户群 {chat_id}", "chat_id") from None
    if group.dismissed:
        raise NotFound(f"客户群 {chat_id} 已解散", "chat_id")
    try:
        async with in_transaction() as conn:
            if not await Order.filter(id=order.id, group_chat_id__isnull=True).using_db(conn) \
                    .update(group_chat_id=chat_id, group_bound_at=now):
                raise Conflict(f"订单 {order_no} 刚刚被绑定了另一个群",
                               "chat_id")
            row = await card(ports, conn, order, key=f"bound:{order.id}:{chat_id}", kind="bound",
                             title=f"订单 {order_no} 已绑定客户群",
                             description=f"客户群「{group.name}」已绑定订单 {order_no}，"
                                         "之后的进度通知会发到这个群。",
                             url=order_link(ports.settings.orders_link_base, order_no))
    except IntegrityError:
        raise Conflict(f"客户群 {chat_id} 刚刚被绑定到另一个订单",
                       "chat_id") from None
    await ports.outbox.flush([row])
    await ports.jobs.enqueue("orders_join_way", order.id, job_id=f"joinway:{order.id}")
    log.info("binding.bound", order_id=order.id)
    return await Order.get(id=order.id)


async def create_join_way(ports: Ports, order_id: int) -> None:
    """Job: the bound group's QR with state = the order; the specialist gets it to pass on.

    Each step is saved as soon as it is done, so a retry after a failed ``get_join_way``
    does not create a second join way."""
    async with ports.store.lock(f"orders:order:{order_id}", wait=30):
        order = await Order.get_or_none(id=order_id)
        if order is None or not order.group_chat_id or order.join_qr_code:
            return
        app = ports.wecom
        if not order.join_way_config_id:
            made = await app.add_join_way(
                scene=2, chat_id_list=[order.group_chat_id], state=state_for(order),
                remark=f"订单{order.order_no}"[:30], auto_create_room=0)
            order.join_way_config_id = made["config_id"]
            await Order.filter(id=order.id).update(join_way_config_id=made["config_id"])
        config_id = order.join_way_config_id
        qr = (await app.get_join_way(config_id))["join_way"].get("qr_code", "")
        async with in_transaction() as conn:
            await Order.filter(id=order.id).using_db(conn).update(join_qr_code=qr)
            row = await card(
                ports, conn, order, key=f"joinqr:{order.id}:{config_id}", kind="join_qr",
                             title=f"订单 {order.order_no} 的入群二维码",
                             description="请把这个二维码发给客户：客户扫码入群后，"
                                         "系统会自动识别是这个订单的客户。",
                             url=qr, recipients=[order.specialist])
    await ports.outbox.flush([row])


async def members_joined(ports: Ports, chat_id: str,
                         joined: list[CustomerGroupMember], *, detail: str | None = None
                         ) -> None:
    """Customers who joined a bound group: link the order's customer (by the QR's state) and
    tell the team (``detail``: why, on the timeline, when it is not the join's callback)."""
    externals = [m for m in joined if m.type == groups.EXTERNAL]
    order = await Order.get_or_none(group_chat_id=chat_id) if externals else None
    if order is None:
        return
    rows = []
    notices: list[GroupNotice] = []
    for m in externals:
        by_qr = order_id_in(m.state) == order.id
        if order.customer_external_userid is None and by_qr:
            order.customer_external_userid = m.userid
            await Order.filter(id=order.id, customer_external_userid__isnull=True).update(
                customer_external_userid=m.userid)
        who = "客户" if m.userid == order.customer_external_userid else "新成员"
        how = "扫描订单二维码" if by_qr else "受邀"
        # Keyed by the join time: a redelivered event adds nothing, a later re-join does.
        when = int(m.join_time.timestamp()) if m.join_time else m.id
        async with in_transaction() as conn:
            rows.append(await card(
                ports, conn, order, key=f"joined:{order.id}:{m.userid}:{when}", kind="joined",
                title=f"订单 {order.order_no}：{who}已入群",
                description=f"{who}（{m.userid[-6:]}）{how}加入了订单群。",
                url=order_link(ports.settings.orders_link_base, order.order_no),
                detail=detail))
            if m.userid == order.customer_external_userid:
                welcome = await _welcome(ports, conn, order, chat_id)
                notices += [welcome] if welcome is not None else []
    await ports.outbox.flush(rows)
    for notice in notices:
        await grouptasks.schedule(ports, notice)


async def _welcome(ports: Ports, conn: BaseDBAsyncClient, order: Order,
                   chat_id: str) -> GroupNotice | None:
    """The order's customer is in its group: welcome them, with their progress page's link,
    in the group's next 群发 task (WeCom lets no server post into a customer group: the
    owner confirms it). Once per order and group."""
    if not ports.settings.orders_join_welcome or await Notification.filter(
            order_id=order.id, channel="group", kind=grouptasks.WELCOME, recipient=chat_id
    ).using_db(conn).exists():
        return None
    return await grouptasks.attach(conn, ports, order, None, utcnow(),
                                   kind=grouptasks.WELCOME)
