"""What WeCom gives up on (issue 19, defect 14): while callbacks cannot be stored the service
answers 503, WeCom retries for ~3 s and gives up for good. Once storage is back the outage is
recorded and reconciliation reads back what it can: a new contact (its record and channel
tags made, its welcome recorded as lost, the member told to greet in person) and a bound
group's joins and leaves (on the order's timeline). Nothing is done twice: not when the
callback turns up late after all, nor when reconciliation runs again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from bot.infra.clock import utcnow
from bot.models import (
    ContactEvent,
    CorpTag,
    Customer,
    CustomerFollow,
    CustomerGroupMember,
    CustomerTag,
    InboxEvent,
    InboxStatus,
    MissedEvent,
    Order,
    StorageOutage,
    WelcomeOutcome,
)
from bot.pipeline import reconcile
from bot.settings import Settings
from sandbox.driver import Delivery
from tests.harness.admin import Admin
from tests.harness.outages import code_and_order_group, storage_back, storage_out
from tests.harness.waiting import one, wait_for
from tests.harness.world import CUSTOMER, World, world

NO = "DD20261914"
NEW = "wmOutageNew0000000000000000001"


def notices(w: World, userid: str, word: str) -> list[dict[str, Any]]:
    return [m for m in w.sandbox.inbox(userid) if m["channel"] == "app" and word in str(m)]


async def setup(w: World, admin: Admin) -> tuple[dict[str, Any], Order]:
    """A channel code with a tag, and an order whose group the seeded customer is in."""
    status, made = await admin.call("POST", "/tags", {"group_name": "来源", "names": ["展会"]})
    assert status == 201, made
    return await code_and_order_group(w, admin, NO, tag_ids=[made[0]["tag_id"]],
                                      team={"specialist": "zhangwei", "designer": "lina"})


def gave_up(d: Delivery) -> None:
    """WeCom's delivery: four attempts (the first and 3 retries), all 503, over ~3 s."""
    assert d.status == "failed", d.as_dict()
    assert [a["status"] for a in d.attempts] == [503] * 4
    span = d.attempts[-1]["at"] - d.attempts[0]["at"]
    assert 2.5 <= span <= 4.5, span


