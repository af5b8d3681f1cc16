"""The 停机补录 page in a real browser. A real outage (callbacks refused while the inbox could
not be written, WeCom giving up) is recorded and reconciled; the page lists it with its
Beijing-time span, refused and lost callbacks by type and what reconciliation found, and the
missed items with their Chinese labels; clicking an outage narrows the items to it, the kind
filter and the search narrow them further. The doctor's outages check links to the page, and
every role that may read it (viewer, specialist) sees it in the menu."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.api_access import create_token
from bot.infra.clock import CST, utcnow
from bot.models import MissedEvent, StorageOutage
from bot.pipeline import reconcile
from bot.settings import Settings
from tests.harness.admin import Admin
from tests.harness.browser import (
    OVERFLOW,
    SKIP,
    VISIBLE_TEXT,
    browser_page,
    choose,
    english,
    screenshot_path,
    sign_in,
)
from tests.harness.outages import code_and_order_group, storage_back, storage_out
from tests.harness.waiting import one, wait_for
from tests.harness.world import CUSTOMER, World, world

NO = "DD20261960"
NEW = "wmOutagePage00000000000000001"


def beijing(at: datetime) -> str:
    return (at + CST).strftime("%Y-%m-%d %H:%M:%S")


async def an_outage(w: World, admin: Admin) -> StorageOutage:
    """A channel code and an order's group; then, with the inbox unwritable, a new contact
    through the code, a join by the order's QR and the seeded customer leaving: WeCom gives
    up on all three. Storage back, the outage is recorded, reconciled and its lost callbacks
    counted; the contact's callback then turns up late after all."""
    way, order = await code_and_order_group(w, admin, NO)

    deliveries = w.sandbox.corp.driver.deliveries
    before = len(deliveries)
    await storage_out()
    try:
        await w.sandbox.customer_scans_code(way["config_id"], NEW, name="吴女士")
        await w.sandbox.customer_joins_group(NEW, config_id=order.join_way_config_id)
        await w.sandbox.customer_leaves_group(order.group_chat_id, CUSTOMER)
        await w.sandbox.drain()
    finally:
        await storage_back()
    lost = deliveries[before:]
    assert [d.status for d in lost] == ["failed"] * 3

    outage = await wait_for(lambda: one(StorageOutage, reconciled_at__isnull=False), timeout=30)
    await wait_for(lambda: one(StorageOutage, id=outage.id, lost__isnull=False), timeout=20)
    app = w.sandbox.corp.app_for_callbacks()
    assert w.sandbox.corp.driver.deliver(app, lost[0].plaintext, "xml", "late")
    await w.sandbox.drain()
    await w.settle()
    await wait_for(lambda: one(MissedEvent, kind="contact_add", late_callback_at__isnull=False))
    return await StorageOutage.get(id=outage.id)


