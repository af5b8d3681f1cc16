"""Replies a handler returns, and how each is delivered on each channel.

A handler returns a Reply; inside the callback request it becomes an encrypted passive reply,
from a job it is sent actively (app ``message/send``, AI bot ``response_url``).
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from bot.protocol.safexml import build_xml


@dataclass(frozen=True, slots=True)
class TextReply:
    content: str


@dataclass(frozen=True, slots=True)
class WelcomeReply(TextReply):
    """The AI bot's enter_chat welcome: a text message, not a stream (protocol.md §6.3)."""


Reply = TextReply


def passive_app_plaintext(reply: Reply, *, to_user: str, corp_id: str) -> str:
    """The plaintext of a passive reply to a self-built app message (protocol.md §2.2)."""
    return build_xml(
        {
            "ToUserName": to_user,
            "FromUserName": corp_id,
            "CreateTime": int(time.time()),
            "MsgType": "text",
            "Content": reply.content,
        }
    )


def passive_aibot_plaintext(reply: Reply) -> str:
    """A finished stream: the AI bot's passive reply to a message (protocol.md §6.3)."""
    if isinstance(reply, WelcomeReply):
        return json.dumps({"msgtype": "text", "text": {"content": reply.content}},
                          ensure_ascii=False)
    body: dict[str, Any] = {
        "msgtype": "stream",
        "stream": {"id": uuid.uuid4().hex, "finish": True, "content": reply.content},
    }
    return json.dumps(body, ensure_ascii=False)


async def deliver(reply: Reply, event: Any, ctx: Any) -> None:
    """Send a reply actively, when it could not go back inside the callback response."""
    client = ctx.services.wecom
    if client is None:
        raise RuntimeError("no WeCom client configured to deliver the reply")
    if ctx.app.kind == "aibot":
        response_url = getattr(event, "response_url", None)
        if not response_url:
            raise ValueError("AI-bot event has no response_url to reply to")
        await client.aibot_respond(
            response_url, {"msgtype": "markdown", "markdown": {"content": reply.content}}
        )
        return
    await client.app(ctx.app.name).send_text([event.from_user_name], reply.content)
