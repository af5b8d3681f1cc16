"""Sending a failed or missed outbound message again, on a person's request."""

from __future__ import annotations

import secrets

from bot.delivery import outbox
from bot.delivery.queries import OutboundRecord, record
from bot.infra.clock import utcnow
from bot.models import ConversationMessage, OutboxMessage, OutboxStatus
from bot.runtime import Services


class NoSuchMessage(LookupError):
    pass


class NotRetryable(Exception):
    """Only failed or missed messages are sent again; ``status`` is the message's."""

    def __init__(self, status: str) -> None:
        super().__init__(status)
        self.status = status


async def retry_message(services: Services, row_id: int) -> OutboundRecord:
    """A new attempt at a failed or missed message (sent ones are left alone)."""
    row = await OutboxMessage.get_or_none(id=row_id)
    if row is None:
        raise NoSuchMessage(row_id)
    if row.status not in (OutboxStatus.FAILED, OutboxStatus.MISSED):
        raise NotRetryable(row.status.value)
    row.status = OutboxStatus.PENDING
    row.deadline = None
    row.next_attempt_at = utcnow()
    fields = ["status", "deadline", "next_attempt_at", "updated_at"]
    if row.api in outbox.KF_MSGID_APIS:
        # A new kf msgid: WeCom refuses a used one as a duplicate, which the outbox reads as
        # "an earlier try landed". The history row follows, so a msg_send_fail still finds it.
        old = row.args.get("msgid")
        row.args = {**row.args, "msgid": outbox.kf_msgid(f"{row.key}:{secrets.token_hex(8)}")}
        fields.append("args")
        await ConversationMessage.filter(outbox_id=row.id, msgid=old).update(
            msgid=row.args["msgid"])
    await row.save(update_fields=fields)
    await outbox.flush(services, [row])
    return record(row)
