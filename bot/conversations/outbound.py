"""The send step: every outbound message in one place, each with an idempotency key.

kefu replies are planned as ``ConversationMessage`` rows (status pending) in the decision's
transaction and sent here in order; their kf msgid is derived from the inbound message, and
WeCom refuses a msgid it has already seen, so a retried job never reaches the customer twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from bot.logs import get_logger
from bot.models import ConversationMessage, Direction
from bot.wecom import errors as E
from bot.wecom.errors import WeComAPIError

log = get_logger("bot.outbound")
MEDIA_URL_TTL = 2 * 24 * 3600  # temporary media live 3 days


def main_app(services: Any) -> Any:
    """The self-built app whose token serves kefu, contacts and app messages."""
    name = next(a.name for a in services.settings.wecom.apps if a.kind == "app")
    return services.wecom.app(name)


def _duplicate(exc: WeComAPIError) -> bool:
    return exc.errcode == E.INVALID_PARAM and "duplicate" in (exc.errmsg or "")


async def flush_kf(services: Any, ref: str) -> int:
    """Send the pending kf replies planned for one inbound message, in order."""
    rows = await ConversationMessage.filter(ref=ref, direction=Direction.OUT,
                                            status="pending").order_by("id")
    client = main_app(services)
    sent = 0
    for row in rows:
        _, open_kfid, euid = row.conversation.split(":", 2)
        msgtype, body = row.msgtype, dict(row.payload or {})
        try:
            await client.kf_send_msg(euid, open_kfid, msgtype, body, msgid=row.msgid)
        except WeComAPIError as exc:
            if not _duplicate(exc):
                if exc.errcode == E.KF_SESSION_STATE_INVALID:
                    # A person took the session meanwhile: the bot must not speak now.
                    await ConversationMessage.filter(id=row.id).update(status="failed")
                    log.info("kf.send_skipped", reason="session_not_bot", ref=ref)
                    continue
                raise
        await ConversationMessage.filter(id=row.id).update(status="sent")
        sent += 1
    return sent


async def kf_on_event(services: Any, code: str, msgtype: str, payload: Mapping[str, Any],
                      key: str) -> str | None:
    """send_msg_on_event (welcome / queue / transfer notices): one code, one message."""
    msgid = hashlib.sha256(key.encode()).hexdigest()[:30]
    try:
        res = await main_app(services).kf_send_msg_on_event(code, msgtype, payload, msgid=msgid)
    except WeComAPIError as exc:
        if _duplicate(exc):
            return msgid
        raise
    return str(res.get("msgid") or msgid)


async def app_message(services: Any, touser: Sequence[str] | str, msgtype: str,
                      payload: Mapping[str, Any], key: str) -> bool:
    """An app message to staff, at most once per key (marked before sending: a crash in
    between loses a notice rather than doubling it; SLA re-notification covers the loss)."""
    if not await services.store.set_if_absent(f"sent:app:{key}", "1", ttl=7 * 24 * 3600):
        return False
    await main_app(services).message_send(msgtype, payload, touser=touser)
    return True


async def welcome(services: Any, code: str, text: str,
                  attachments: Sequence[Mapping[str, Any]]) -> None:
    await main_app(services).send_welcome_msg(code, text=text or None,
                                              attachments=list(attachments))


async def media_for_url(services: Any, url: str) -> str:
    """An image URL as a media_id: downloaded and uploaded once, cached for two days."""
    key = "media:url:" + hashlib.sha256(url.encode()).hexdigest()
    cached = await services.store.get(key)
    if cached:
        return str(cached)
    async with services.wecom.session.get(url) as resp:
        resp.raise_for_status()
        content = await resp.read()
    name = url.rsplit("/", 1)[-1] or "image.png"
    res = await main_app(services).media_upload("image", content, name)
    media_id = str(res["media_id"])
    await services.store.set(key, media_id, ttl=MEDIA_URL_TTL)
    return media_id
