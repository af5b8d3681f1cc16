"""Outbound notifications (the outbox): list, inspect failures, retry, delivery statistics."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from tortoise.functions import Count

from bot.delivery import outbox
from bot.infra.clock import utcnow
from bot.models import ConversationMessage, OutboxMessage, OutboxStatus
from bot.web.admin.framework import Api, ApiError, ApiRequest

api = Api()
READ = ("admin", "specialist", "viewer")
Status = Literal["pending", "sent", "delivered", "failed", "missed"]


class NotificationQuery(BaseModel):
    status: Status | None = None
    ref: str | None = Field(default=None, max_length=96)
    recipient: str | None = Field(default=None, max_length=128)
    limit: int = Field(default=100, ge=1, le=500)


class Notification(BaseModel):
    id: int
    key: str
    api: str
    recipient: str
    ref: str | None
    status: Status
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime


class DeliveryStats(BaseModel):
    by_status: dict[str, int]
    by_api: dict[str, dict[str, int]]


def to_out(row: OutboxMessage) -> Notification:
    return Notification(
        id=row.id, key=row.key, api=row.api, recipient=row.recipient, ref=row.ref,
        status=row.status.value, attempts=row.attempts, last_error=row.last_error,
        created_at=row.created_at, sent_at=row.sent_at, next_attempt_at=row.next_attempt_at,
    )


@api.route("GET", "/notifications", roles=READ, query=NotificationQuery,
           response=[Notification], tag="notifications")
async def list_notifications(req: ApiRequest) -> list[Notification]:
    """Outbound messages, newest first, filtered by status, ref (e.g. order:A1) or recipient."""
    q: NotificationQuery = req.query
    filters: dict[str, Any] = {}
    if q.status:
        filters["status"] = q.status
    if q.ref:
        filters["ref__startswith"] = q.ref
    if q.recipient:
        filters["recipient"] = q.recipient
    rows = await OutboxMessage.filter(**filters).order_by("-id").limit(q.limit)
    return [to_out(r) for r in rows]


@api.route("POST", "/notifications/{id:[0-9]{1,18}}/retry", roles=("admin", "specialist"),
           response=Notification, tag="notifications")
async def retry_notification(req: ApiRequest) -> Notification:
    """Send a failed or missed message again (a new attempt; sent ones are left alone)."""
    try:
        row_id = int(req.params["id"])
    except ValueError:
        raise ApiError(404, "not_found", "no such notification") from None
    row = await OutboxMessage.get_or_none(id=row_id)
    if row is None:
        raise ApiError(404, "not_found", "no such notification")
    if row.status not in (OutboxStatus.FAILED, OutboxStatus.MISSED):
        raise ApiError(409, "conflict", f"only failed or missed messages can be retried "
                                        f"(this one is {row.status.value})")
    row.status = OutboxStatus.PENDING
    row.deadline = None
    row.next_attempt_at = utcnow()
    fields = ["status", "deadline", "next_attempt_at", "updated_at"]
    if row.api in outbox.KF_MSGID_APIS:
        # A new kf msgid: WeCom refuses a used one as a duplicate, which the outbox reads as
        # "an earlier try landed". The history row follows, so a msg_send_fail still finds it.
        old = row.args.get("msgid")
        row.args = {**row.args, "msgid": outbox.kf_msgid(f"{row.key}:{secrets.token_hex(8)}")}
        fields.append("args")
        await ConversationMessage.filter(outbox_id=row.id, msgid=old).update(
            msgid=row.args["msgid"])
    await row.save(update_fields=fields)
    await outbox.flush(req.services, [row])
    return to_out(row)


@api.route("GET", "/stats/notifications", roles=READ, response=DeliveryStats,
           tag="statistics")
async def notification_stats(req: ApiRequest) -> DeliveryStats:
    """How many outbound messages are in each state, overall and per API."""
    rows = await (OutboxMessage.annotate(n=Count("id")).group_by("api", "status")
                  .values("api", "status", "n"))
    by_status: dict[str, int] = {}
    by_api: dict[str, dict[str, int]] = {}
    for r in rows:
        status = str(getattr(r["status"], "value", r["status"]))
        by_status[status] = by_status.get(status, 0) + int(r["n"])
        by_api.setdefault(r["api"], {})[status] = int(r["n"])
    return DeliveryStats(by_status=by_status, by_api=by_api)
