"""Outbound notifications (the outbox): list, inspect failures, retry, delivery statistics."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from bot.delivery import queries
from bot.delivery.retry import NoSuchMessage, NotRetryable, retry_message
from bot.web.admin.framework import Api, ApiError, ApiRequest
from bot.web.admin.names import staff_names
from bot.web.admin.paging import ListQuery, Paged

api = Api()
READ = ("admin", "specialist", "viewer")
Status = Literal["pending", "sent", "delivered", "failed", "missed"]


class NotificationQuery(ListQuery):
    status: Status | None = None
    api: str | None = Field(default=None, max_length=64)
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
    recipient_name: str | None = None  # the directory's name for a staff recipient


class DeliveryStats(BaseModel):
    by_status: dict[str, int]
    by_api: dict[str, dict[str, int]]


def to_out(row: queries.OutboundRecord) -> Notification:
    return Notification.model_validate(asdict(row))


@api.route("GET", "/notifications", roles=READ, query=NotificationQuery,
           response=[Notification], tag="notifications")
async def list_notifications(req: ApiRequest) -> Paged:
    """Outbound messages, newest first, filtered by status, ref (e.g. order:A1), recipient
    or API; ``q`` searches recipient, ref and error."""
    q: NotificationQuery = req.query
    offset, limit = q.window(q.limit)
    rows, total = await queries.outbound_page(status=q.status, ref_prefix=q.ref,
                                              recipient=q.recipient, api=q.api,
                                              search=q.search, limit=limit, offset=offset)
    out = [to_out(r) for r in rows]
    names = await staff_names(req.services, [n.recipient for n in out])
    for n in out:
        n.recipient_name = names.get(n.recipient)
    return Paged(out, total)


@api.route("POST", "/notifications/{id:[0-9]{1,18}}/retry", roles=("admin", "specialist"),
           response=Notification, tag="notifications")
async def retry_notification(req: ApiRequest) -> Notification:
    """Send a failed or missed message again (a new attempt; sent ones are left alone)."""
    try:
        row_id = int(req.params["id"])
    except ValueError:
        raise ApiError(404, "not_found", "没有这条通知") from None
    try:
        return to_out(await retry_message(req.services, row_id))
    except NoSuchMessage:
        raise ApiError(404, "not_found", "没有这条通知") from None
    except NotRetryable as exc:
        raise ApiError(409, "conflict", f"只有失败或已错过的通知可以重试"
                                        f"（这条是「{exc.status}」）") from None


@api.route("GET", "/stats/notifications", roles=READ, response=DeliveryStats,
           tag="statistics")
async def notification_stats(req: ApiRequest) -> DeliveryStats:
    """How many outbound messages are in each state, overall and per API."""
    return DeliveryStats.model_validate(asdict(await queries.delivery_counts()))
