"""The console in a real browser: sign-in, the playground through the real callback path,
escaping, tokens, and what a viewer may see."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.api_access import create_token
from bot.settings import Settings
from tests.harness.browser import browser_page, choose, confirm, screenshot_path
from tests.harness.service import services_of, serving


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_sign_in_and_chat_in_the_playground(
    mode_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    async with serving(mode_settings()) as client:
        token = await create_token("root", "admin")
        async with browser_page(str(client.make_url("/"))) as page:
            resp = await page.goto("/admin/")
            assert "script-src 'self'" in resp.headers["content-security-policy"]
            assert "unsafe-eval" not in resp.headers["content-security-policy"]
            await page.fill("#token", "wbt_wrong")
            await page.click("#signin button[type=submit]")
            await page.wait_for_selector("#signin-error .error:has-text('令牌无效')")
            await page.fill("#token", token)
            await page.click("#signin button[type=submit]")
            await page.wait_for_selector("#who:has-text('root')")
            assert "管理员" in await page.inner_text("#who")
            assert "演练场" in await page.inner_text("#nav")

            # A staff member asks the app for help: the reply comes back through WeCom (sandbox).
            await choose(page, "app-who", "张伟")
            await page.fill("#app-text", "帮助")
            await page.press("#app-text", "Enter")
            await page.wait_for_selector("#app-log .bubble.bot:has-text('可用命令')", timeout=10000)

            # Hostile text is shown as text, never run or parsed as markup.
            hostile = "<img src=x onerror=window.pwned=1><script>window.pwned=2</script>"
            await page.fill("#kf-text", hostile)
            await page.press("#kf-text", "Enter")
            await page.wait_for_selector("#kf-log .bubble.me")
            assert hostile in await page.inner_text("#kf-log")
            assert await page.evaluate("window.pwned === undefined")
            assert await page.locator("#kf-log img, #kf-log script").count() == 0

            # A new contact through the playground: the customer pickers learn of them.
            await choose(page, "contact-staff", "张伟")
            await page.fill("#contact-name", "新客户甲")
            await page.click("#contact-form button[type=submit]")
            await page.wait_for_selector("#playground-out .ok:has-text('已添加客户')")
            await page.locator(".el-select:has(#join-who)").click()
            await page.wait_for_selector(".el-select-dropdown__item:visible:has-text('新客户甲')")
            await page.keyboard.press("Escape")

            # Record a milestone for an order from the playground.
            from bot.orders import orders
            from bot.orders.schemas import OrderIn

            await orders.create(OrderIn.model_validate({
                "order_no": "PG0001", "customer": {"name": "测试", "phone": "13900000000"},
                "team": {"specialist": "zhangwei", "installer": "wangqiang"}}))
            await page.fill("#milestone-order", "PG0001")
            await page.fill("#milestone-stage", "签约")
            await page.click("#milestone-form button[type=submit]")
            await page.wait_for_selector("#playground-out .ok:has-text('PG0001')")
            await page.fill("#milestone-stage", "不存在的节点")
            await page.click("#milestone-form button[type=submit]")
            await page.wait_for_selector("#playground-out .error")
            await page.screenshot(path=str(screenshot_path("console-playground.png", tmp_path)),
                                  full_page=True)
            assert page.js_errors == []


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_tokens_page_creates_and_revokes(
    mode_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    async with serving(mode_settings()) as client:
        token = await create_token("root", "admin")
        async with browser_page(str(client.make_url("/"))) as page:
            await page.goto("/admin/#/tokens")
            await page.fill("#token", token)
            await page.click("#signin button[type=submit]")
            await page.wait_for_selector("#token-list [data-token=root]")
            await page.fill("#token-name", "lina")
            await page.click("#token-role label:has-text('服务专员')")
            await page.click("#token-form button[type=submit]")
            await page.wait_for_selector("#new-token")
            assert (await page.inner_text("#new-token")).startswith("wbt_")
            row = "#token-list tr:has([data-token=lina])"
            await page.wait_for_selector(f"{row}:has-text('服务专员')")
            # Search finds it on the server; revoking asks first.
            await page.fill("#token-search", "lin")
            await page.press("#token-search", "Enter")
            await page.wait_for_selector("#token-list [data-token=root]", state="detached")
            await page.click(f"{row} button.revoke")
            await confirm(page)
            await page.wait_for_selector(f"{row}:has-text('已吊销')")
            assert page.js_errors == []


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_viewer_sees_notifications_not_admin_pages(
    mode_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    from bot.delivery import outbox

    async with serving(mode_settings()) as client:
        services = services_of(client)
        row = await outbox.add(key="n:1", app="main", api="message_send",
                               args={"msgtype": "text", "payload": {"content": "x"},
                                     "touser": "nobody"}, recipient="<b>nobody</b>")
        await outbox.flush(services, [row])
        token = await create_token("eve", "viewer")
        async with browser_page(str(client.make_url("/"))) as page:
            await page.goto("/admin/#/notifications")
            await page.fill("#token", token)
            await page.click("#signin button[type=submit]")
            await page.wait_for_selector("#page-notifications")
            nav = await page.inner_text("#nav")
            assert "通知" in nav and "演练场" not in nav and "访问令牌" not in nav
            await page.wait_for_selector("#notif-list td:has-text('<b>nobody</b>')")
            assert await page.locator("#page-notifications b").count() == 0
            assert await page.locator("#page-notifications button:has-text('重试')").count() == 0
            # The customer pages: read, never write.
            for name, controls in (("customers", "#sync-start"), ("contact-ways", "#way-new"),
                                   ("tags", "#tag-sync, #tag-group-form"),
                                   ("media", "#media-form")):
                await page.evaluate(f"location.hash = '#/{name}'")
                await page.wait_for_selector(f"#page-{name}")
                await page.wait_for_load_state("networkidle")
                assert await page.locator(controls).count() == 0, name
            # A page the viewer may not see sends them to one they may.
            await page.goto("/admin/#/tokens")
            await page.wait_for_selector("#page-tokens", state="detached")
            assert page.js_errors == []
