"""Team notices: one app text card per event to the whole team (one API call, ``touser``
joined), tracked per recipient by a Notification row each. Always inside the caller's
transaction, so the event and its notices commit together."""

from __future__ import annotations

from collections.abc import Sequence

from tortoise.backends.base.client import BaseDBAsyncClient

from bot.models import Appointment, Milestone, Notification, Order, OutboxMessage
from bot.orders.orders import team_of
from bot.ports import Ports


def clip(text: str, limit: int) -> str:
    """At most ``limit`` UTF-8 bytes (WeCom counts bytes), cut on a character boundary."""
    raw = text.encode()
    if len(raw) <= limit:
        return text
    return raw[: limit - 3].decode(errors="ignore") + "…"


def order_link(base: str, order_no: str) -> str:
    return f"{base.rstrip('/')}/{order_no}"


async def card(
    ports: Ports, conn: BaseDBAsyncClient, order: Order, *, key: str, kind: str, title: str,
    description: str, url: str, recipients: Sequence[str] | None = None,
    milestone: Milestone | None = None, appointment: Appointment | None = None,
    detail: str | None = None,
) -> OutboxMessage:
    """A text card to ``recipients`` (default: the order's team) with one Notification each
    (``detail``: why it was sent, shown on the order's timeline)."""
    users = list(recipients) if recipients is not None else team_of(order).members()
    row = await ports.outbox.add(
        key=key, api="message_send",
        args={"msgtype": "textcard", "touser": users, "payload": {
            "title": clip(title, 128), "description": clip(description, 512), "url": url,
            "btntxt": "详情"}},
        recipient="|".join(users), ref=f"order:{order.id}", using_db=conn)
    for uid in users:
        await Notification.create(order=order, milestone=milestone,
                                  appointment_id=appointment.id if appointment else None,
                                  kind=kind, channel="app", recipient=uid, outbox_id=row.id,
                                  detail=detail,
                                  using_db=conn)
    return row
