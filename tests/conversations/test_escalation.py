"""Escalation end to end: routing, the card and its claim button, chat commands, the admin
API, SLA re-notification and raising (an injected clock, no sleeping), session end."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

from bot.api_access import create_token
from bot.conversations import rules_store
from bot.conversations.escalation_sla import check_sla
from bot.conversations.rulebook import changed, sample_rules_text
from bot.infra.clock import SettableClock
from bot.models import Escalation, EscalationStatus
from bot.protocol.safexml import build_xml
from bot.settings import Settings
from tests.harness.callbacks import Signed
from tests.harness.callbacks import post_callback as post
from tests.harness.waiting import wait_for
from tests.harness.world import CUSTOMER, KF, World, world


async def _ready(w: World) -> None:
    if not await rules_store.list_rules():
        await rules_store.import_rules(sample_rules_text(), mode="replace", actor="test")
    await changed(w.services.ports)


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
        clock = w.sandbox.corp.clock
        w.services.ports.clock = SettableClock(clock)
        await w.sandbox.set_servicer_status(KF, "zhangwei", False)
        await w.sandbox.set_servicer_status(KF, "liuyang", False)
        esc = await _escalated(w, "转人工")
        assert esc.queued and esc.servicer_userid is None
        assert w.sandbox.kf.sessions[(KF, CUSTOMER)].state == 2
        assert any("排队" in t for t in w.kf_texts())
        assert await check_sla(w.services.ports) == (0, 0)
        clock.advance(6 * 60)  # type: ignore[attr-defined]
        assert await check_sla(w.services.ports) == (1, 0)
        clock.advance(10 * 60)  # type: ignore[attr-defined]
        assert await check_sla(w.services.ports) == (0, 1)
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


async def _row(esc_id: int, **where: object) -> Escalation | None:
    return await Escalation.get_or_none(id=esc_id, **where)


async def test_claiming_a_queued_case_hands_the_kefu_session_to_the_claimer(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        await _ready(w)
        await w.sandbox.set_servicer_status(KF, "zhangwei", False)
        await w.sandbox.set_servicer_status(KF, "liuyang", False)
        esc = await _escalated(w, "转人工")
        assert esc.queued and w.sandbox.kf.sessions[(KF, CUSTOMER)].state == 2
        # zhangwei comes back to work and claims the queued case from chat.
        await w.sandbox.set_servicer_status(KF, "zhangwei", True)
        await w.sandbox.staff_says("zhangwei", f"认领 {esc.id}")
        await w.settle()
        esc = await Escalation.get(id=esc.id)
        assert esc.status == EscalationStatus.CLAIMED and esc.claimed_by == "zhangwei"
        # The claim answered inside the callback; the session follows in a job.
        session = await wait_for(lambda: w.sandbox.kf.sessions[(KF, CUSTOMER)].state == 3
                                 and w.sandbox.kf.sessions[(KF, CUSTOMER)])
        assert session.servicer_userid == "zhangwei"
        esc = await wait_for(lambda: _row(esc.id, queued=False))
        assert esc.servicer_userid == "zhangwei" and not esc.queued


async def test_two_triggers_at_once_route_once_and_agree_with_wecom(
    mode_settings: Callable[..., Settings],
) -> None:
    """A complaint and 转人工 in quick succession: one escalation, routed once, so the
    customer's notice, the card and WeCom's session all name the same specialist."""
    import asyncio

    from bot.conversations import escalation

    async with world(mode_settings()) as w:
        await w.sandbox.customer_says(KF, CUSTOMER, "在吗")
        await w.settle()
        w.sandbox.set_faults(latency=0.05, paths=("kf/service_state/trans",))
        a, b = await asyncio.gather(
            escalation.escalate_kf(w.services.ports, KF, CUSTOMER, reason="rule"),
            escalation.escalate_kf(w.services.ports, KF, CUSTOMER, reason="menu"))
        await w.settle()
        assert a.id == b.id
        trans = [c for c in w.sandbox.calls if c["path"] == "kf/service_state/trans"]
        esc = await Escalation.get(id=a.id)
        assert len(trans) == 1
        assert esc.servicer_userid == w.sandbox.kf.sessions[(KF, CUSTOMER)].servicer_userid
        cards = [u for u in ("zhangwei", "liuyang") if w.app_inbox(u)]
        assert cards == [esc.servicer_userid]


async def test_claims_are_for_members_of_the_corp_only(
    mode_settings: Callable[..., Settings],
) -> None:
    import json

    settings = mode_settings()
    async with world(settings) as w:
        await _ready(w)
        esc = await _escalated(w)
        # Someone of another corp talks to our AI bot (from.corpid is set for outsiders).
        msg = {"msgid": "ext-claim-1", "aibotid": "aibot", "chattype": "single",
               "from": {"userid": "liuyang", "corpid": "wwSomeOtherCorp"},
               "msgtype": "text", "text": {"content": f"认领 {esc.id}"},
               "create_time": int(time.time())}
        resp = await post(w.client, Signed(settings, "aibot"),
                          json.dumps(msg, ensure_ascii=False), app="aibot")
        assert resp.status == 200
        await w.settle()
        esc = await Escalation.get(id=esc.id)
        assert esc.status == EscalationStatus.OPEN and esc.claimed_by is None


async def test_a_repeated_claim_finishes_a_hand_over_that_was_cut_off(
    mode_settings: Callable[..., Settings],
) -> None:
    from bot.conversations import escalation
    from bot.models import KfConversation

    async with world(mode_settings()) as w:
        await _ready(w)
        await w.sandbox.set_servicer_status(KF, "liuyang", False)
        esc = await _escalated(w)
        assert esc.servicer_userid == "zhangwei"
        await w.sandbox.set_servicer_status(KF, "liuyang", True)
        # liuyang's claim is stored, but the session hand-over never happened (cut off).
        await Escalation.filter(id=esc.id).update(status=EscalationStatus.CLAIMED,
                                                  claimed_by="liuyang")
        await escalation.claim(w.services.ports, esc.id, "liuyang")
        # The hand-over is a job.
        esc = await wait_for(lambda: _row(esc.id, servicer_userid="liuyang"))
        assert w.sandbox.kf.sessions[(KF, CUSTOMER)].servicer_userid == "liuyang"
        # The conversation follows (the hand-over, then WeCom's session event).

        async def followed() -> KfConversation | None:
            return await KfConversation.get_or_none(open_kfid=KF, external_userid=CUSTOMER,
                                                    servicer_userid="liuyang")

        conv = await wait_for(followed)
        assert conv.session_state == 3


async def _waiting_on_a_lock(statement: str) -> bool:
    """Whether a PostgreSQL session of this database waits on a lock, running
    ``statement`` (the start of its SQL)."""
    from bot.infra.db import connection

    rows = await connection().execute_query_dict(
        "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock' AND query LIKE $1", [statement + "%"])
    return bool(rows[0]["n"])


async def test_a_claim_racing_a_resolve_is_never_silently_undone(
    mode_settings: Callable[..., Settings],
) -> None:
    """zhangwei claims while lina resolves. Either the claim lands first and stands, or the
    resolve does and the claim is refused; never "已认领" told and then overwritten."""
    import asyncio

    from tortoise.transactions import in_transaction

    from bot.conversations import escalation
    from bot.infra import sql
    from bot.infra.db import connection

    async with world(mode_settings()) as w:
        await _ready(w)
        esc = await _escalated(w)
        told: list[Escalation] = []
        claimed, let_go = asyncio.Event(), asyncio.Event()

        async def claim_committed_late() -> None:
            # zhangwei's claim, in a transaction (a connection) of its own that commits only
            # once lina's resolve is under way.
            async with in_transaction():
                told.append(await escalation.claim(w.services.ports, esc.id, "zhangwei"))
                claimed.set()
                await let_go.wait()

        claiming = asyncio.create_task(claim_committed_late())
        await claimed.wait()
        assert told[0].status == EscalationStatus.CLAIMED and told[0].claimed_by == "zhangwei"
        resolving = asyncio.create_task(escalation.resolve(w.services.ports, esc.id, "lina"))
        if sql.is_postgres(connection()):
            # The resolve has begun its write and waits for the claimed row. (SQLite, one
            # writer, makes it wait for the claim's whole transaction: there only the
            # outcome is checked.)
            await wait_for(lambda: _waiting_on_a_lock('UPDATE "escalation"'))
        await asyncio.sleep(0.1)
        assert not resolving.done()  # the race: the claim lands while the resolve is on
        let_go.set()
        await claiming
        resolved = await resolving
        esc = await Escalation.get(id=esc.id)
        assert esc.status == EscalationStatus.RESOLVED and esc.resolved_by == "lina"
        assert esc.claimed_by == "zhangwei"  # the claim, told to zhangwei, still stands
        assert (resolved.status, resolved.claimed_by) == (EscalationStatus.RESOLVED, "zhangwei")


async def test_one_broken_escalation_does_not_stop_the_sla_of_the_others(
    mode_settings: Callable[..., Settings],
) -> None:
    settings = mode_settings(conversations={"supervisors": {"*": "liuyang"}})
    async with world(settings) as w:
        await _ready(w)
        esc = await _escalated(w)
        # Another case whose kf account WeCom no longer knows (its servicer list fails).
        broken = await Escalation.create(channel="kefu", conversation="kefu:gone:x",
                                         open_kfid="wkGone", external_userid="wmX",
                                         reason="menu", created_at=esc.created_at,
                                         notified_at=esc.notified_at)
        await Escalation.filter(id__in=[esc.id, broken.id]).update(
            created_at=esc.created_at - timedelta(minutes=20),
            notified_at=esc.created_at - timedelta(minutes=20))
        await check_sla(w.services.ports)
        esc = await Escalation.get(id=esc.id)
        assert esc.renotified_at is not None and esc.raised_at is not None


async def test_specialists_are_told_even_when_routing_fails(
    mode_settings: Callable[..., Settings],
) -> None:
    """WeCom refusing the session transfer must not leave the case unseen: the card goes out
    (to the receiving servicers), and a claim takes the session later."""
    from bot.conversations import escalation
    from bot.wecom.policy import RetryPolicy

    async with world(mode_settings()) as w:
        await w.sandbox.customer_says(KF, CUSTOMER, "在吗")
        await w.settle()
        w.services.wecom.retry = RetryPolicy(base_delay=0.01, max_delay=0.02)
        w.sandbox.set_faults(http5xx_burst=50, paths=("kf/service_state/trans",))
        esc = await escalation.escalate_kf(w.services.ports, KF, CUSTOMER, reason="menu")
        w.sandbox.set_faults()
        await w.settle()
        esc = await Escalation.get(id=esc.id)
        assert esc.notified_at is not None and esc.servicer_userid is None
        assert any(w.app_inbox(u) for u in ("zhangwei", "liuyang"))
        await escalation.claim(w.services.ports, esc.id, "zhangwei")
        await wait_for(lambda: w.sandbox.kf.sessions[(KF, CUSTOMER)].servicer_userid
                       == "zhangwei")


async def test_a_session_wecom_will_not_move_is_queued_for_people_and_keeps_its_state(
    mode_settings: Callable[..., Settings],
) -> None:
    """WeCom refuses the hand-over with 95016 (不允许这种状态转移: the servicer ended the
    session meanwhile): the escalation is queued and people are told, and the conversation
    keeps the state WeCom has, not the queue's state a refused move would have given it."""
    from bot.conversations.escalation import escalate_kf
    from bot.models import KfConversation

    settings = mode_settings(conversations={"supervisors": {KF: "liuyang"}})
    async with world(settings) as w:
        await _ready(w)
        await w.sandbox.customer_says(KF, CUSTOMER, "你好")
        await w.settle()
        await w.sandbox.servicer_ends_session(KF, CUSTOMER)
        await w.settle()
        before = await KfConversation.get(open_kfid=KF, external_userid=CUSTOMER)
        assert w.sandbox.kf.sessions[(KF, CUSTOMER)].state == 4
        calls = len(w.sandbox.calls)
        esc = await escalate_kf(w.services.ports, KF, CUSTOMER, reason="manual")
        refused = [c["errcode"] for c in w.sandbox.calls[calls:]
                   if c["path"] == "kf/service_state/trans"]
        assert refused and set(refused) == {95016}
        assert esc.queued and esc.servicer_userid is None and esc.notified_at is not None
        after = await KfConversation.get(open_kfid=KF, external_userid=CUSTOMER)
        assert after.session_state == before.session_state != 2
        await w.settle()
        assert any(f"claim:{esc.id}" in str(m["payload"]) for m in w.app_inbox("zhangwei")
                   + w.app_inbox("liuyang"))
