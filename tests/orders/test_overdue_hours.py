"""Overdue-stage alerts on the business calendar, end to end on a set clock: a stage that runs
late over a weekend is shown overdue at once, but its alert waits for Monday 09:00."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.orders import tick as orders_tick
from bot.settings import Settings
from keywords.workdays import BEIJING
from tests.harness.admin import Admin
from tests.harness.policies import FAST
from tests.harness.service import services_of, serving, set_clock
from tests.harness.waiting import outbox_settled, wait_for
from tests.orders.helpers import cards, new_order, orders_settings

NO = "DD20261210"


def bj(*args: int) -> datetime:
    return datetime(*args, tzinfo=BEIJING)  # type: ignore[misc]


async def test_an_overdue_alert_on_a_sunday_waits_until_monday_nine(
    embedded_settings: Callable[..., Settings],
) -> None:
    settings = orders_settings(embedded_settings, business_hours="09:00-18:00")
    async with serving(settings) as client:
        services = services_of(client)
        services.wecom.retry = FAST
        sandbox = services.sandbox
        clock = set_clock(services, bj(2026, 12, 10, 10, 0))  # a Thursday
        admin = await Admin.make(client)
        await new_order(admin, NO)
        # 签约 takes one business day: reached on Thursday, 量尺 is expected on Friday.
        await admin.call("POST", f"/orders/{NO}/milestones",
                         {"milestone": "签约", "event_id": "o1"})

        async def tick_at(at: datetime) -> list[object]:
            clock.advance((at - services.ports.clock.now()).total_seconds())
            await orders_tick.tick(services.ports)
            await outbox_settled()
            return cards(sandbox, "zhangwei", "已超期")

        assert await tick_at(bj(2026, 12, 11, 17, 0)) == []  # Friday: due, not late
        for at in (bj(2026, 12, 12, 9, 30), bj(2026, 12, 13, 10, 0), bj(2026, 12, 13, 23, 0),
                   bj(2026, 12, 14, 8, 55)):
            assert await tick_at(at) == [], at
            # Late all the same, as the console and the API show it.
            _, page = await admin.call("GET", "/orders?overdue=true")
            assert [o["order_no"] for o in page["orders"]] == [NO]
        got = await tick_at(bj(2026, 12, 14, 9, 0))
        assert len(got) == 1 and "已超过预计时长 1 个工作日" in str(got[0])
        assert len(await tick_at(bj(2026, 12, 14, 16, 0))) == 1  # once a day
        await wait_for(lambda: len(cards(sandbox, "zhangwei", "已超期")) == 1)
