"""The send step: every outbound message goes through the transactional outbox
(bot.delivery.outbox).

Rows are added inside the caller's transaction, keyed for idempotency. kefu replies to one
customer message are then sent right here, one after the other, through the outbox's own
sender (``send_outbox``): the customer sees them in order, before any session transfer that
follows, and the outbox still records each result and retries a failure later by itself.
Staff notices just go to the outbox's queue.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from tortoise import BaseDBAsyncClient

from bot.delivery import outbox
from bot.infra.logs import get_logger
from bot.models import OutboxMessage, OutboxStatus

log = get_logger("bot.outbound")
MEDIA_URL_TTL = 2 * 24 * 3600  # temporary media live 3 days


def app_name(services: Any) -> str:
    """The self-built app whose token serves kefu, contacts and app messages."""
    return str(next(a.name for a in services.settings.wecom.apps if a.kind == "app"))


def main_app(services: Any) -> Any:
    return services.wecom.app(app_name(services))


def kf_row(services: Any, *, key: str, open_kfid: str, external_userid: str, msgtype: str,
           body: Mapping[str, Any], ref: str) -> OutboxMessage:
    """A kf reply as an outbox row, not yet saved (the caller stores it with its decision)."""
    return outbox.new_row(
        key=key, app=app_name(services), api="kf_send_msg", recipient=external_userid,
        args={"touser": external_userid, "open_kfid": open_kfid, "msgtype": msgtype,
              "payload": dict(body)},
        ref=ref)


async def send_now(services: Any, rows: Sequence[OutboxMessage], *, fresh: bool = False
                   ) -> list[OutboxMessage]:
    """One attempt at each row, in order, stopping at one that could not go out yet.

    ``fresh``: the rows were committed by the caller just now, so no other sender can have
    touched them; they are used as they are instead of being read back.
    """
    done: list[OutboxMessage] = []
    for i, row in enumerate(rows):
        if row.status == OutboxStatus.PENDING:
            sent = await outbox.send_outbox(services, row.id, row=row if fresh else None)
            row = sent if sent is not None else await OutboxMessage.get(id=row.id)
        done.append(row)
        if row.status == OutboxStatus.PENDING:
            # Not out yet (its retry is scheduled, or another sender has it): the rest wait
            # behind it and its retry sends them, so the customer reads them in order.
            return [*done, *rows[i + 1:]]
    return done


async def pending_for(ref: str) -> list[OutboxMessage]:
    return await OutboxMessage.filter(ref=ref, status=OutboxStatus.PENDING).order_by("id")


async def kf_on_event(services: Any, code: str, msgtype: str, payload: Mapping[str, Any],
                      key: str, *, recipient: str, deadline: datetime | None = None
                      ) -> OutboxMessage:
    """send_msg_on_event (welcome / queue / transfer notices): one code, one message."""
    row = await outbox.add(key=key, app=app_name(services), api="kf_send_msg_on_event",
                           args={"code": code, "msgtype": msgtype, "payload": dict(payload)},
                           recipient=recipient, ref=key, deadline=deadline,
                           priority=deadline is not None)
    (row,) = await send_now(services, [row])
    return row


async def app_message(services: Any, touser: Sequence[str], msgtype: str,
                      payload: Mapping[str, Any], key: str,
                      using_db: BaseDBAsyncClient | None = None) -> OutboxMessage:
    """An app message to staff; the caller flushes after its commit (or passes no using_db)."""
    row = await outbox.add(key=key, app=app_name(services), api="message_send",
                           args={"msgtype": msgtype, "payload": dict(payload),
                                 "touser": list(touser)},
                           recipient="|".join(touser), ref=key, using_db=using_db)
    if using_db is None:
        await outbox.flush(services, [row])
    return row


async def welcome(services: Any, code: str, text: str, attachments: Sequence[Mapping[str, Any]],
                  *, key: str, recipient: str, deadline: datetime) -> OutboxMessage:
    args: dict[str, Any] = {"welcome_code": code, "attachments": [dict(a) for a in attachments]}
    if text:
        args["text"] = text
    row = await outbox.add(key=key, app=app_name(services), api="send_welcome_msg", args=args,
                           recipient=recipient, ref=key, deadline=deadline, priority=True)
    (row,) = await send_now(services, [row])
    return row


async def upgrade_service(services: Any, open_kfid: str, external_userid: str, chat_id: str,
                          wording: str, key: str) -> OutboxMessage:
    row = await outbox.add(key=key, app=app_name(services), api="kf_upgrade_service",
                           args={"open_kfid": open_kfid, "external_userid": external_userid,
                                 "chat_id": chat_id, "wording": wording},
                           recipient=external_userid, ref=key)
    (row,) = await send_now(services, [row])
    return row


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
