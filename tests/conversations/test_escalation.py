"""Escalation end to end: routing, the card and its claim button, chat commands, the admin
API, SLA re-notification and raising (an injected clock, no sleeping), session end."""

from __future__ import annotations

import time
from collections.abc import Callable

from bot.conversations import rules_store
from bot.conversations.escalation import check_sla
from bot.conversations.rulebook import changed, sample_rules_text
from bot.models import Escalation, EscalationStatus
from bot.safexml import build_xml
from bot.settings import Settings
from bot.tokens import create_token
from tests.conftest import Signed, wait_for
from tests.conversations.conftest import CUSTOMER, KF, World, world
from tests.foundation.test_callback import post


async def _ready(w: World) -> None:
    if not await rules_store.list_rules():
        await rules_store.import_rules(sample_rules_text(), mode="replace", actor="test")
    await changed(w.services)


async def _escalated(w: World, text: str = "我要投诉") -> Escalation:
    await w.sandbox.customer_says(KF, CUSTOMER, text)
    await w.settle()
    async def found() -> Escalation | None:
        return await Escalation.filter(conversation__contains=CUSTOMER).first()

    esc: Escalation = await wait_for(found)
    return esc


async def test_complaint_routes_claims_by_card_and_resolves_on_session_end(
    mode_settings: Callable[..., Settings],
) -> None:
    settings = mode_settings(conversations={"supervisors": {"*": "liuyang"}})
    async with world(settings) as w:
        await _ready(w)
        # Only zhangwei is receiving: liuyang stops, lina is stopped in the seed.
        await w.sandbox.set_servicer_status(KF, "liuyang", False)
        esc = await _escalated(w)
        assert esc.reason == "rule" and esc.rule_id == "complaint"
        assert esc.servicer_userid == "zhangwei" and esc.status == EscalationStatus.OPEN
        texts = w.kf_texts()
        assert "优先转接" in texts[0] and "转接专员张伟" in texts[-1]  # the directory's name
        card = w.app_inbox("zhangwei")[-1]["payload"]
        assert card["button_list"][0]["key"] == f"claim:{esc.id}"
        assert "我要投诉" in card["quote_area"]["quote_text"]
        # zhangwei taps 我来处理: a template_card_event callback.
        signed = Signed(w.services.settings)
        event = build_xml({"ToUserName": settings.wecom.corp_id, "FromUserName": "zhangwei",
                           "CreateTime": int(time.time()), "MsgType": "event",
                           "Event": "template_card_event", "EventKey": f"claim:{esc.id}",
                           "TaskId": f"esc{esc.id}-0", "CardType": "button_interaction",
                           "AgentID": 1000002})
        assert (await post(w.client, signed, event)).status == 200
        await w.settle()
        esc = await Escalation.get(id=esc.id)
        assert esc.status == EscalationStatus.CLAIMED and esc.claimed_by == "zhangwei"
        # Someone else cannot claim it from chat.
        await w.sandbox.staff_says("liuyang", f"认领 {esc.id}")
        await w.sandbox.drain()
        replies = [m["reply"] for m in w.sandbox.inbox("liuyang") if m["channel"] == "app_reply"]
        assert replies and "已由 zhangwei 认领" in replies[-1]
        await w.sandbox.staff_says("zhangwei", "我的待办")
        await w.sandbox.drain()
        todo = [m["reply"] for m in w.sandbox.inbox("zhangwei") if m["channel"] == "app_reply"]
        assert f"#{esc.id}" in todo[-1]
        # The servicer ends the session in the client → resolved.
        await w.sandbox.servicer_ends_session(KF, CUSTOMER)
        await w.settle()
        esc = await Escalation.get(id=esc.id)
        assert esc.status == EscalationStatus.RESOLVED and esc.resolved_by == "session_end"


async def test_nobody_receiving_queues_then_sla_renotifies_and_raises(
    mode_settings: Callable[..., Settings],
) -> None:
    settings = mode_settings(conversations={"supervisors": {KF: "liuyang"}})
    async with world(settings) as w:
        await _ready(w)
        clock = w.sandbox.clock
        w.services.extras["clock"] = clock
        await w.sandbox.set_servicer_status(KF, "zhangwei", False)
        await w.sandbox.set_servicer_status(KF, "liuyang", False)
        esc = await _escalated(w, "转人工")
        assert esc.queued and esc.servicer_userid is None
        assert w.sandbox.kf_sessions[(KF, CUSTOMER)].state == 2
        assert any("排队" in t for t in w.kf_texts())
        assert await check_sla(w.services) == (0, 0)
        clock.advance(6 * 60)  # type: ignore[attr-defined]
        assert await check_sla(w.services) == (1, 0)
        clock.advance(10 * 60)  # type: ignore[attr-defined]
        assert await check_sla(w.services) == (0, 1)
        await w.settle()
        titles = [m["payload"]["main_title"]["title"] for m in w.app_inbox("liuyang")]
        # Nobody receives: the supervisor got the first card, the reminder and the raise.
        assert len(titles) == 3 and any("超时上报" in t for t in titles)
        esc = await Escalation.get(id=esc.id)
        assert esc.raised_to == "liuyang" and esc.renotified_at is not None
        # Claimed and resolved from the admin API.
        h = {"Authorization": "Bearer " + await create_token("spec", "specialist")}
        got = await w.client.post(f"/api/v1/escalations/{esc.id}/claim", json={}, headers=h)
        assert got.status == 200 and (await got.json())["claimed_by"] == "spec"
        done = await w.client.post(f"/api/v1/escalations/{esc.id}/resolve", json={}, headers=h)
        assert (await done.json())["status"] == "resolved"
        again = await w.client.post(f"/api/v1/escalations/{esc.id}/claim", json={}, headers=h)
        assert again.status == 409
        listed = await (await w.client.get("/api/v1/escalations?status=resolved",
                                           headers=h)).json()
        assert [e["id"] for e in listed] == [esc.id]
        counts = await (await w.client.get("/api/v1/escalations/counts", headers=h)).json()
        assert counts["resolved"] == 1
        assert sum(counts.values()) == await Escalation.all().count()


async def test_claiming_a_queued_case_hands_the_kefu_session_to_the_claimer(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        await _ready(w)
        await w.sandbox.set_servicer_status(KF, "zhangwei", False)
        await w.sandbox.set_servicer_status(KF, "liuyang", False)
        esc = await _escalated(w, "转人工")
        assert esc.queued and w.sandbox.kf_sessions[(KF, CUSTOMER)].state == 2
        # zhangwei comes back to work and claims the queued case from chat.
        await w.sandbox.set_servicer_status(KF, "zhangwei", True)
        await w.sandbox.staff_says("zhangwei", f"认领 {esc.id}")
        await w.settle()
        esc = await Escalation.get(id=esc.id)
        assert esc.status == EscalationStatus.CLAIMED and esc.claimed_by == "zhangwei"
        session = w.sandbox.kf_sessions[(KF, CUSTOMER)]
        assert session.state == 3 and session.servicer_userid == "zhangwei"
        assert esc.servicer_userid == "zhangwei" and not esc.queued
