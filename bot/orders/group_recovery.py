"""The customer groups of orders after an outage: their change_external_chat callbacks may
have been given up on, so each bound group is read again (groupchat/get) and what we missed
is applied as its callback would have applied it:

- a member who joined: added to our copy; a customer is linked to the order by the join
  QR's state and the team gets the "joined" card, whose timeline entry says it came from
  reconciliation;
- a member who left: marked left (when is unknown: the callback carried it);
- a group WeCom no longer knows: dismissed, the order free to bind another.

Each is kept in ``missed_event`` with the order, why and what was done, and shows on the
order's timeline. Reading a group again is idempotent: a second reconciliation finds our copy
equal to WeCom's, and a join's callback arriving late finds the member known (or the group's
version current) and does nothing.
"""

from __future__ import annotations

from datetime import datetime

from bot.infra.clock import utcnow
from bot.infra.logs import get_logger
from bot.models import CustomerGroupMember, MissedEvent, Order
from bot.orders import binding, groups
from bot.ports import Ports

log = get_logger("bot.orders.recovery")
JOIN, LEAVE, GONE = "group_join", "group_leave", "group_dismissed"
NOTE = "停机补录（outage reconciliation）：入群通知未收到，恢复后从企业微信读回"


async def bound_orders(after_id: int, limit: int) -> list[Order]:
    """Orders with a customer group, by id, past ``after_id``."""
    return await Order.filter(id__gt=after_id, group_chat_id__isnull=False).order_by(
        "id").limit(limit)


def _who(m: CustomerGroupMember) -> dict[str, str | None]:
    external = m.type == groups.EXTERNAL
    return {"userid": None if external else m.userid,
            "external_userid": m.userid if external else None}


def _ts(at: datetime | None) -> int:
    return int(at.timestamp()) if at else 0


async def recover_group(ports: Ports, order: Order, *, outage_id: int | None,
                        window: tuple[datetime, datetime], reason: str) -> list[MissedEvent]:
    """Read the order's group again and apply what we missed; the missed items found."""
    chat_id = order.group_chat_id
    if not chat_id:
        return []
    common = {"outage_id": outage_id, "window_start": window[0], "window_end": window[1],
              "chat_id": chat_id, "order_no": order.order_no, "reason": reason[:200]}
    async with groups.group_lock(ports, chat_id):
        before = {m.userid: m for m in await groups.members(chat_id)}
        try:
            _, joined = await groups.sync(ports, chat_id)
        except groups.GroupUnknown:
            row, new = await MissedEvent.claim(kind=GONE, ref=f"{chat_id}/{order.id}",
                                               action="客户群已解散：订单已解除绑定", **common)
            if row.done_at is None:
                await groups.dismiss(chat_id)
                await MissedEvent.filter(id=row.id).update(done_at=utcnow())
            log.info("orders.group_gone_reconciled", order_id=order.id)
            return [row] if new else []
        now_in = {m.userid for m in await groups.members(chat_id)}
        left = [m for uid, m in before.items() if uid not in now_in]
    found: list[MissedEvent] = []
    tell: list[CustomerGroupMember] = []
    for m in joined:
        action = ("已补记入群；已通知订单团队" if m.type == groups.EXTERNAL else "已补记入群")
        row, new = await MissedEvent.claim(
            kind=JOIN, ref=f"{chat_id}/{m.userid}/{_ts(m.join_time)}/joined",
            happened_at=m.join_time, action=action, **_who(m), **common)
        if new:
            found.append(row)
            tell.append(m)
    if tell:
        await binding.members_joined(ports, chat_id, tell, detail=NOTE)
    if found:
        await MissedEvent.filter(id__in=[r.id for r in found]).update(done_at=utcnow())
    for m in left:
        row, new = await MissedEvent.claim(
            kind=LEAVE, ref=f"{chat_id}/{m.userid}/{_ts(m.join_time)}/left",
            action="已补记退群（退群时间不详）", done_at=utcnow(), **_who(m), **common)
        if new:
            found.append(row)
    if found:
        log.info("orders.group_reconciled", order_id=order.id, joined=len(tell),
                 left=len(left))
    return found
