"""What conversations need to know about orders, behind one small interface.

Orders, milestones and order groups belong to the orders domain (issue 5). Conversations only
ask: does this customer have an order (to route an escalation to its specialist, fill
``{order_no}``/``{specialist}`` and offer the order's group), and what is the state of order N
(the ``进度 <订单号>`` command)? The default finds nothing; the orders domain installs its
implementation at start-up with :func:`install`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class OrderInfo:
    order_no: str
    specialist: str | None = None  # userid of the order's service specialist
    stage: str | None = None  # current milestone, e.g. "量尺"
    group_chat_id: str | None = None  # the order's customer group, once bound
    summary: str | None = None  # one or two lines for 进度 <订单号>


class OrdersLookup(Protocol):
    async def for_customer(self, external_userid: str) -> OrderInfo | None:
        """The customer's current (most recent open) order, if any."""
        ...

    async def by_number(self, order_no: str) -> OrderInfo | None:
        """One order by its number, if it exists."""
        ...


class NoOrders:
    """The default until the orders domain installs itself: no customer has an order."""

    async def for_customer(self, external_userid: str) -> OrderInfo | None:
        return None

    async def by_number(self, order_no: str) -> OrderInfo | None:
        return None


_current: OrdersLookup = NoOrders()


def install(lookup: OrdersLookup) -> None:
    global _current
    _current = lookup


def lookup() -> OrdersLookup:
    return _current
