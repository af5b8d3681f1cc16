"""Reachability, honestly: every milestone's timeline says which channel told the customer or
why none could (kf window closed, budget spent, no kf identity, no group, the group's 群发 of
the day used), and then the specialist is asked to reach the customer in person, at most
once a day per order. End to end through the sandbox on a set clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from bot.infra.clock import utcnow
from bot.models import KfConversation, Milestone
from bot.orders import reach
from bot.orders import tick as orders_tick
from bot.settings import Settings
from keywords.workdays import BEIJING
from sandbox import SEED_KF
from tests.harness.admin import Admin
from tests.harness.policies import FAST
from tests.harness.service import services_of, serving, set_clock
from tests.harness.waiting import one, outbox_settled, wait_for
from tests.orders.helpers import CUSTOMER, bound_order, cards, new_order, orders_settings

NO = "DD20261207"
HOUR = 3600.0


def bj(*args: int) -> datetime:
    return datetime(*args, tzinfo=BEIJING)  # type: ignore[misc]


async def _milestone(admin: Admin, stage: str, event_id: str) -> dict[str, Any]:
    """Record a milestone; the timeline entry once its reach is decided."""
    status, body = await admin.call("POST", f"/orders/{NO}/milestones",
                                    {"milestone": stage, "event_id": event_id})
    assert status == 201, body
    await wait_for(lambda: one(Milestone, event_id=event_id, reach__not_isnull=True))
    await outbox_settled()
    _, tl = await admin.call("GET", f"/orders/{NO}/timeline")
    entry: dict[str, Any] = next(e for e in tl["entries"] if e["milestone"]
                                 and e["milestone"]["event_id"] == event_id)
    return entry


def _asks(sandbox: Any) -> list[dict[str, Any]]:
    return cards(sandbox, "zhangwei", "请亲自联系客户")


async def test_a_closed_kf_window_is_shown_and_the_specialist_asked_once_a_day(
    mode_settings: Callable[..., Settings],
) -> None:
    # No rules in production mode: the customer's two questions must not escalate (a
    # person's session, state 3, closes kefu to the bot).
    settings = orders_settings(mode_settings, conversations={"unmatched_escalate_after": 9})
    async with serving(settings) as client:
        services = services_of(client)
        services.wecom.retry = FAST
        sandbox = services.sandbox
        clock = set_clock(services, bj(2026, 12, 7, 10, 0))  # a Monday
        admin = await Admin.make(client)
        await new_order(admin, NO, customer={"external_userid": CUSTOMER, "open_kfid": SEED_KF,
                                             "name": "陈女士", "phone": "13800000000"})
        await sandbox.customer_says(SEED_KF, CUSTOMER, "在吗")
        await wait_for(lambda: one(KfConversation, external_userid=CUSTOMER,
                                   last_customer_at__isnull=False))
        await outbox_settled()
        clock.advance(49 * HOUR)  # Wednesday 11:00: the 48 h window is closed

        first = await _milestone(admin, "签约", "r1")
        assert first["reach"]["channel"] is None
        assert "48 小时内没有发过消息" in first["reach"]["kefu"]
        assert first["reach"]["group"] == "订单没有绑定客户群"
        assert first["reach"]["asked"] == "sent"
        asks = _asks(sandbox)
        assert len(asks) == 1
        text = asks[0]["payload"]["description"]
        assert "「签约」" in text and "陈女士（13800000000）" in text and "48 小时" in text
        # The ask is on the milestone's timeline, to the specialist by name.
        ask = [n for n in first["notifications"] if n["kind"] == "reach_ask"]
        assert [(n["channel"], n["recipient"], n["status"]) for n in ask] == [
            ("app", "zhangwei", "sent")]
        kefu = [n for n in first["notifications"] if n["channel"] == "kefu"]
        assert kefu[0]["status"] == "skipped"

        # The same day again: shown, but the specialist is not asked twice.
        second = await _milestone(admin, "量尺", "r2")
        assert second["reach"]["channel"] is None and second["reach"]["asked"] == "today"
        assert not [n for n in second["notifications"] if n["kind"] == "reach_ask"]
        assert len(_asks(sandbox)) == 1

        clock.advance(23 * HOUR)  # Thursday 10:00: a new day, a new ask
        third = await _milestone(admin, "设计", "r3")
        assert third["reach"]["asked"] == "sent" and len(_asks(sandbox)) == 2

        # The customer writes again: the kefu notice goes, nobody is asked.
        before = (await KfConversation.get(external_userid=CUSTOMER)).last_customer_at
        assert before is not None
        await sandbox.customer_says(SEED_KF, CUSTOMER, "方案好了吗")
        # Pulled and counted (its answer sent): not the allowance spent days ago.
        await wait_for(lambda: one(KfConversation, external_userid=CUSTOMER,
                                   last_customer_at__gt=before, sent_since_customer__gte=1))
        await outbox_settled()
        clock.advance(HOUR)
        fourth = await _milestone(admin, "方案确认", "r4")
        assert fourth["reach"]["channel"] == "kefu" and fourth["reach"]["kefu"] is None
        assert fourth["reach"]["asked"] is None and len(_asks(sandbox)) == 2
        await wait_for(lambda: any(NO in str(m.get("payload")) and "方案确认" in str(m)
                                   for m in sandbox.inbox(CUSTOMER) if m["channel"] == "kf"))


async def test_the_group_task_of_the_day_used_and_no_kf_identity(
    embedded_settings: Callable[..., Settings],
) -> None:
    async with serving(orders_settings(embedded_settings)) as client:
        services = services_of(client)
        services.wecom.retry = FAST
        sandbox = services.sandbox
        clock = set_clock(services, bj(2026, 12, 8, 10, 0))
        admin = await Admin.make(client)
        await new_order(admin, NO)  # a customer by name and phone only: no kefu identity
        await bound_order(admin, NO)
        first = await _milestone(admin, "签约", "g1")
        # The group's 群发 of the day is still free: it will carry the notice.
        assert first["reach"]["channel"] == "group"
        assert "external_userid" in first["reach"]["kefu"] and first["reach"]["asked"] is None
        clock.advance(61)
        await orders_tick.tick(services.ports)  # the day's task is created
        await outbox_settled()
        second = await _milestone(admin, "量尺", "g2")
        assert second["reach"]["channel"] is None
        why = second["reach"]["group"]
        assert "今天的群发已用" in why and "12月9日" in why
        assert second["reach"]["asked"] == "sent" and len(_asks(sandbox)) == 1


async def test_a_lost_decision_is_swept_up(embedded_settings: Callable[..., Settings]) -> None:
    async with serving(orders_settings(embedded_settings)) as client:
        services = services_of(client)
        services.wecom.retry = FAST
        admin = await Admin.make(client)
        await new_order(admin, NO)
        entry = await _milestone(admin, "签约", "s1")
        assert entry["reach"]["asked"] == "sent"
        # As if the process died right after the milestone's commit: undecided. Fresh ones
        # are left to their job; a minute later the orders' tick settles it.
        await Milestone.filter(event_id="s1").update(reach=None)
        assert await reach.sweep(services.ports) == 0
        await Milestone.filter(event_id="s1").update(
            created_at=utcnow() - timedelta(minutes=5))
        await orders_tick.tick(services.ports)
        m = await Milestone.get(event_id="s1")
        assert m.reach is not None and m.reach["asked"] == "today"  # still once a day
        assert len(_asks(services.sandbox)) == 1
