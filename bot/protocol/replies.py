"""Replies a handler returns, and how each is delivered on each channel.

A handler returns a Reply; inside the callback request it becomes an encrypted passive reply
(built here), from a job it is sent actively (``bot.pipeline.reply_delivery``).
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


def reply_record(reply: Reply) -> dict[str, object]:
    """A reply as kept with its inbox row (to answer WeCom's retry the same way)."""
    return {"content": reply.content, "welcome": isinstance(reply, WelcomeReply)}


def reply_of_record(record: dict[str, object]) -> Reply:
    content = str(record.get("content") or "")
    return WelcomeReply(content) if record.get("welcome") else TextReply(content)

STREAM_MAX_BYTES = 20_480  # an AI bot stream's content (protocol.md §6.3)


def fit_bytes(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes on a character boundary, marked "…"."""
    raw = text.encode("utf-8")
    if len(raw) <= limit:
        return text
    return raw[: limit - len("…".encode())].decode("utf-8", "ignore") + "…"


def passive_app_plaintext(reply: Reply, *, to_user: str, corp_id: str,
                          as_json: bool = False) -> str:
    """The plaintext of a passive reply to a self-built app message (protocol.md §2.2), as
    XML, or as JSON with the same names when the callback came as JSON (protocol-2.md §9:
    the JSON format mirrors the XML element names; CreateTime is a number)."""
    fields: dict[str, Any] = {
        "ToUserName": to_user,
        "FromUserName": corp_id,
        "CreateTime": int(time.time()),
        "MsgType": "text",
        "Content": reply.content,
    }
    if as_json:
        return json.dumps(fields, ensure_ascii=False)
    return build_xml(fields)


def passive_aibot_plaintext(reply: Reply) -> str:
    """A finished stream: the AI bot's passive reply to a message (protocol.md §6.3)."""
    if isinstance(reply, WelcomeReply):
        return json.dumps({"msgtype": "text", "text": {"content": reply.content}},
                          ensure_ascii=False)
    body: dict[str, Any] = {
        "msgtype": "stream",
        "stream": {"id": uuid.uuid4().hex, "finish": True,
                   "content": fit_bytes(reply.content, STREAM_MAX_BYTES)},
    }
    return json.dumps(body, ensure_ascii=False)