async def rows(page: Any, table: str) -> list[str]:
    return [t.strip() for t in await page.locator(f"{table} .el-table__body tr").all_inner_texts()]


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_the_outages_page_lists_outages_and_what_was_reconciled(
    mode_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    async with world(mode_settings(reconcile_delay_seconds=0.1)) as w:
        admin = await Admin.make(w.client)
        served = await an_outage(w, admin)
        assert served.source == "serve" and served.refused == 3 and served.lost == 3
        assert served.note == "补录 新客户 1，入群 1，退群 1"
        # A second window, from a serve's start, that nobody has reconciled: recorded 20
        # minutes ago and held open (a run "under way" keeps the reconciler off it).
        store = w.services.store
        await wait_for(_no_run(store))
        await store.set(reconcile.RUN_KEY, "test", ttl=600)
        earlier = utcnow() - timedelta(hours=2)
        waiting = await StorageOutage.create(source="startup", process="bot-b:4242",
                                             started_at=earlier,
                                             ended_at=earlier + timedelta(seconds=95))
        await StorageOutage.filter(id=waiting.id).update(
            recorded_at=utcnow() - timedelta(minutes=20))
        status, listed = await admin.call("GET", "/outages")
        assert status == 200 and [o["id"] for o in listed] == [waiting.id, served.id]
        seconds = listed[1]["seconds"]

        token = await create_token("root", "admin")
        async with browser_page(str(w.client.make_url("/"))) as page:
            # The doctor warns about the window left open and links to it.
            await sign_in(page, token, "/admin/#/doctor")
            await page.click("#doctor-run")
            check = "#doctor-checks tr:has([data-check='outages'])"
            await page.wait_for_selector(f"{check} .doctor-warn")
            text = await page.inner_text(check)
            assert "近 7 天存储中断 2 次" in text and "1 次中断已记录超过 10 分钟仍未补录" in text
            assert "停机补录" in text
            await page.click("#doctor-outages:has-text('查看未补录的停机')")

            # Only the open window, the filter ticked.
            await page.wait_for_selector("#page-outages")
            await page.wait_for_selector(f"#outage-list [data-outage='{waiting.id}']")
            assert await page.is_checked("#outage-open")
            (only,) = await rows(page, "#outage-list")
            assert "服务未运行（启动时补查）" in only and "待补录" in only
            assert "1 分 35 秒" in only and "无法统计：期间没有服务接收回调" in only
            start = beijing(earlier)
            assert f"{start} – {beijing(earlier + timedelta(seconds=95))[11:]}" in only
            await page.click(".el-checkbox:has(#outage-open)")
            await page.wait_for_selector(f"#outage-list [data-outage='{served.id}']")
            assert "open=1" not in page.url

            # Newest first; the served outage in full.
            order = [await o.get_attribute("data-outage")
                     for o in await page.locator("#outage-list .outage-span").all()]
            assert order == [str(waiting.id), str(served.id)]
            row = (await rows(page, "#outage-list"))[1]
            assert "回调被拒（存储不可用）" in row and "已补录" in row and "找到 3 项" in row
            assert beijing(served.started_at) in row
            assert f"{round(seconds * 10) / 10:g} 秒" in row
            lost = f"#outage-list tr:has([data-outage='{served.id}']) .outage-lost"
            assert (await page.inner_text(lost)).startswith("3")
            kinds = {await k.get_attribute("data-type"): (await k.inner_text()).strip()
                     for k in await page.locator(f"{lost} .outage-kind").all()}
            assert kinds == {"change_external_contact.add_external_contact": "添加客户 1",
                             "change_external_chat.update": "客户群变更（入群、退群等） 2"}
            refused = f"#outage-list tr:has([data-outage='{served.id}']) .outage-refused"
            assert await page.inner_text(refused) == "3"
            assert "补录 新客户 1，入群 1，退群 1" in row

            # What reconciliation found, in Chinese.
            await page.wait_for_selector("#missed-list [data-kind=contact_add]")
            missed = await rows(page, "#missed-list")
            assert len(missed) == 3
            add = _row_with(missed, "新客户添加（欢迎语无法补发）")
            assert "张伟" in add and NEW in add and "已处理" in add and "回调后来也到了" in add
            joined = _row_with(missed, "客户群成员入群")
            assert NO in joined and NEW in joined and "已处理" in joined
            assert "回调后来也到了" not in joined
            left = _row_with(missed, "客户群成员退群")
            assert CUSTOMER in left and "已处理" in left
            # Nothing in English but ids and codes, and nothing wider than the page.
            assert english(await page.evaluate(VISIBLE_TEXT, SKIP)) == []
            assert await page.evaluate(OVERFLOW) == {"main": 0, "page": 0}
            await page.wait_for_timeout(300)  # the tags' transitions
            await page.screenshot(path=str(screenshot_path("console-outages.png", tmp_path)),
                                  full_page=True)

            # An outage clicked: only what it found (the open one found nothing yet).
            await page.click(f"#outage-list [data-outage='{waiting.id}']")
            await page.wait_for_selector(f"#missed-outage:has-text('第 {waiting.id} 次中断')")
            await page.wait_for_selector(
                "#missed-list .el-table__empty-text:has-text('没有符合条件的补录项')")
            assert f"outage={waiting.id}" in page.url
            await page.click(f"#outage-list [data-outage='{served.id}']")
            await page.wait_for_selector(f"#missed-outage:has-text('第 {served.id} 次中断')")
            await page.wait_for_selector("#missed-list [data-kind=contact_add]")
            assert len(await rows(page, "#missed-list")) == 3
            assert await page.locator("#outage-list tr.selected").count() == 1

            # The search, then the kind filter, and the outage filter taken off.
            await page.fill("#missed-search", "wmOutagePage")
            await page.press("#missed-search", "Enter")
            await page.wait_for_selector("#missed-list [data-kind=group_leave]", state="detached")
            found = await rows(page, "#missed-list")
            assert len(found) == 2 and all(NEW in r for r in found)
            await page.fill("#missed-search", "")
            await page.press("#missed-search", "Enter")
            await page.wait_for_selector("#missed-list [data-kind=group_leave]")
            await choose(page, "missed-kind", "退群")
            await page.wait_for_selector("#missed-list [data-kind=contact_add]", state="detached")
            (only,) = await rows(page, "#missed-list")
            assert "客户群成员退群" in only
            await page.click("#missed-outage .el-tag__close")
            await page.wait_for_selector("#missed-outage", state="detached")
            assert "outage=" not in page.url
            (only,) = await rows(page, "#missed-list")
            assert "客户群成员退群" in only

            # The order links to its page.
            await page.click(f"#missed-list a:has-text('{NO}')")
            await page.wait_for_selector(f"#order-detail h2:has-text('{NO}')")
            assert page.js_errors == []

        # Everyone who may read it sees it: a viewer and a specialist.
        for name, role in (("eve", "viewer"), ("zhangwei", "specialist")):
            async with browser_page(str(w.client.make_url("/"))) as page:
                await sign_in(page, await create_token(name, role), "/admin/#/outages")
                assert "停机补录" in await page.inner_text("#nav")
                await page.wait_for_selector(f"#outage-list [data-outage='{served.id}']")
                await page.wait_for_selector("#missed-list [data-kind=group_join]")
                assert len(await rows(page, "#outage-list")) == 2
                assert len(await rows(page, "#missed-list")) == 3
                assert page.js_errors == []
        await store.delete(reconcile.RUN_KEY)


def _no_run(store: Any) -> Callable[[], Any]:
    async def idle() -> bool:
        return await store.get(reconcile.RUN_KEY) is None
    return idle


def _row_with(texts: list[str], word: str) -> str:
    (row,) = [t for t in texts if word in t]
    return row
