"""Milestones: idempotent by event id, forward only unless forced, bad input changes nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot.models import Milestone, Notification, Order, OutboxMessage
from bot.settings import Settings
from tests.harness.admin import Admin
from tests.harness.policies import FAST
from tests.harness.service import services_of, serving
from tests.harness.waiting import outbox_settled, wait_for
from tests.orders.helpers import cards, new_order, orders_settings

NO = "DD20260002"


async def post(admin: Admin, body: dict[str, object], no: str = NO) -> tuple[int, dict]:
    return await admin.call("POST", f"/orders/{no}/milestones", body)


async def state() -> tuple[int, int, int, str | None]:
    order = await Order.get(order_no=NO)
    return (await Milestone.all().count(), await Notification.all().count(),
            await OutboxMessage.all().count(), order.stage)


async def test_idempotency_and_conflicts(mode_settings: Callable[..., Settings]) -> None:
    async with serving(orders_settings(mode_settings)) as client:
        services_of(client).wecom.retry = FAST
        admin = await Admin.make(client)
        await new_order(admin, NO)
        body = {"milestone": "签约", "event_id": "e-1", "occurred_at": "2026-11-01T10:00:00Z"}
        first = await post(admin, body)
        assert first[0] == 201
        before = await state()
        # The same event again: the first result, nobody notified again.
        again = await post(admin, body)
        assert again[0] == 201 and again[1]["replayed"]
        assert {**again[1], "replayed": False} == first[1]
        assert await state() == before
        # The same event id with another body: 409, nothing changes.
        status, err = await post(admin, {**body, "note": "改了"})
        assert status == 409 and err["error"]["field"] == "event_id"
        assert await state() == before
        # Concurrent deliveries of one new event: exactly one milestone and one set of notices.
        burst = {"milestone": "量尺", "event_id": "e-2"}
        results = await asyncio.gather(*(post(admin, burst) for _ in range(6)))
        assert [s for s, _ in results] == [201] * 6
        assert sorted(r["replayed"] for _, r in results) == [False] + [True] * 5
        assert await Milestone.filter(event_id="e-2").count() == 1
        assert await Notification.filter(milestone__event_id="e-2").count() == 3
        await outbox_settled()


async def test_forward_only_unless_forced(embedded_settings: Callable[..., Settings]) -> None:
    async with serving(orders_settings(embedded_settings)) as client:
        services_of(client).wecom.retry = FAST
        sandbox = services_of(client).sandbox
        admin = await Admin.make(client)
        await new_order(admin, NO)
        # Skipping 签约 needs force.
        status, err = await post(admin, {"milestone": "量尺", "event_id": "a"})
        assert status == 409 and "跳过了 签约" in err["error"]["message"]
        assert await state() == (0, 0, 0, None)
        assert (await post(admin, {"milestone": "签约", "event_id": "b"}))[0] == 201
        assert (await post(admin, {"milestone": "量尺", "event_id": "c"}))[0] == 201
        # Back, and the same stage again, need force too.
        status, err = await post(admin, {"milestone": "签约", "event_id": "d"})
        assert status == 409 and "回退需要" in err["error"]["message"]
        status, err = await post(admin, {"milestone": "量尺", "event_id": "e"})
        assert status == 409 and "已在「" in err["error"]["message"]
        # Forced: recorded as forced, from where it was.
        status, forced = await post(admin, {"milestone": "生产", "event_id": "f", "force": True})
        assert status == 201 and forced["forced"] and forced["from_stage"] == "量尺"
        assert (await Order.get(order_no=NO)).stage == "生产"
        status, tl = await admin.call("GET", f"/orders/{NO}/timeline")
        assert [e["milestone"]["forced"] for e in tl["entries"]] == [False, False, True]
        await wait_for(lambda: cards(sandbox, "zhangwei", "生产（强制）"))
        await outbox_settled()


async def test_bad_input_is_refused_and_changes_nothing(
    embedded_settings: Callable[..., Settings],
) -> None:
    async with serving(orders_settings(embedded_settings)) as client:
        admin = await Admin.make(client)
        await new_order(admin, NO)
        cases = [
            ({"milestone": "上天", "event_id": "x"}, 404, "milestone"),
            ({"milestone": "签约", "event_id": "bad id!"}, 400, "event_id"),
            ({"milestone": "签约"}, 400, "event_id"),
            ({"milestone": "签约", "event_id": "x", "extra": 1}, 400, "extra"),
            ({"milestone": "签约", "event_id": "x", "note": "长" * 301}, 400, "note"),
        ]
        for body, code, field in cases:
            status, err = await post(admin, body)
            assert (status, err["error"]["field"]) == (code, field), (body, err)
        status, err = await post(admin, {"milestone": "签约", "event_id": "x"}, no="NOPE1")
        assert status == 404 and "NOPE1" in err["error"]["message"]
        assert await state() == (0, 0, 0, None)
        await outbox_settled()


async def test_commands_through_the_ai_bot(embedded_settings: Callable[..., Settings]) -> None:
    async with serving(orders_settings(embedded_settings)) as client:
        services_of(client).wecom.retry = FAST
        sandbox = services_of(client).sandbox
        admin = await Admin.make(client)
        await new_order(admin, NO)
        await sandbox.staff_mentions_aibot("lina", f"@订单助手 里程碑 {NO} 签约 合同已签")
        await wait_for(lambda: [m for m in sandbox.inbox("lina") if "已记录" in str(m)])
        assert (await Order.get(order_no=NO)).stage == "签约"
        await sandbox.staff_mentions_aibot("wangqiang", f"@订单助手 进度 {NO}")
        reply = await wait_for(lambda: [m for m in sandbox.inbox("wangqiang")
                                        if m["channel"] == "aibot_reply"])
        assert "当前阶段：签约" in reply[0]["reply"]
        await outbox_settled()
