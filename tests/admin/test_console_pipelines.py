"""The milestone-template page: edit a pipeline's stages and templates in a form, errors
shown inline, a new order type saved, everything shown as text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.api_access import create_token
from bot.settings import Settings
from tests.harness.browser import browser_page, sign_in
from tests.harness.service import serving


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_edit_templates_and_add_an_order_type(
    mode_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    async with serving(mode_settings()) as client:
        token = await create_token("root", "admin")
        async with browser_page(str(client.make_url("/"))) as page:
            await sign_in(page, token, "/admin/#/pipelines")
            await page.wait_for_selector("#stage-name-0")
            assert await page.input_value("#stage-name-0") == "签约"

            await page.fill("#stage-customer-0", "您好 {customer}，{unknown_var}")
            await page.click("#pipeline-save")
            await page.wait_for_selector("#pipeline-out .error")
            assert "unknown_var" in await page.inner_text("#pipeline-out")

            await page.fill("#stage-customer-0", "<b>您好</b> {customer}，订单 {order_no}")
            await page.click("#stage-add")
            last = await page.locator("#pipeline-stages input[id^=stage-name-]").count() - 1
            await page.fill(f"#stage-name-{last}", "回访")
            await page.fill("#pipeline-new", "kitchen")
            await page.click("#pipeline-save")
            await page.wait_for_selector("#pipeline-out .ok:has-text('kitchen')")
            assert await page.input_value(f"#stage-name-{last}") == "回访"
            assert await page.input_value("#stage-customer-0") == (
                "<b>您好</b> {customer}，订单 {order_no}")
            assert await page.locator("#page-pipelines b").count() == 0
            saved = await (await client.get("/api/v1/pipelines/kitchen", headers={
                "Authorization": f"Bearer {token}"})).json()
            assert saved["stages"][0]["customer_template"].startswith("<b>您好</b>")
            assert saved["stages"][-1]["name"] == "回访"
            assert page.js_errors == []
