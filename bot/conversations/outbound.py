"""The send step: every outbound message goes through the transactional outbox
(bot.delivery.outbox).

Rows are added inside the caller's transaction, keyed for idempotency. kefu replies to one
customer message are then sent right here, one after the other, through the outbox's own
sender (``send_outbox``): the customer sees them in order, before any session transfer that
follows, and the outbox still records each result and retries a failure later by itself.
Staff notices just go to the outbox's queue.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from tortoise import BaseDBAsyncClient

from bot.infra.logs import get_logger
from bot.models import OutboxMessage, OutboxStatus
from bot.ports import Ports
from bot.protocol import text_limits as L

log = get_logger("bot.outbound")


def kf_row(ports: Ports, *, key: str, open_kfid: str, external_userid: str, msgtype: str,
           body: Mapping[str, Any], ref: str) -> OutboxMessage:
    """A kf reply as an outbox row, not yet saved (the caller stores it with its decision)."""
    return ports.outbox.row(
        key=key, api="kf_send_msg", recipient=external_userid,
        args={"touser": external_userid, "open_kfid": open_kfid, "msgtype": msgtype,
              "payload": dict(body)},
        ref=ref)


async def pending_for(ref: str) -> list[OutboxMessage]:
    return await OutboxMessage.filter(ref=ref, status=OutboxStatus.PENDING).order_by("id")


async def kf_on_event(ports: Ports, code: str, msgtype: str, payload: Mapping[str, Any],
                      key: str, *, recipient: str, deadline: datetime | None = None
                      ) -> OutboxMessage:
    """send_msg_on_event (welcome / queue / transfer notices): one code, one message."""
    row = await ports.outbox.add(key=key, api="kf_send_msg_on_event",
                           args={"code": code, "msgtype": msgtype, "payload": dict(payload)},
                           recipient=recipient, ref=key, deadline=deadline,
                           priority=deadline is not None)
    (row,) = await ports.outbox.send_now([row])
    return row


async def app_message(ports: Ports, touser: Sequence[str], msgtype: str,
                      payload: Mapping[str, Any], key: str,
                      using_db: BaseDBAsyncClient | None = None) -> OutboxMessage:
    """An app message to staff; the caller flushes after its commit (or passes no using_db).

    WeCom cuts an app text past 2048 bytes without a word: a longer text goes out as several
    messages in order (only without using_db: the caller would flush just the first row).
    Returns the first row."""
    payloads = [dict(payload)]
    if msgtype == "text" and L.size(str(payload.get("content", ""))) > L.APP_TEXT:
        if using_db is not None:
            raise ValueError(f"app text over {L.APP_TEXT} bytes inside a caller's transaction")
        payloads = [{**payload, "content": part}
                    for part in L.split(str(payload["content"]), L.APP_TEXT)]
    rows = []
    for i, body in enumerate(payloads):
        part_key = key if i == 0 else f"{key}:{i + 1}"
        rows.append(await ports.outbox.add(
            key=part_key, api="message_send",
            args={"msgtype": msgtype, "payload": body, "touser": list(touser)},
            recipient="|".join(touser), ref=key, using_db=using_db))
    if using_db is None and len(rows) == 1:
        await ports.outbox.flush(rows)
    elif using_db is None:
        # One after the other, so the parts arrive in order; parts left behind a part that
        # must wait are queued rather than left to the sweep.
        done = await ports.outbox.send_now(rows)
        await ports.outbox.flush([r for r in done if r.attempts == 0])
    return rows[0]


async def welcome(ports: Ports, code: str, text: str, attachments: Sequence[Mapping[str, Any]],
                  *, key: str, recipient: str, deadline: datetime) -> OutboxMessage:
    args: dict[str, Any] = {"welcome_code": code, "attachments": [dict(a) for a in attachments]}
    if text:
        args["text"] = text
    row = await ports.outbox.add(key=key, api="send_welcome_msg", args=args,
                           recipient=recipient, ref=key, deadline=deadline, priority=True)
    (row,) = await ports.outbox.send_now([row])
    return row


async def upgrade_service(ports: Ports, open_kfid: str, external_userid: str, chat_id: str,
                          wording: str, key: str) -> OutboxMessage:
    row = await ports.outbox.add(key=key, api="kf_upgrade_service",
                           args={"open_kfid": open_kfid, "external_userid": external_userid,
                                 "chat_id": chat_id, "wording": wording},
                           recipient=external_userid, ref=key)
    (row,) = await ports.outbox.send_now([row])
    return row
