"""Admin API: an escalation's last messages, for the console's escalation inbox."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from pydantic import BaseModel, Field

from bot.conversations import escalation_desk
from bot.conversations.escalation import NoSuchEscalation
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
    try:
        if not (raw.isdigit() and len(raw) < 19):
            raise NoSuchEscalation(raw)
        messages = await escalation_desk.last_messages(int(raw), req.query.limit)
    except NoSuchEscalation:
        raise ApiError(404, "not_found", "没有这条转人工记录") from None
    return [MessageOut.model_validate(asdict(m)) for m in messages]
