"""Signing in that lasts: a server-side session in an HttpOnly, SameSite=Strict cookie,
shared by tabs, ended by sign-out (everywhere), by revoking the token or taking the role
away; staff sign in through WeCom (the sandbox's 扫码登录) with the role an admin gave them
and claim and resolve escalations as themselves."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.api_access import create_token, revoke_token
from bot.models import Escalation, EscalationStatus
from bot.settings import Settings
from tests.harness.browser import browser_page, new_tab, screenshot_path, sign_in
from tests.harness.service import serving
from tests.harness.waiting import wait_for
from tests.harness.world import CUSTOMER, KF, world


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_a_session_lasts_across_tabs_until_signed_out(
    mode_settings: Callable[..., Settings]
) -> None:
    async with serving(mode_settings()) as client:
        token = await create_token("root", "admin")
        async with browser_page(str(client.make_url("/"))) as page:
            await sign_in(page, token, "/admin/#/orders")
            cookie = next(c for c in await page.context.cookies() if c["name"] == "wb_session")
            assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
            assert not cookie["secure"]  # plain HTTP here; Secure under HTTPS
            assert token not in cookie["value"]
            assert await page.evaluate("document.cookie") == ""  # not readable by scripts
            await page.reload()
            await page.wait_for_selector("#who:has-text('root')")

            other = await new_tab(page)
            await other.goto("/admin/#/notifications")
            await other.wait_for_selector("#page-notifications")
            await other.click("#signout")
            await other.wait_for_selector("#signin")
            # The first tab's next request finds the session gone.
            await page.click("#nav [data-page=notifications]")
            await page.wait_for_selector("#signin")
            assert "登录已失效" in await page.inner_text("#signin")

            # A session started with a token ends when the token is revoked.
            await page.fill("#token", token)
            await page.click("#signin button[type=submit]")
            await page.wait_for_selector("#who")
            await revoke_token("root")
            await page.evaluate("location.hash = '#/orders'")
            await page.wait_for_selector("#signin")
            assert page.js_errors == [] and other.js_errors == []

        # The cookie is no key for other sites: a state-changing request from elsewhere is
        # refused even when the browser sends it.
        token2 = await create_token("root2", "admin")
        resp = await client.post("/api/v1/session", json={"token": token2})
        value = resp.cookies["wb_session"].value
        me = await client.get("/api/v1/me", headers={"Cookie": f"wb_session={value}"})
        assert me.status == 200 and (await me.json())["name"] == "root2"
        evil = await client.post("/api/v1/tokens", json={"name": "x", "role": "admin"},
                                 headers={"Cookie": f"wb_session={value}",
                                          "Origin": "http://evil.example"})
        assert evil.status == 403
        gone = await client.delete("/api/v1/session", headers={"Cookie": f"wb_session={value}"})
        assert gone.status == 204
        me = await client.get("/api/v1/me", headers={"Cookie": f"wb_session={value}"})
        assert me.status == 401


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_a_specialist_signs_in_with_wecom_and_works_as_themselves(
    mode_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    async with world(mode_settings(conversations={"load_sample_rules": False})) as w:
        await w.sandbox.customer_says(KF, CUSTOMER, "你好")
        await w.sandbox.customer_says(KF, CUSTOMER, "在吗")
        await w.settle()

        async def escalated() -> Escalation | None:
            return await Escalation.filter(conversation__contains=CUSTOMER).first()

        esc = await wait_for(escalated)
        admin = {"Authorization": f"Bearer {await create_token('root', 'admin')}"}
        resp = await w.client.put("/api/v1/staff-roles", headers=admin,
                                  json={"userid": "zhangwei", "role": "specialist"})
        assert resp.status == 200 and (await resp.json())["name"] == "张伟"

        async with browser_page(str(w.client.make_url("/"))) as page:
            await page.goto("/admin/")
            await page.click("#wecom-login")
            # WeCom's 扫码登录 page (the sandbox's): the member confirms who they are.
            await page.click("a.staff[data-userid=zhangwei]")
            await page.wait_for_selector("#who:has-text('张伟')")
            assert "服务专员" in await page.inner_text("#who")
            assert "code=" not in page.url
            nav = await page.inner_text("#nav")
            assert "转人工" in nav and "演练场" not in nav and "访问令牌" not in nav
            await page.click("#nav [data-page=escalations]")
            card = f"#esc-list .esc[data-esc='{esc.id}']"
            await page.click(f"{card} .esc-claim")
            await page.wait_for_selector(f"#page-escalations .ok:has-text('#{esc.id} 已认领')")
            await page.click("#esc-tabs button[data-status=claimed]")
            await page.click(f"{card} .esc-resolve")
            await page.wait_for_selector(f"#page-escalations .ok:has-text('#{esc.id} 已解决')")
            row = await Escalation.get(id=esc.id)
            assert row.status == EscalationStatus.RESOLVED
            assert row.claimed_by == "zhangwei" and row.resolved_by == "zhangwei"
            await page.screenshot(path=str(screenshot_path("console-wecom-login.png", tmp_path)))

            # Taking the role away signs them out at their next step.
            resp = await w.client.delete("/api/v1/staff-roles/zhangwei", headers=admin)
            assert resp.status == 204
            await page.evaluate("location.hash = '#/orders'")
            await page.wait_for_selector("#signin")
            assert page.js_errors == []

        # A member nobody gave a role is told so, and is not signed in.
        async with browser_page(str(w.client.make_url("/"))) as page:
            await page.goto("/admin/")
            await page.click("#wecom-login")
            await page.click("a.staff[data-userid=lina]")
            await page.wait_for_selector("#signin:has-text('还没有给你（lina）分配')")
            assert await page.locator("#who").count() == 0
