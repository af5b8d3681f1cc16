"""Replies sent actively, when a handler's reply could not go back inside the callback
response: app ``message/send``, the AI bot's ``response_url``."""

from __future__ import annotations

from typing import Any

from bot.protocol import text_limits as L
from bot.protocol.replies import Reply
from bot.runtime import Services
from bot.settings import AppConfig


class Undeliverable(Exception):
    """The reply has no active channel: retrying cannot help, so the job ends, recording it."""


async def deliver(services: Services, reply: Reply, event: Any, app: AppConfig) -> None:
    """Send a reply actively, when it could not go back inside the callback response."""
    client = services.wecom
    if app.kind == "aibot":
        response_url = getattr(event, "response_url", None)
        if not response_url:
            # enter_chat carries no response_url: its welcome is a passive reply or nothing.
            raise Undeliverable("AI-bot event has no response_url to reply to")
        await client.aibot_respond(
            response_url, {"msgtype": "markdown", "markdown": {"content": reply.content}}
        )
        return
    # WeCom cuts an app text past APP_TEXT bytes without a word: a longer one goes in parts.
    for part in L.split(reply.content, L.APP_TEXT):
        await client.app(app.name).send_text([event.from_user_name], part)
