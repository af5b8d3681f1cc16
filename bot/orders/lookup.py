"""What other domains (conversations: escalation routing, {order_no}/{specialist} variables,
offering the order's group, 进度) may ask about orders. Read-only and cheap.

Two doors onto the same queries: ``order_for_customer`` / ``order_by_no`` (OrderSummary), and
``DbOrdersLookup``, the adapter of the ``bot.ports.OrdersLookup`` port that conversations use.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.models import CustomerGroupMember, Order
from bot.orders import pipelines
from bot.ports import OrderInfo

ORDER_NO_MAX = Order._meta.fields_map["order_no"].max_length  # type: ignore[attr-defined]


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
    if len(order_no) > ORDER_NO_MAX:  # no order has it (and the column would refuse it)
        return None
    order = await Order.get_or_none(order_no=order_no)
    return await _summary(order) if order else None


async def _current_order(external_userid: str) -> Order | None:
    orders = await Order.filter(customer_external_userid=external_userid).order_by("-id")
    if not orders:
        chats = await CustomerGroupMember.filter(
            userid=external_userid, left_at__isnull=True).values_list("group_id", flat=True)
        orders = await Order.filter(group_chat_id__in=list(chats)).order_by("-id") \
            if chats else []
    for order in orders:
        stages = await pipelines.load(order.order_type)
        if not stages.names or order.stage != stages.names[-1]:
            return order
    return orders[0] if orders else None


async def order_for_customer(external_userid: str) -> OrderSummary | None:
    """The customer's current order: the newest unfinished one, else the newest. Found by
    the order's customer, or by the customer being in an order's bound group."""
    order = await _current_order(external_userid)
    return await _summary(order) if order else None


def progress_text(order: Order, stages: pipelines.Stages) -> str:
    """What ``进度 <订单号>`` answers: stage, since when, next step and its date, overdue."""
    from bot.orders.orders import out

    view = out(order, stages)
    lines = [f"订单 {order.order_no}（{' → '.join(stages.names)}）",
             f"当前阶段：{order.stage or '未开始'}"
             + (f"（自 {order.stage_since:%m-%d}）" if order.stage_since else ""),
             f"下一步：{view.next_stage or '已完成'}"
             + (f"，预计 {order.expected_dates[view.next_stage]}"
                if view.next_stage in order.expected_dates else "")]
    if view.overdue:
        lines.append("⚠ 当前阶段已超期")
    lines.append(f"客户群：{'已绑定' if order.group_chat_id else '未绑定'}")
    return "\n".join(lines)


class DbOrdersLookup:
    """``bot.ports.OrdersLookup`` over the orders tables (built by the composition root)."""

    async def for_customer(self, external_userid: str) -> OrderInfo | None:
        order = await _current_order(external_userid)
        return await self._info(order) if order else None

    async def by_number(self, order_no: str) -> OrderInfo | None:
        if len(order_no) > ORDER_NO_MAX:
            return None
        order = await Order.get_or_none(order_no=order_no)
        return await self._info(order) if order else None

    @staticmethod
    async def _info(order: Order) -> OrderInfo:
        stages = await pipelines.load(order.order_type)
        return OrderInfo(order_no=order.order_no, specialist=order.specialist,
                         stage=order.stage, group_chat_id=order.group_chat_id,
                         summary=progress_text(order, stages))

