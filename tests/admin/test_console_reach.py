"""The order timeline in a real browser says, in Chinese, how each milestone's notice reached
the customer, or why it could not and that the specialist was asked to call."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from bot.api_access import create_token
from bot.models import Milestone
from bot.settings import Settings
from tests.harness.browser import browser_page, sign_in
from tests.harness.waiting import one, wait_for
from tests.harness.world import world


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_the_timeline_shows_why_the_customer_was_not_reached(
    mode_settings: Callable[..., Settings],
) -> None:
    async with world(mode_settings()) as w:
        token = await create_token("root", "admin")
        h = {"Authorization": f"Bearer {token}"}
        resp = await w.client.post("/api/v1/orders", headers=h, json={
            "order_no": "DD4001", "customer": {"name": "陈女士", "phone": "13800000000"},
            "team": {"specialist": "zhangwei"}})
        assert resp.status == 201
        for event_id, stage in (("c1", "签约"), ("c2", "量尺")):
            resp = await w.client.post("/api/v1/orders/DD4001/milestones", headers=h,
                                       json={"milestone": stage, "event_id": event_id})
            assert resp.status == 201
            await wait_for(lambda e=event_id: one(Milestone, event_id=e,  # type: ignore[misc]
                                                  reach__not_isnull=True))
        await w.settle()
        async with browser_page(str(w.client.make_url("/"))) as page:
            await sign_in(page, token, "/admin/#/orders/DD4001")
            await page.wait_for_selector("#order-timeline [data-reach=none]")
            await page.wait_for_selector("#order-timeline [data-status=sent]")
            first = await page.inner_text(
                "#order-timeline li[data-kind=milestone]:has-text('签约')")
            assert "没能通知到客户" in first and "订单没有绑定客户群" in first
            assert "已请专员亲自联系客户" in first and "张伟" in first
            second = await page.inner_text(
                "#order-timeline li[data-kind=milestone]:has-text('量尺')")
            assert "今天已请专员联系过这位客户" in second
            assert first.count("请专员联系客户") == 1  # the ask, told apart from the team card
            reach = await page.inner_text("#order-timeline .timeline-reach")
            assert re.findall(r"[A-Za-z_]+", reach) == ["external_userid"]  # an id, shown as is
            assert page.js_errors == []
