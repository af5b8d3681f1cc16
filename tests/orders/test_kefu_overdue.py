"""Customer notices in kefu only when the session allows; the daily overdue notice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.infra.clock import utcnow
from bot.models import KfConversation, Notification, NotificationStatus, Order
from bot.orders import kefu_notices as kefu
from bot.orders import overdue
from bot.settings import Settings
from sandbox import SEED_KF
from tests.harness.admin import Admin
from tests.harness.policies import FAST
from tests.harness.service import services_of, serving, set_clock
from tests.harness.waiting import one, outbox_settled, wait_for
from tests.harness.world import CUSTOMER
from tests.orders.helpers import cards, new_order, orders_settings, run_tick

NO = "DD20260030"


async def kefu_notice(event_id: str) -> Notification:
    """The kefu notice of a milestone once decided: queued for sending, or skipped."""
    async def decided() -> Notification | None:
        n = await Notification.get_or_none(channel="kefu", kind="milestone",
                                            milestone__event_id=event_id)
        return n if n and (n.outbox_id or n.status != NotificationStatus.PENDING) else None

    return await wait_for(decided)


async def test_kefu_only_when_the_session_allows(
    embedded_settings: Callable[..., Settings],
) -> None:
    async with serving(orders_settings(embedded_settings)) as client:
        services = services_of(client)
        services.wecom.retry = FAST
        sandbox = services.sandbox
        admin = await Admin.make(client)
        await new_order(admin, NO, customer={"external_userid": CUSTOMER, "open_kfid": SEED_KF})
        ms = f"/orders/{NO}/milestones"
        stages = ["签约", "量尺", "设计", "方案确认", "生产", "发货", "安装"]
        # The customer never wrote: skipped, with the reason (the session state is 4).
        await admin.call("POST", ms, {"milestone": stages[0], "event_id": "k0"})
        n = await kefu_notice("k0")
        assert n.status == NotificationStatus.SKIPPED and "状态为 4" in (n.detail or "")
        # The customer writes; the bot's own answer and the milestone notices share the 5
        # messages WeCom allows after it: the one past the allowance is skipped.
        await sandbox.customer_says(SEED_KF, CUSTOMER, "在吗")
        conv = await wait_for(lambda: one(KfConversation, external_userid=CUSTOMER,
                                          last_customer_at__isnull=False))
        await outbox_settled()
        left = 5 - (await KfConversation.get(id=conv.id)).sent_since_customer
        assert 1 <= left <= 5
        for i, stage in enumerate(stages[1:1 + left], start=1):
            await admin.call("POST", ms, {"milestone": stage, "event_id": f"k{i}"})
            assert (await kefu_notice(f"k{i}")).outbox_id is not None
        await admin.call("POST", ms, {"milestone": stages[1 + left], "event_id": "over"})
        n = await kefu_notice("over")
        assert n.status == NotificationStatus.SKIPPED and "5 条已用完" in (n.detail or "")
        await wait_for(lambda: len([m for m in sandbox.inbox(CUSTOMER) if m["channel"] == "kf"
                                    and NO in str(m.get("payload"))]) == left)
        # A person takes the session (state 3): the bot stays out.
        await sandbox.customer_says(SEED_KF, CUSTOMER, "我要找人工")
        await sandbox.servicer_says(SEED_KF, CUSTOMER, "zhangwei", "您好，我是张伟")
        await admin.call("POST", ms, {"milestone": "验收", "event_id": "k7", "force": True})
        n = await kefu_notice("k7")
        assert n.status == NotificationStatus.SKIPPED and "状态为 3" in (n.detail or "")
        _, tl = await admin.call("GET", f"/orders/{NO}/timeline")
        kf = [n for e in tl["entries"] for n in e["notifications"]
              if n["channel"] == "kefu" and n["kind"] == "milestone"]
        assert [n["status"] for n in kf] == ["skipped"] + ["sent"] * left + ["skipped"] * 2
        # 验收 also asks for a rating (a menu after the stage's own notice): not while a
        # person has the session either.
        survey = await wait_for(lambda: one(Notification, kind="survey",
                                            status=NotificationStatus.SKIPPED), timeout=20)
        assert "状态为 3" in (survey.detail or "")
        await outbox_settled()


async def test_overdue_stage_notifies_the_specialist_once_a_day(
    embedded_settings: Callable[..., Settings],
) -> None:
    async with serving(orders_settings(embedded_settings)) as client:
        services_of(client).wecom.retry = FAST
        sandbox = services_of(client).sandbox
        admin = await Admin.make(client)
        await new_order(admin, NO)
        await new_order(admin, "DD20260031", team={"specialist": "lina"})
        # 签约 is expected to take 1 day; it started 2 days ago.
        await admin.call("POST", f"/orders/{NO}/milestones", {
            "milestone": "签约", "event_id": "o1", "occurred_at": "2026-01-01T00:00:00Z"})
        await admin.call("POST", "/orders/DD20260031/milestones", {"milestone": "签约",
                                                                   "event_id": "o2"})
        status, page = await admin.call("GET", "/orders?overdue=true")
        assert status == 200 and [o["order_no"] for o in page["orders"]] == [NO]
        status, page = await admin.call("GET", "/orders?overdue=false")
        assert [o["order_no"] for o in page["orders"]] == ["DD20260031"]
        services = services_of(client)
        clock = set_clock(services, utcnow())  # WeCom's day moves with ours
        for _ in range(3):
            await overdue.notify(services.ports)
        notes = await wait_for(lambda: cards(sandbox, "zhangwei", "已超期"))
        assert len(notes) == 1 and not cards(sandbox, "lina", "已超期")
        # The next day it is said again, once (the periodic tick runs it); a moved stage
        # stops it.
        clock.advance(24 * 3600)
        await run_tick(client)
        await overdue.notify(services.ports, services.ports.clock.now() + timedelta(seconds=60))
        await wait_for(lambda: len(cards(sandbox, "zhangwei", "已超期")) == 2)
        await admin.call("POST", f"/orders/{NO}/milestones", {"milestone": "量尺",
                                                             "event_id": "o3"})
        assert (await Order.get(order_no=NO)).overdue_notified_on is None
        await overdue.notify(services.ports, services.ports.clock.now() + timedelta(days=2))
        assert len(cards(sandbox, "zhangwei", "已超期")) == 2
        await outbox_settled()


async def test_a_lost_kefu_decision_is_swept_up(
    embedded_settings: Callable[..., Settings],
) -> None:
    async with serving(orders_settings(embedded_settings)) as client:
        services = services_of(client)
        services.wecom.retry = FAST
        admin = await Admin.make(client)
        await new_order(admin, NO, customer={"external_userid": CUSTOMER, "open_kfid": SEED_KF})
        await admin.call("POST", f"/orders/{NO}/milestones", {"milestone": "签约",
                                                             "event_id": "s1"})
        first = await kefu_notice("s1")
        # As if the process died between the commit and the enqueue: a pending notice whose
        # job never ran. Fresh ones are left alone; a minute later the sweep takes it.
        order = await Order.get(order_no=NO)
        lost = await Notification.create(order=order, milestone_id=first.milestone_id,
                                         kind="milestone", channel="kefu", recipient=CUSTOMER)
        assert await kefu.sweep(services.ports) == 0
        await Notification.filter(id=lost.id).update(
            created_at=utcnow() - timedelta(minutes=5))
        assert await kefu.sweep(services.ports) == 1
        await wait_for(lambda: _decided(lost.id))
        await outbox_settled()


async def _decided(notification_id: int) -> bool:
    n = await Notification.get(id=notification_id)
    return n.status != NotificationStatus.PENDING or n.outbox_id is not None
