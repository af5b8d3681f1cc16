"""The console's escalation desk: escalations as plain records, counts per status, an
escalated conversation's last messages, and claim/resolve for people working the desk."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q
from tortoise.functions import Count

from bot.conversations import escalation
from bot.models import ConversationMessage, Escalation, OutboxMessage
from bot.ports import Ports


@dataclass(frozen=True)
class EscalationRecord:
    id: int
    channel: str
    status: str
    reason: str
    rule_id: str | None
    customer: str | None
    external_userid: str | None
    chat_id: str | None
    order_no: str | None
    servicer_userid: str | None
    queued: bool
    claimed_by: str | None
    claimed_at: datetime | None
    resolved_by: str | None
    resolved_at: datetime | None
    raised_to: str | None
    created_at: datetime


def record(e: Escalation) -> EscalationRecord:
    return EscalationRecord(
        id=e.id, channel=e.channel, status=e.status.value, reason=e.reason, rule_id=e.rule_id,
        customer=e.customer_name, external_userid=e.external_userid, chat_id=e.chat_id,
        order_no=e.order_no, servicer_userid=e.servicer_userid, queued=e.queued,
        claimed_by=e.claimed_by, claimed_at=e.claimed_at, resolved_by=e.resolved_by,
        resolved_at=e.resolved_at, raised_to=e.raised_to, created_at=e.created_at)


async def escalations(*, status: str | None = None, limit: int = 100, offset: int = 0,
                      search: str | None = None, userid: str | None = None
                      ) -> tuple[list[EscalationRecord], int]:
    """Escalations, newest first, and how many match: of one status, matching ``search``
    (customer name or id, order number, rule) and routed to or worked by ``userid``."""
    q = Escalation.all() if status is None else Escalation.filter(status=status)
    if search:
        q = q.filter(Q(customer_name__icontains=search) | Q(external_userid__icontains=search)
                     | Q(order_no__icontains=search) | Q(rule_id__icontains=search))
    if userid:
        q = q.filter(Q(servicer_userid=userid) | Q(claimed_by=userid) | Q(resolved_by=userid))
    total = await q.count()
    rows = await q.order_by("-id").offset(offset).limit(limit)
    return [record(e) for e in rows], total


async def counts_by_status() -> dict[str, int]:
    """How many escalations are in each status (statuses with none are left out)."""
    rows = await (Escalation.all().annotate(n=Count("id")).group_by("status")
                  .values("status", "n"))
    return {str(getattr(r["status"], "value", r["status"])): int(r["n"]) for r in rows}


async def claim(ports: Ports, esc_id: int, userid: str) -> EscalationRecord:
    """Claim for ``userid``; escalation.EscalationError (NoSuchEscalation) when it cannot be."""
    return record(await escalation.claim(ports, esc_id, userid))


async def resolve(ports: Ports, esc_id: int, userid: str) -> EscalationRecord:
    return record(await escalation.resolve(ports, esc_id, userid))


@dataclass(frozen=True)
class MessageRecord:
    id: int
    direction: str  # in (the customer) | out (the bot or a person)
    msgtype: str
    content: str
    rule_id: str | None
    status: str  # in: ok; out: planned | pending | sent | failed | missed
    at: datetime


async def last_messages(esc_id: int, limit: int = 20) -> list[MessageRecord]:
    """The last ``limit`` messages of the escalated conversation, oldest first."""
    esc = await Escalation.get_or_none(id=esc_id)
    if esc is None:
        raise escalation.NoSuchEscalation(f"没有编号为 {esc_id} 的转人工记录")
    rows = await (ConversationMessage.filter(conversation=esc.conversation)
                  .order_by("-id").limit(limit))
    # An outgoing message's send status is its outbox row's, unless WeCom reported it failed.
    ids = [m.outbox_id for m in rows if m.outbox_id is not None]
    sent = dict(await OutboxMessage.filter(id__in=ids).values_list("id", "status")) if ids else {}
    return [MessageRecord(id=m.id, direction=str(getattr(m.direction, "value", m.direction)),
                          msgtype=m.msgtype, content=m.content, rule_id=m.rule_id,
                          status=_status(m, sent), at=m.at) for m in reversed(rows)]


def _status(m: ConversationMessage, outbox_status: dict[int, object]) -> str:
    if m.status == "failed" or m.outbox_id not in outbox_status:
        return m.status
    return str(getattr(outbox_status[m.outbox_id], "value", outbox_status[m.outbox_id]))
