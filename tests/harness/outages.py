"""A storage outage as callbacks see it: the inbox table made unwritable, so every callback's
insert fails and is answered 503 (as with the database down) until it is put back."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.infra.db import connection
from bot.models import CustomerGroupMember, Order
from tests.harness.waiting import one, wait_for
from tests.harness.world import CUSTOMER


async def storage_out() -> None:
    """The inbox table gone: every callback's insert fails, as with the database down."""
    await connection().execute_script("ALTER TABLE inbox_event RENAME TO inbox_event_away")


async def storage_back() -> None:
    await connection().execute_script("ALTER TABLE inbox_event_away RENAME TO inbox_event")


async def code_and_order_group(w: Any, admin: Any, order_no: str, *,
                               tag_ids: Sequence[str] = (), team: dict[str, str] | None = None,
                               ) -> tuple[dict[str, Any], Order]:
    """What an outage can lose: a channel code (with ``tag_ids``), and an order whose group
    the seeded customer is in (``w``: a World, ``admin``: an Admin)."""
    body: dict[str, Any] = {"name": "展会", "users": ["zhangwei"], "welcome_text": "您好，欢迎！"}
    if tag_ids:
        body["tags"] = list(tag_ids)
    status, way = await admin.call("POST", "/contact-ways", body)
    assert status == 201, way
    status, _ = await admin.call("POST", "/orders", {
        "order_no": order_no, "customer": {"name": "周先生", "phone": "13800000000"},
        "team": team or {"specialist": "zhangwei"}})
    assert status == 201
    await w.sandbox.staff_creates_group("zhangwei", f"{order_no} 全屋定制服务群")
    order = await wait_for(lambda: one(Order, order_no=order_no, join_qr_code__isnull=False))
    await w.sandbox.customer_joins_group(CUSTOMER, chat_id=order.group_chat_id)
    await wait_for(lambda: one(CustomerGroupMember, userid=CUSTOMER, left_at__isnull=True))
    await w.settle()
    return way, order
