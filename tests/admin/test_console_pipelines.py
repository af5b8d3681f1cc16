"""The milestone-template page: edit a pipeline's stages and templates, errors shown inline,
a new order type saved, everything shown as text."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.api_access import create_token
from bot.settings import Settings
from tests.harness.browser import browser_page
from tests.harness.service import serving


@pytest.mark.parametrize("mode_settings", ["embedded"], indirect=True)
async def test_edit_templates_and_add_an_order_type(
    mode_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    async with serving(mode_settings()) as client:
        token = await create_token("root", "admin")
        async with browser_page(str(client.make_url("/"))) as page:
            await page.goto("/admin/#/pipelines")
            await page.fill("#token", token)
            await page.click("#signin button")
            await page.wait_for_selector("#pipeline-stages tr")
            spec = json.loads(await page.input_value("#pipeline-json"))
            assert spec["stages"][0]["name"] == "签约"

            spec["stages"][0]["customer_template"] = "您好 {customer}，{unknown_var}"
            await page.fill("#pipeline-json", json.dumps(spec, ensure_ascii=False))
            await page.click("#pipeline-form button[type=submit]")
            await page.wait_for_selector("#pipeline-out .error")
            assert "unknown_var" in await page.inner_text("#pipeline-out")

            spec["stages"][0]["customer_template"] = "<b>您好</b> {customer}，订单 {order_no}"
            await page.fill("#pipeline-json", json.dumps(spec, ensure_ascii=False))
            await page.fill("#pipeline-new", "kitchen")
            await page.click("#pipeline-form button[type=submit]")
            await page.wait_for_selector("#pipeline-out .ok")
            assert await page.input_value("#pipeline-type") == "kitchen"
            assert "<b>您好</b>" in await page.inner_text("#pipeline-stages")
            assert await page.locator("#pipeline-stages b").count() == 0
            saved = await (await client.get("/api/v1/pipelines/kitchen", headers={
                "Authorization": f"Bearer {token}"})).json()
            assert saved["stages"][0]["customer_template"].startswith("<b>您好</b>")
            assert page.js_errors == []