async def test_an_outage_is_recorded_and_what_wecom_gave_up_on_is_reconciled_once(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings(reconcile_delay_seconds=0.1)) as w:
        assert w.sandbox.corp.driver.retry_delay == 1.0  # WeCom's pace: gives up after ~3 s
        admin = await Admin.make(w.client)
        way, order = await setup(w, admin)
        chat = order.group_chat_id
        assert chat is not None
        deliveries = w.sandbox.corp.driver.deliveries
        before = len(deliveries)

        await storage_out()
        try:
            await w.sandbox.customer_scans_code(way["config_id"], NEW, name="吴女士")
            await w.sandbox.customer_joins_group(NEW, config_id=order.join_way_config_id)
            await w.sandbox.customer_leaves_group(chat, CUSTOMER)
            await w.sandbox.drain()
            ready = await (await w.client.get("/readyz")).json()
            assert ready["outage"]["callbacks_refused"] == 3
        finally:
            await storage_back()
        lost = deliveries[before:]
        assert [d.label for d in lost] == ["add_external_contact", "external_chat_update",
                                           "external_chat_update"]
        for d in lost:
            gave_up(d)

        # Storage is back: the outage is recorded, then reconciled.
        outage = await wait_for(lambda: one(StorageOutage, reconciled_at__isnull=False),
                                timeout=30)
        assert outage.source == "serve" and outage.refused == 3
        assert outage.note == "补录 新客户 1，入群 1，退群 1", outage.note
        missed = {m.kind: m for m in await MissedEvent.all()}
        assert set(missed) == {"contact_add", "group_join", "group_leave"}
        assert all(m.outage_id == outage.id and m.done_at for m in missed.values())
        assert "503" in missed["contact_add"].reason

        # The contact: the record, the follow, the channel's tag (marked in WeCom too).
        customer = await Customer.get(external_userid=NEW)
        assert customer.name == "吴女士" and customer.is_contact
        follow = await CustomerFollow.get(customer=customer, userid="zhangwei")
        assert follow.state == way["state"]
        tag = await CorpTag.get(name="展会")
        assert (await CustomerTag.get(customer=customer)).cause == f"channel:{way['state']}"
        assert tag.tag_id in w.sandbox.corp.customers[NEW].follow["zhangwei"]["tags"]
        # Counted for its channel; the welcome recorded as lost with its callback; the
        # member told to greet in person; the customer got no welcome.
        assert await ContactEvent.filter(external_userid=NEW, channel_code=way["state"]
                                         ).count() == 1
        outcome = await WelcomeOutcome.get(external_userid=NEW)
        assert outcome.outcome == "callback_lost"
        told = await wait_for(lambda: notices(w, "zhangwei", "亲自"))
        assert len(told) == 1 and "吴女士" in told[0]["payload"]["content"]
        assert not [m for m in w.sandbox.inbox(NEW) if m["channel"] == "welcome"]
        assert "已通知成员 zhangwei" in missed["contact_add"].action

        # The group: the join applied (the order's customer linked by the QR), the team
        # told; the leave marked; both on the order's timeline, saying why.
        assert (await Order.get(order_no=NO)).customer_external_userid == NEW
        left = await CustomerGroupMember.get(group_id=chat, userid=CUSTOMER)
        assert left.left_at is not None
        await wait_for(lambda: notices(w, "lina", "客户已入群"))
        status, tl = await admin.call("GET", f"/orders/{NO}/timeline")
        assert status == 200
        joined = [e for e in tl["entries"] if e["kind"] == "joined"]
        assert joined[0]["detail"] is None  # the seeded customer's join, before
        assert len(joined) == 2 and "停机补录" in joined[1]["detail"]
        assert {n["detail"] for n in joined[1]["notifications"]} == {joined[1]["detail"]}
        (leave,) = [e for e in tl["entries"] if e["kind"] == "group_leave"]
        assert "退群" in leave["detail"] and "停机补录" in leave["detail"]

        # Read-only in the admin API, paged, in Chinese where people read it.
        viewer = await Admin.make(w.client, "viewer")
        resp = await w.client.get("/api/v1/missed-events", params={"page": "1", "page_size": "2"},
                                  headers=viewer.headers)
        assert resp.status == 200 and resp.headers["X-Total-Count"] == "3"
        page = await resp.json()
        assert len(page) == 2 and page[0]["kind_text"] in ("客户群成员退群", "客户群成员入群")
        status, adds = await viewer.call("GET", "/missed-events?kind=contact_add")
        assert status == 200 and adds[0]["kind_text"] == "新客户添加（欢迎语无法补发）"
        assert adds[0]["staff_name"] == "张伟" and adds[0]["external_userid"] == NEW
        status, outages = await viewer.call("GET", "/outages")
        assert status == 200 and outages[0]["source_text"] == "回调被拒（存储不可用）"
        assert outages[0]["found"] == 3
        status, doctor = await admin.call("GET", "/doctor")
        assert status == 200
        (check,) = [c for c in doctor["checks"] if c["id"] == "outages"]
        assert check["status"] == "ok" and "近 7 天存储中断 1 次" in check["message"]
        assert "补录 3 项" in check["message"]
        metrics = await (await w.client.get("/metrics")).text()
        assert 'wecom_bot_missed_events_total{kind="contact_add"} 1.0' in metrics
        assert 'wecom_bot_storage_outages_total{source="serve"} 1.0' in metrics

        # A little after recovery: which refused callbacks no retry stored, by kind.
        counted = await wait_for(lambda: one(StorageOutage, id=outage.id, lost__isnull=False),
                                 timeout=20)
        assert counted.lost == 3 and counted.kinds == {
            "change_external_contact.add_external_contact": 1,
            "change_external_chat.update": 2}

        # The callbacks turn up late after all: nothing is done a second time.
        app = w.sandbox.corp.app_for_callbacks()
        for d in lost[:2]:
            again = w.sandbox.corp.driver.deliver(app, d.plaintext, "xml", "late")
            await w.sandbox.drain()
            assert again.status == "delivered"
        await w.settle()
        await check_once(w, NEW)
        late = await MissedEvent.get(kind="contact_add")
        assert late.late_callback_at is not None

        # Reconciling again (another witness of the same outage) finds nothing more.
        again_row = await StorageOutage.create(source="worker", process="test",
                                               started_at=outage.started_at,
                                               ended_at=outage.ended_at)
        await reconcile.reconcile_outages(w.services)
        again_row = await StorageOutage.get(id=again_row.id)
        assert again_row.reconciled_at is not None and again_row.found == 0
        assert again_row.note == "没有发现遗漏"
        assert await MissedEvent.all().count() == 3
        await w.settle()
        await check_once(w, NEW)


async def check_once(w: World, euid: str) -> None:
    assert await ContactEvent.filter(external_userid=euid).count() == 1
    assert await WelcomeOutcome.filter(external_userid=euid).count() == 1
    assert len(notices(w, "zhangwei", "亲自")) == 1
    for uid in ("zhangwei", "lina"):
        assert len(notices(w, uid, "客户已入群")) == 1
    assert await CustomerGroupMember.filter(userid=euid).count() == 1
    assert not [m for m in w.sandbox.inbox(euid) if m["channel"] == "welcome"]


EMBEDDED = pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)


@EMBEDDED
async def test_reconciliation_waits_for_stored_callbacks_and_says_what_it_could_not_read(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings(reconcile_delay_seconds=3600)) as w:
        admin = await Admin.make(w.client)
        await setup(w, admin)
        now = utcnow()
        row = await StorageOutage.create(source="worker", process="test", started_at=now,
                                         ended_at=now)
        # A contact callback stored and not yet handled: its handler will do the work, so
        # reconciliation waits for it rather than doing it too.
        pending = await InboxEvent.create(
            app="main", dedupe_key="sha256:pending", fmt="xml",
            event_type="change_external_contact.add_external_contact", plaintext="<xml/>",
            received_at=now, enqueued_at=now + timedelta(hours=1))
        calls = len(w.sandbox.calls)
        assert await reconcile.reconcile_outages(w.services) == 0
        assert not (await StorageOutage.get(id=row.id)).reconciled_at
        assert len(w.sandbox.calls) == calls  # WeCom not asked yet
        await InboxEvent.filter(id=pending.id).update(status=InboxStatus.DONE)

        # The app lost its 客户联系 permission: nothing can be read back; the outage says so.
        w.sandbox.corp.admin["main"].contact_api = False
        await reconcile.reconcile_outages(w.services, {"waited": 1})
        done = await StorageOutage.get(id=row.id)
        assert done.reconciled_at is not None and done.found == 0
        assert done.note is not None
        assert "新客户未能补录（读取客户列表时企业微信错误 48002）" in done.note
        assert f"订单 {NO} 的客户群未能读取（企业微信错误 48002）" in done.note
