"""The orders page in a real browser: the list with filters, an order's timeline with every
notification's state, and a milestone recorded from the page."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.api_access import create_token
from bot.models import Milestone
from bot.settings import Settings
from tests.harness.browser import browser_page, choose, sign_in
from tests.harness.world import world

ROW = "#order-list tr.el-table__row"
TEAM = {"specialist": "zhangwei", "designer": "lina", "installer": "wangqiang"}


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_orders_list_filters_and_timeline(
    mode_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    async with world(mode_settings()) as w:
        token = await create_token("root", "admin")
        h = {"Authorization": f"Bearer {token}"}
        for no, name, team in (("DD1001", "<b>陈女士</b>", TEAM),
                               ("DD1002", "赵先生", {"specialist": "lina"})):
            resp = await w.client.post("/api/v1/orders", headers=h, json={
                "order_no": no, "customer": {"name": name, "phone": "13800000000"},
                "team": team})
            assert resp.status == 201, await resp.json()
        resp = await w.client.post("/api/v1/orders/DD1002/milestones", headers=h, json={
            "milestone": "签约", "event_id": "e-1002-1"})
        assert resp.status == 201
        await w.settle()
        async with browser_page(str(w.client.make_url("/"))) as page:
            await sign_in(page, token, "/admin/#/orders")
            await page.wait_for_selector(f"{ROW}:has([data-order=DD1002])")
            assert await page.locator("#order-list [data-order]").count() == 2
            row = page.locator(f"{ROW}:has([data-order=DD1001])")
            assert "<b>陈女士</b>" in await row.inner_text()
            assert await page.locator("#page-orders b").count() == 0
            # Filters: by stage, by specialist; search by customer name (on the server).
            await choose(page, "order-stage", "签约")
            await page.wait_for_selector("#order-list [data-order=DD1001]", state="detached")
            assert await page.locator("#order-list [data-order]").count() == 1
            await page.locator(".el-select:has(#order-stage) .el-select__clear").click(
                force=True)
            await page.wait_for_selector("#order-list [data-order=DD1001]")
            await choose(page, "order-specialist", "张伟")
            await page.wait_for_selector("#order-list [data-order=DD1002]", state="detached")
            await page.locator(".el-select:has(#order-specialist) .el-select__clear").click(
                force=True)
            await page.wait_for_selector("#order-list [data-order=DD1002]")
            await page.fill("#order-search", "赵先")
            await page.press("#order-search", "Enter")
            await page.wait_for_selector("#order-list [data-order=DD1001]", state="detached")
            await page.fill("#order-search", "")
            await page.press("#order-search", "Enter")
            await page.wait_for_selector("#order-list [data-order=DD1001]")

            # The timeline of DD1002: 签约 with each team notification's state.
            await page.click(f"{ROW}:has([data-order=DD1002])")
            await page.wait_for_selector("#order-timeline li[data-kind=milestone]")
            first = page.locator("#order-timeline li[data-kind=milestone]").first
            assert "签约" in await first.inner_text()
            assert await first.locator("[data-status]").count() >= 1
            # People by name (the directory's), the order's team too; times in 北京时间.
            assert "李娜" in await first.inner_text()
            assert "李娜（lina）" in await page.inner_text("#order-detail")
            stamp = await first.locator(".el-timeline-item__timestamp").inner_text()
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", stamp.strip()), stamp

            # Record the next milestone from the page: it lands and notifies the team.
            await page.click(f"{ROW}:has([data-order=DD1001])")
            await page.wait_for_selector("#order-detail h2:has-text('DD1001')")
            await page.fill("#milestone-name", "签约")
            await page.fill("#milestone-note", "<i>首付已收</i>")
            await page.click("#milestone-form button[type=submit]")
            noted = "#order-timeline li[data-kind=milestone]:has-text('首付已收')"
            await page.wait_for_selector(noted)
            assert await page.locator("#order-timeline i").count() == 0
            assert await Milestone.filter(note="<i>首付已收</i>").count() == 1
            await w.settle()
            await page.click(f"{ROW}:has([data-order=DD1002])")
            await page.wait_for_selector("#order-detail h2:has-text('DD1002')")
            await page.click(f"{ROW}:has([data-order=DD1001])")
            await page.wait_for_selector("#order-detail h2:has-text('DD1001')")
            await page.wait_for_selector("#order-timeline [data-status=sent]")
            # Bad input from the API is shown, not swallowed.
            await page.fill("#milestone-name", "上天")
            await page.click("#milestone-form button[type=submit]")
            await page.wait_for_selector("#milestone-form .error")
            assert page.js_errors == []
