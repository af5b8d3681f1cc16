"""What other domains (conversations: escalation routing, {order_no}/{specialist} variables,
offering the order's group, 进度) may ask about orders. Read-only and cheap.

Two doors onto the same queries: ``order_for_customer`` / ``order_by_no`` (OrderSummary), and
``DbOrdersLookup``, the adapter of the ``bot.ports.OrdersLookup`` port that conversations use
(which also answers a customer's "到哪了", from ``bot.orders.progress``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.infra.clock import cst_date
from bot.models import Order
from bot.orders import appointments, lookup_store, pipelines, progress, progress_links
from bot.orders.orders import plan_of
from bot.ports import OrderChoice, OrderInfo, Ports
from bot.settings import Settings

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
    orders = await lookup_store.orders_of_customer(external_userid)
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


class DbOrdersLookup:
    """``bot.ports.OrdersLookup`` over the orders tables (built by the composition root with
    the settings, for the progress links' key and address, and the service's clock)."""

    def __init__(self, settings: Settings, now: Callable[[], datetime]) -> None:
        self.settings = settings
        self.now = now

    async def for_customer(self, external_userid: str) -> OrderInfo | None:
        order = await _current_order(external_userid)
        return await self._info(order) if order else None

    async def by_number(self, order_no: str) -> OrderInfo | None:
        if len(order_no) > ORDER_NO_MAX:
            return None
        order = await Order.get_or_none(order_no=order_no)
        return await self._info(order) if order else None

    async def staff_progress(self, order_no: str, *, with_link: bool) -> str | None:
        if len(order_no) > ORDER_NO_MAX:
            return None
        order = await Order.get_or_none(order_no=order_no)
        if order is None:
            return None
        now = self.now()
        stages = await pipelines.load(order.order_type)
        link = await progress_links.current_url(self.settings, order, now) \
            if with_link else None
        return progress.staff_text(order, stages, plan_of(order, stages, now), cst_date(now),
                                   link)

    async def orders_of_customer(self, external_userid: str) -> list[OrderChoice]:
        return [OrderChoice(o.id, o.order_no, o.stage)
                for o in await progress.open_orders(external_userid)]

    async def progress_reply(self, external_userid: str, order_id: int) -> str | None:
        return await progress.reply_for(self.settings, external_userid, order_id, self.now())

    async def appointment_answer(self, ports: Ports, external_userid: str,
                                 menu_id: str | None) -> str | None:
        return await appointments.answer(ports, external_userid, menu_id, self.now())

    @staticmethod
    async def _info(order: Order) -> OrderInfo:
        return OrderInfo(order_no=order.order_no, specialist=order.specialist,
                         stage=order.stage, group_chat_id=order.group_chat_id)
