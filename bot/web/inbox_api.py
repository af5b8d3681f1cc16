"""Admin API: an escalation's last messages, for the console's escalation inbox."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from bot.models import ConversationMessage, Escalation
from bot.web.api import Api, ApiError, ApiRequest

api = Api()
READ = ("admin", "specialist", "viewer")


class MessageOut(BaseModel):
    id: int
    direction: str  # in (the customer) | out (the bot or a person)
    msgtype: str
    content: str
    rule_id: str | None
    status: str
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
    return [MessageOut(id=m.id, direction=str(getattr(m.direction, "value", m.direction)),
                       msgtype=m.msgtype, content=m.content, rule_id=m.rule_id,
                       status=m.status, at=m.at) for m in reversed(rows)]
