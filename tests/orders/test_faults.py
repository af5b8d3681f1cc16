"""A fault run: with 20 % of WeCom calls failing (-1, 45009, HTTP 5xx), every notice still
arrives exactly once and nothing is left failed or pending."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from bot.models import GroupNotice, GroupNoticeStatus, Order, OutboxMessage, OutboxStatus
from bot.settings import Settings
from sandbox import SEED_CUSTOMERS
from sandbox.model import Staff
from tests.harness.admin import Admin
from tests.harness.policies import FAST
from tests.harness.service import services_of, serving
from tests.harness.waiting import wait_for
from tests.orders.helpers import bound_order, new_order, orders_settings, run_tick

N = 6
# Each order its own specialist: one member may get only 30 app messages a minute (the
# client waits for the next minute rather than let WeCom drop the excess).
SPECIALISTS = [f"spec{i:02d}" for i in range(N)]


async def all_settled() -> bool:
    return not await OutboxMessage.filter(status=OutboxStatus.PENDING).exists()


async def test_faults_lose_and_duplicate_nothing(mode_settings: Callable[..., Settings]) -> None:
    settings = orders_settings(mode_settings)
    async with serving(settings) as client:
        services = services_of(client)
        services.wecom.retry = FAST
        sandbox = services.sandbox
        admin = await Admin.make(client)
        sandbox.set_faults(error_rate=0.1, http5xx_rate=0.1, rate_limit_burst=8, seed=7)
        nos = [f"FT{i:08d}" for i in range(N)]
        orders = []
        for uid in SPECIALISTS:
            sandbox.corp.staff[uid] = Staff(uid, uid, "specialist")
        for i, no in enumerate(nos):
            team = {"specialist": SPECIALISTS[i], "designer": "lina", "installer": "wangqiang"}
            await new_order(admin, no, team=team)
            order = await bound_order(admin, no, owner=SPECIALISTS[i])
            euid = SEED_CUSTOMERS[i % 3][0] if i < 3 else f"wmFault{i:024d}"
            await sandbox.customer_joins_group(euid, config_id=order.join_way_config_id)
            orders.append(order)
        await wait_for(lambda: Order.filter(customer_external_userid__isnull=False).count(),
                       timeout=20)
        for no in nos:
            for n, stage in enumerate(("签约", "量尺")):
                status, _ = await admin.call("POST", f"/orders/{no}/milestones",
                                             {"milestone": stage, "event_id": f"{no}-{n}"})
                assert status == 201
        await run_tick(client, ahead=61)
        await wait_for(lambda: GroupNotice.filter(outbox_id__isnull=False).count(), timeout=20)
        await wait_for(all_settled, timeout=30)
        for msgid in list(sandbox.mass_messaging.tasks):
            await sandbox.owner_confirms_task(msgid)
        for ahead in (200, 400, 600, 800):
            await run_tick(client, ahead=ahead)
        await wait_for(lambda: _all_delivered(), timeout=20)
        sandbox.set_faults()

        failed = await OutboxMessage.filter(status__in=[OutboxStatus.FAILED,
                                                        OutboxStatus.PENDING]).count()
        assert failed == 0
        faults = [c for c in sandbox.calls if c["errcode"] in (-1, 45009) or
                  c["http_status"] >= 500]
        assert len(faults) >= 10  # the run really was under fire
        for i, no in enumerate(nos):
            for uid in (SPECIALISTS[i], "lina", "wangqiang"):
                titles = Counter(m["payload"]["title"] for m in sandbox.inbox(uid)
                                 if m["channel"] == "app" and m["msgtype"] == "textcard")
                for what in ("签约", "量尺", "客户已入群"):
                    assert titles[f"订单 {no}：{what}"] == 1, (uid, no, what, titles)
            mine = Counter(m["payload"]["title"] for m in sandbox.inbox(SPECIALISTS[i])
                           if m["channel"] == "app")
            assert mine[f"订单 {no} 的入群二维码"] == 1 and mine[f"请确认群发：订单 {no}"] == 1
        for order in orders:
            got = sandbox.inbox(order.group_chat_id)
            assert len(got) == 1 and "签约" in str(got) and "量尺" in str(got)
        assert len(sandbox.mass_messaging.tasks) == N


async def _all_delivered() -> bool:
    statuses = await GroupNotice.all().values_list("status", flat=True)
    return len(statuses) == N and set(statuses) == {GroupNoticeStatus.DELIVERED}
