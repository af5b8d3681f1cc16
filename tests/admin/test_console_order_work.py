"""An order's whole day in a real browser, with no id typed: create it with the team picked
from the WeCom directory (by name), bind a known customer group picked by name, see and save
the join QR (served from our origin), record a forced milestone with a note and read the
timeline in Chinese with each notice's recipient by name."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.api_access import create_token
from bot.models import Milestone, Order
from bot.settings import Settings
from tests.harness.browser import browser_page, choose, confirm, screenshot_path, sign_in
from tests.harness.waiting import one, wait_for
from tests.harness.world import world

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_create_bind_force_and_read_an_order(
    mode_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    async with world(mode_settings()) as w:
        token = await create_token("root", "admin")
        h = {"Authorization": f"Bearer {token}"}
        # A group the specialist made before the order existed: known, bound to nothing.
        chat = (await w.sandbox.staff_creates_group("zhangwei", "陈女士家的新房"))["chat_id"]
        await w.settle()
        # The directory lists the members the app sees, by name, and searches them.
        resp = await w.client.get("/api/v1/directory/members", headers=h,
                                  params={"q": "李", "page": "1", "page_size": "10"})
        assert resp.status == 200 and resp.headers["X-Total-Count"] == "1"
        assert await resp.json() == [{"userid": "lina", "name": "李娜"}]

        async with browser_page(str(w.client.make_url("/"))) as page:
            await sign_in(page, token, "/admin/#/orders")
            await page.click("#order-new")
            await page.fill("#order-no", "DD2001")
            await page.fill("#order-customer-name", "陈女士")
            await page.fill("#order-customer-phone", "13800000001")
            await choose(page, "order-team-specialist", "张伟")
            await choose(page, "order-team-designer", "李娜")
            await choose(page, "order-team-installer", "王强")
            await page.click("#order-save")
            await page.wait_for_selector("#order-detail h2:has-text('DD2001')")
            detail = await page.inner_text("#order-detail")
            assert "张伟（zhangwei）" in detail and "王强（wangqiang）" in detail
            order = await Order.get(order_no="DD2001")
            assert order.team == {"specialist": "zhangwei", "designer": "lina",
                                  "installer": "wangqiang", "others": []}

            # Bind the group, picked by its name (the owner by theirs).
            await page.locator(".el-select:has(#bind-chat)").click()
            option = page.locator(".el-select-dropdown__item:visible",
                                  has_text="陈女士家的新房")
            assert "群主 张伟" in await option.inner_text()
            await option.click()
            await page.click("#bind-form button[type=submit]")
            await page.wait_for_selector("#order-detail .ok, #page-orders .ok")
            await wait_for(lambda: one(Order, order_no="DD2001", group_chat_id=chat,
                                       join_qr_code__isnull=False))
            await w.settle()
            # The join QR: shown from our own origin (the CSP admits no other), and saved.
            await page.click("#order-list tr.el-table__row:has([data-order=DD2001])")
            await page.wait_for_selector("#order-qr img")
            shown = await page.evaluate(
                "document.querySelector('#order-qr img').naturalWidth")
            assert shown > 0
            async with page.expect_download() as info:
                await page.click("#order-qr-download")
            saved = await (await info.value).path()
            assert (await asyncio.to_thread(Path(saved).read_bytes)).startswith(PNG)
            assert (await info.value).suggested_filename == "DD2001-入群二维码.png"

            # A forced jump (not started → 安装, past 签约…) with a note.
            await page.fill("#milestone-name", "安装")
            await page.fill("#milestone-note", "客户要求提前安装")
            await page.click(".el-switch:has(#milestone-force)")
            await page.click("#milestone-form button[type=submit]")
            noted = "#order-timeline li[data-kind=milestone]:has-text('客户要求提前安装')"
            await page.wait_for_selector(noted)
            ms = await Milestone.get(note="客户要求提前安装")
            assert ms.stage == "安装" and ms.from_stage is None and ms.forced
            await w.settle()
            await page.click("#order-list tr.el-table__row:has([data-order=DD2001])")
            await page.wait_for_selector(f"{noted} [data-status=sent]")
            entry = await page.inner_text(noted)
            assert "强制" in entry and "安装" in entry
            for name in ("张伟", "李娜", "王强"):
                assert name in entry  # recipients by name
            timeline = await page.inner_text("#order-timeline")
            assert "已绑定客户群" in timeline or "绑定" in timeline
            for english in ("bound", "join_qr", "milestone", "sent", "app"):
                assert english not in timeline

            # The customer's progress page link, and voiding it for a new one.
            first = (await page.inner_text("#order-progress-url")).strip()
            assert "/p/" in first
            assert (await w.client.get(first[first.index("/p/"):])).status == 200
            await page.click("#order-progress-revoke")
            await confirm(page)
            await page.wait_for_function(
                "(old) => document.querySelector('#order-progress-url').textContent.trim()"
                " !== old", arg=first)
            second = (await page.inner_text("#order-progress-url")).strip()
            assert (await w.client.get(first[first.index("/p/"):])).status == 404
            assert (await w.client.get(second[second.index("/p/"):])).status == 200
            await page.screenshot(path=str(screenshot_path("console-orders.png", tmp_path)),
                                  full_page=True)
            assert page.js_errors == []

        # No QR before a group is bound: a Chinese 404, not a 500.
        resp = await w.client.post("/api/v1/orders", headers=h, json={
            "order_no": "DD2002", "customer": {"name": "赵先生", "phone": "13800000002"},
            "team": {"specialist": "lina"}})
        assert resp.status == 201
        resp = await w.client.get("/api/v1/orders/DD2002/join-qr", headers=h)
        assert resp.status == 404 and "二维码" in (await resp.json())["error"]["message"]
