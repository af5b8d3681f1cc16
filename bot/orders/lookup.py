"""What other domains (conversations: escalation routing, {order_no}/{specialist} variables,
offering the order's group) may ask about orders. Read-only and cheap."""

from __future__ import annotations

from dataclasses import dataclass

from bot.models import CustomerGroupMember, Order
from bot.orders import pipelines


@dataclass(frozen=True)
class OrderSummary:
    order_no: str
    stage: str | None  # None: no milestone yet
    specialist: str  # WeCom userid
    group_chat_id: str | None  # the bound customer group
    customer_external_userid: str | None
    team: tuple[str, ...]  # every team userid, specialist first
    finished: bool  # in the pipeline's last stage


async def _summary(order: Order) -> OrderSummary:
    from bot.orders.orders import team_of

    stages = await pipelines.load(order.order_type)
    finished = bool(stages.names) and order.stage == stages.names[-1]
    return OrderSummary(order.order_no, order.stage, order.specialist, order.group_chat_id,
                        order.customer_external_userid, tuple(team_of(order).members()),
                        finished)


async def order_by_no(order_no: str) -> OrderSummary | None:
    order = await Order.get_or_none(order_no=order_no)
    return await _summary(order) if order else None


async def order_for_customer(external_userid: str) -> OrderSummary | None:
    """The customer's current order: the newest unfinished one, else the newest. Found by
    the order's customer, or by the customer being in an order's bound group."""
    orders = await Order.filter(customer_external_userid=external_userid).order_by("-id")
    if not orders:
        chats = await CustomerGroupMember.filter(
            userid=external_userid, left_at__isnull=True).values_list("group_id", flat=True)
        orders = await Order.filter(group_chat_id__in=list(chats)).order_by("-id") \
            if chats else []
    summaries = [await _summary(o) for o in orders]
    return next((s for s in summaries if not s.finished), summaries[0] if summaries else None)
