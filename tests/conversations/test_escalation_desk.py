"""bot.conversations.escalation_desk and bot.delivery.queries on real PostgreSQL rows: an
outgoing message's status is its outbox row's unless WeCom reported it failed; counts per
status; delivery counts per API."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bot.conversations import escalation_desk
from bot.conversations.escalation import NoSuchEscalation
from bot.delivery import queries
from bot.infra.clock import utcnow
from bot.models import (
    ConversationMessage,
    Direction,
    Escalation,
    EscalationStatus,
    OutboxMessage,
    OutboxStatus,
)
from bot.settings import Settings

CONV = "kefu:wk1:wmA"


async def _outbox(key: str, status: OutboxStatus, api: str = "kf_send_msg") -> OutboxMessage:
    return await OutboxMessage.create(key=key, app="main", api=api, args={}, recipient="wmA",
                                      status=status, next_attempt_at=utcnow())


@pytest.mark.usefixtures("pg_database")
async def test_last_messages_take_the_outbox_status() -> None:
    esc = await Escalation.create(channel="kefu", conversation=CONV, reason="rule",
                                  created_at=utcnow())
    await Escalation.create(channel="kefu", conversation="other", reason="rule",
                            created_at=utcnow(), status=EscalationStatus.RESOLVED)
    sent = await _outbox("a", OutboxStatus.SENT)
    failed_row = await _outbox("b", OutboxStatus.SENT)
    await ConversationMessage.create(channel="kefu", conversation=CONV, direction=Direction.IN,
                                     msgtype="text", content="柜门坏了")
    await ConversationMessage.create(channel="kefu", conversation=CONV, direction=Direction.OUT,
                                     msgtype="text", content="已转人工", outbox_id=sent.id,
                                     status="planned")
    # WeCom reported this one failed (msg_send_fail) though its outbox row says sent.
    await ConversationMessage.create(channel="kefu", conversation=CONV, direction=Direction.OUT,
                                     msgtype="text", content="稍等", outbox_id=failed_row.id,
                                     status="failed")
    await ConversationMessage.create(channel="kefu", conversation="other",
                                     direction=Direction.IN, msgtype="text", content="别的")

    messages = await escalation_desk.last_messages(esc.id)
    assert [(m.direction, m.content, m.status) for m in messages] == [
        ("in", "柜门坏了", "ok"), ("out", "已转人工", "sent"), ("out", "稍等", "failed")]
    assert [m.content for m in await escalation_desk.last_messages(esc.id, limit=1)] == ["稍等"]
    with pytest.raises(NoSuchEscalation):
        await escalation_desk.last_messages(esc.id + 100)

    assert await escalation_desk.counts_by_status() == {"open": 1, "resolved": 1}
    [only], total = await escalation_desk.escalations(status="open")
    assert only.id == esc.id and only.status == "open" and only.channel == "kefu" and total == 1


@pytest.mark.usefixtures("pg_database")
async def test_delivery_counts_and_listing() -> None:
    await _outbox("a", OutboxStatus.SENT)
    await _outbox("b", OutboxStatus.FAILED)
    await _outbox("c", OutboxStatus.SENT, api="message_send")
    counts = await queries.delivery_counts()
    assert counts.by_status == {"sent": 2, "failed": 1}
    assert counts.by_api == {"kf_send_msg": {"sent": 1, "failed": 1},
                             "message_send": {"sent": 1}}
    failed = await queries.outbound_messages(status="failed")
    assert [(r.key, r.status) for r in failed] == [("b", "failed")]
    assert [r.key for r in await queries.outbound_messages(limit=2)] == ["c", "b"]


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_a_specialist_acts_only_as_themselves(
    mode_settings: Callable[..., Settings],
) -> None:
    from bot.models import Escalation, EscalationStatus
    from tests.harness.admin import bearer
    from tests.harness.world import world

    async with world(mode_settings()) as w:
        esc = await Escalation.create(channel="kefu", conversation="kefu:k:c", reason="menu",
                                      created_at=utcnow())
        other = await Escalation.create(channel="kefu", conversation="kefu:k:d",
                                        reason="menu", created_at=utcnow())
        spec = await bearer("zhangwei", "specialist")
        admin = await bearer("boss", "admin")
        url = f"/api/v1/escalations/{esc.id}"
        resp = await w.client.post(f"{url}/claim", json={"userid": "liuyang"}, headers=spec)
        assert resp.status == 403
        assert (await Escalation.get(id=esc.id)).status == EscalationStatus.OPEN
        resp = await w.client.post(f"{url}/resolve", json={"userid": "liuyang"}, headers=spec)
        assert resp.status == 403
        resp = await w.client.post(f"{url}/claim", json={}, headers=spec)
        assert resp.status == 200 and (await resp.json())["claimed_by"] == "zhangwei"
        # An admin may hand a case to someone.
        resp = await w.client.post(f"/api/v1/escalations/{other.id}/claim",
                                   json={"userid": "liuyang"}, headers=admin)
        assert resp.status == 200 and (await resp.json())["claimed_by"] == "liuyang"
