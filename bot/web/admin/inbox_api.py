"""Admin API: an escalation's last messages, for the console's escalation inbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from bot.models import ConversationMessage, Escalation, OutboxMessage
from bot.web.admin.framework import Api, ApiError, ApiRequest

api = Api()
READ = ("admin", "specialist", "viewer")


class MessageOut(BaseModel):
    id: int
    direction: str  # in (the customer) | out (the bot or a person)
    msgtype: str
    content: str
    rule_id: str | None
    status: str  # in: ok; out: pending | sent | failed | missed
    at: datetime


class MessagesQuery(BaseModel):
    limit: int = Field(default=20, ge=1, le=200)


@api.route("GET", "/escalations/{esc_id:[0-9]{1,18}}/messages", roles=READ,
           query=MessagesQuery, response=[MessageOut], tag="escalations")
async def escalation_messages(req: ApiRequest) -> list[MessageOut]:
    """The last messages of the escalated conversation, oldest first."""
    raw = req.params["esc_id"]
    esc = await Escalation.get_or_none(id=int(raw)) if raw.isdigit() and len(raw) < 19 else None
    if esc is None:
        raise ApiError(404, "not_found", "no such escalation")
    rows = await (ConversationMessage.filter(conversation=esc.conversation)
                  .order_by("-id").limit(req.query.limit))
    # An outgoing message's send status is its outbox row's, unless WeCom reported it failed.
    ids = [m.outbox_id for m in rows if m.outbox_id is not None]
    sent = dict(await OutboxMessage.filter(id__in=ids).values_list("id", "status")) if ids else {}
    return [MessageOut(id=m.id, direction=str(getattr(m.direction, "value", m.direction)),
                       msgtype=m.msgtype, content=m.content, rule_id=m.rule_id,
                       status=_status(m, sent), at=m.at) for m in reversed(rows)]


def _status(m: ConversationMessage, outbox_status: dict[int, Any]) -> str:
    if m.status == "failed" or m.outbox_id not in outbox_status:
        return m.status
    return str(getattr(outbox_status[m.outbox_id], "value", outbox_status[m.outbox_id]))
