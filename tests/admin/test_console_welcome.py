"""The welcome page in a real browser: an admin adds a channel code and its welcome; a staff
member adding a customer through that code (sandbox) sends it; delete; escaping."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from aiohttp import FormData

from bot.api_access import create_token
from bot.models import ChannelCode, WelcomeText
from bot.settings import Settings
from sandbox.contact_ways import QR_PNG
from tests.harness.browser import browser_page, choose, confirm, sign_in
from tests.harness.world import world

TEXT = "感谢{nickname}来到<b>展厅</b>！"


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_channel_code_and_welcome(
    mode_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    async with world(mode_settings()) as w:
        token = await create_token("root", "admin")
        form = FormData(quote_fields=False)
        form.add_field("file", QR_PNG, filename="展厅.png", content_type="image/png")
        resp = await w.client.post("/api/v1/media", data=form,
                                   headers={"Authorization": f"Bearer {token}"})
        assert resp.status == 201
        async with browser_page(str(w.client.make_url("/"))) as page:
            await sign_in(page, token, "/admin/#/welcome")
            await page.wait_for_selector("#code-form")
            await page.fill("#code-code", "bad code!")
            await page.fill("#code-name", "x")
            await page.click("#code-form button[type=submit]")
            await page.wait_for_selector("#welcome-out .error:has-text('code')")
            await page.fill("#code-code", "showroom")
            await page.fill("#code-name", "<i>展厅</i>")
            await page.click("#code-form button[type=submit]")
            await page.wait_for_selector("#code-list [data-code=showroom]")
            assert await page.inner_text("#code-list .code-name") == "<i>展厅</i>"

            await choose(page, "welcome-code", "<i>展厅</i>")
            await page.fill("#welcome-text", TEXT)
            # A picture from the media library goes with it.
            await page.click("#welcome-att-add")
            await choose(page, "welcome-att-media-0", "展厅.png")
            await page.click("#welcome-form button[type=submit]")
            await page.wait_for_selector("#welcome-list .welcome-text")
            assert await page.inner_text("#welcome-list .welcome-text") == TEXT
            assert await page.locator("#page-welcome b, #page-welcome i:not(.el-icon)").count() == 0
            # The same pair again: the API's 409 is shown.
            await page.fill("#welcome-text", "again")
            await page.click("#welcome-form button[type=submit]")
            await page.wait_for_selector("#welcome-out .error")

            await w.sandbox.staff_adds_customer("zhangwei", "wmShow1", name="周先生",
                                                state="showroom")
            await w.settle()
            sent = w.sandbox.inbox("wmShow1")[-1]
            assert sent["text"]["content"] == "感谢周先生来到<b>展厅</b>！"
            (image,) = sent["attachments"]
            assert image["msgtype"] == "image" and image["image"]["media_id"]

            await page.click("#welcome-list tr:has([data-welcome]) button.delete")
            await confirm(page)
            await page.wait_for_selector(
                "#welcome-list .el-table__empty-text:has-text('还没有欢迎语')")
            assert await WelcomeText.all().count() == 0
            await page.click("#code-list tr:has([data-code=showroom]) button.delete")
            await confirm(page)
            await page.wait_for_selector("#code-list .el-table__empty-text")
            assert await ChannelCode.all().count() == 0

            # Group welcome templates: created here and in WeCom (the sandbox), then deleted.
            await page.fill("#template-name", "订单群")
            await page.fill("#template-text", "欢迎加入<u>订单群</u>")
            await page.click(".el-switch:has(#template-default)")
            await page.click("#template-form button[type=submit]")
            await page.wait_for_selector(
                "#template-list tr:has([data-template]):has-text('已同步')")
            assert await page.inner_text("#template-list .template-text") == "欢迎加入<u>订单群</u>"
            assert await page.locator("#page-welcome u").count() == 0
            await page.click("#template-list tr:has([data-template]) button.delete")
            await confirm(page)
            await page.wait_for_selector(
                "#template-list .el-table__empty-text:has-text('还没有入群欢迎语')")

            # The kefu welcome: the settings' default until an admin sets one.
            await page.wait_for_selector("#kf-welcome-list td:has-text('配置文件默认')")
            await page.fill("#kf-text", "欢迎<b>光临</b>，请选择：")
            await page.fill("#kf-menu-content-0", "查询进度")
            await page.fill("#kf-menu-id-0", "progress")
            await page.click("#kf-menu-add")
            await page.fill("#kf-menu-content-1", "转人工")
            await page.fill("#kf-menu-id-1", "human")
            await page.click("#kf-form button[type=submit]")
            await page.wait_for_selector("#kf-welcome-list td:has-text('查询进度 / 转人工')")
            assert "欢迎<b>光临</b>" in await page.inner_text("#kf-welcome-list")
            assert await page.locator("#kf-welcome-list b").count() == 0
            assert page.js_errors == []
